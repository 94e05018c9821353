"""Reading and decoding article bytes: size and type checks, encoding detection."""

from __future__ import annotations

import codecs
from pathlib import Path

from ..errors import InputError
from ..settings import DEFAULT_MAX_BYTES

# Encodings a Chinese news file realistically comes in, after UTF-8 has been tried.
_CHINESE_CODECS = ["gb18030", "big5", "big5hkscs", "utf_16", "utf_32"]

_BINARY_MAGIC = {
    b"\x89PNG": "PNG image",
    b"\xff\xd8\xff": "JPEG image",
    b"GIF8": "GIF image",
    b"%PDF": "PDF document",
    b"PK\x03\x04": "ZIP archive (or docx/xlsx)",
    b"\x1f\x8b": "gzip archive",
    b"\x7fELF": "executable",
    b"RIFF": "RIFF media file",
}



def check_article_size(name: Path | str, size: int, max_bytes: int) -> None:
    """An article file is neither empty nor over the size limit (checked before it is read)."""
    if size == 0:
        raise InputError(name, "empty file")
    if size > max_bytes:
        raise InputError(name, f"file too large ({size / 1e6:.1f} MB; the limit is {max_bytes / 1e6:.1f} MB)")


def read_article_bytes(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """Read a file after checking it exists, is a regular file, and is not too large."""
    if not path.exists():
        raise InputError(path, "no such file")
    if path.is_dir():
        raise InputError(path, "is a directory, not an article file")
    if not path.is_file():
        raise InputError(path, "not a regular file")
    check_article_size(path, path.stat().st_size, max_bytes)
    try:
        return path.read_bytes()
    except PermissionError:
        raise InputError(path, "permission denied") from None
    except OSError as exc:
        raise InputError(path, f"cannot read file ({exc.strerror or exc})") from None


def decode_bytes(data: bytes, path: Path | str | None = None) -> tuple[str, str]:
    """Decode article bytes; returns (text, encoding name)."""
    for magic, what in _BINARY_MAGIC.items():
        if data.startswith(magic):
            raise InputError(path, f"binary file ({what}), not text")
    for bom, name in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                      (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(name), name
            except UnicodeDecodeError:
                raise InputError(path, f"invalid {name} text despite its byte-order mark") from None
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[len(codecs.BOM_UTF8):].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError:
            raise InputError(path, "invalid UTF-8 text despite its byte-order mark") from None
    if b"\x00" in data[:65536]:
        utf16 = _utf16_without_bom(data)
        if utf16 is None:
            raise InputError(path, "binary file (contains NUL bytes), not text")
        return utf16
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    import charset_normalizer

    best = charset_normalizer.from_bytes(data, cp_isolation=_CHINESE_CODECS).best()
    if best is not None:
        name = "gb18030" if best.encoding in ("gb2312", "gbk", "gb18030") else best.encoding
        return str(best), name
    best = charset_normalizer.from_bytes(data).best()
    if best is None:
        raise InputError(path, "cannot detect the text encoding (binary or corrupted file?)")
    return str(best), best.encoding


def _text_share(text: str) -> float:
    """Share of characters that ordinary text is made of: CJK, ASCII printable, whitespace, CJK
    and full-width punctuation."""
    sample = text[:4096]
    ordinary = sum(1 for ch in sample if ch in "\n\r\t" or " " <= ch <= "~" or "\u3000" <= ch <= "\u9fff"
                   or "\uff00" <= ch <= "\uffef" or "\u2000" <= ch <= "\u206f")
    return ordinary / max(1, len(sample))


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """UTF-16 text saved without a byte-order mark (its ASCII characters carry NUL bytes): the byte
    order whose decoding reads as ordinary text, or None for binary data."""
    best: tuple[float, str, str] | None = None
    for name in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(name)
        except UnicodeDecodeError:
            continue
        share = _text_share(text)
        if best is None or share > best[0]:
            best = (share, text, name)
    if best is None or best[0] < 0.95:
        return None
    return best[1], best[2]
