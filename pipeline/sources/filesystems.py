"""Articles behind a filesystem URI (`s3://bucket/news/`, `gs://…`, `file:///…`), read through
pyarrow's filesystems: what `batch` lists on the driver and what each worker reads for itself.

pyarrow comes with the `ray` extra; its wheels include S3 and Google Cloud Storage, which take
their credentials the usual way (AWS_* variables or ~/.aws, Google's application credentials).
Web pages (http, https) are not filesystem URIs: :mod:`pipeline.sources.web` fetches those.
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass
from pathlib import PurePosixPath

from ..errors import InputError, first_line
from ..ingest.read import check_article_size

_URI = re.compile(r"^(?P<scheme>[a-z][a-z0-9+.-]*)://", re.IGNORECASE)
_WEB = ("http", "https")


def is_fs_uri(name: str) -> bool:
    match = _URI.match(name)
    return bool(match) and match.group("scheme").lower() not in _WEB


@dataclass(frozen=True)
class RemoteFile:
    uri: str
    size: int
    mtime_ns: int  # 0 where the filesystem gives none

    @property
    def stat(self) -> list[int]:
        """What the batch index keeps to know the object is unchanged without reading it."""
        return [self.size, self.mtime_ns]


def _filesystem(uri: str):
    try:
        from pyarrow import fs
    except ImportError:
        raise InputError(uri, "reading filesystem URIs needs pyarrow: pip install 'newsbrief[ray]'") from None
    try:
        filesystem, path = fs.FileSystem.from_uri(uri)
    except Exception as exc:  # pyarrow raises ArrowInvalid, OSError … for one cause
        raise InputError(uri, f"cannot open this URI ({first_line(exc)})") from None
    return fs, filesystem, path


def _info(fs, filesystem, path: str, uri: str):
    try:
        return filesystem.get_file_info(path)
    except Exception as exc:
        raise InputError(uri, f"cannot read ({first_line(exc)})") from None


def list_articles(uri: str, suffixes: set[str], pattern: str | None = None) -> list[RemoteFile]:
    """Article files under a folder URI (or the one file it names), recursively, sorted; hidden
    names skipped, like :func:`pipeline.folders.discover.find_articles`."""
    fs, filesystem, root = _filesystem(uri)
    info = _info(fs, filesystem, root, uri)
    if info.type == fs.FileType.File:
        return [RemoteFile(uri, info.size or 0, info.mtime_ns or 0)]
    if info.type != fs.FileType.Directory:
        raise InputError(uri, "no such folder")
    prefix = uri.rstrip("/")[: len(uri.rstrip("/")) - len(root.rstrip("/"))]  # scheme and authority
    try:
        entries = filesystem.get_file_info(fs.FileSelector(root, recursive=True))
    except Exception as exc:
        raise InputError(uri, f"cannot list ({first_line(exc)})") from None
    found = []
    for entry in entries:
        relative = PurePosixPath(entry.path).relative_to(PurePosixPath(root))
        if entry.type != fs.FileType.File or any(part.startswith(".") for part in relative.parts):
            continue
        if relative.suffix.lower() not in suffixes or (pattern and not _matches(relative, pattern)):
            continue
        found.append(RemoteFile(prefix + entry.path, entry.size or 0, entry.mtime_ns or 0))
    return sorted(found, key=lambda f: f.uri)


def _matches(relative: PurePosixPath, pattern: str) -> bool:
    """As Path.rglob(pattern) selects: the name, or the path below the root for a pattern with '/'."""
    return fnmatch.fnmatch(str(relative) if "/" in pattern else relative.name, pattern)


def read_bytes(uri: str, max_bytes: int) -> bytes:
    """An article's bytes, after the checks a local file gets (exists, not empty, not too large)."""
    fs, filesystem, path = _filesystem(uri)
    info = _info(fs, filesystem, path, uri)
    if info.type == fs.FileType.NotFound:
        raise InputError(uri, "no such file")
    if info.type == fs.FileType.Directory:
        raise InputError(uri, "is a directory, not an article file")
    check_article_size(uri, info.size or 0, max_bytes)
    try:
        with filesystem.open_input_stream(path) as stream:
            data = stream.read(max_bytes + 1)
    except Exception as exc:
        raise InputError(uri, f"cannot read ({first_line(exc)})") from None
    if len(data) > max_bytes:  # it grew since it was listed
        raise InputError(uri, f"file too large (over {max_bytes / 1e6:.1f} MB)")
    return data
