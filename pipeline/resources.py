"""Where the project's own lexicons live, and the explicit caches that load them once.

jieba keeps its dictionary as process-global state, so loading the user dictionary is
done here, once per dictionary path, and must happen before worker processes start.
"""

from __future__ import annotations

import logging
import re
import threading
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .errors import ResourceError
from .settings import Settings


@dataclass(frozen=True)
class Resources:
    """Paths of the lexicons a pipeline uses: a folder with lexicon/ and gazetteer/."""

    corpus_dir: Path

    @property
    def lexicon(self) -> Path:
        return self.corpus_dir / "lexicon"

    @property
    def entity_lexicon(self) -> Path:
        return self.lexicon / "entities"

    @property
    def userdict(self) -> Path:
        return self.lexicon / "userdict.txt"

    @property
    def stopwords(self) -> Path:
        return self.lexicon / "stopwords.txt"

    @property
    def boilerplate(self) -> Path:
        return self.lexicon / "boilerplate.txt"

    @property
    def glossary(self) -> Path:
        return self.lexicon / "glossary.tsv"

    @property
    def terms(self) -> Path:
        return self.lexicon / "terms.tsv"

    @property
    def news_agencies(self) -> Path:
        return self.lexicon / "news_agencies.tsv"

    @property
    def gazetteer(self) -> Path:
        return self.corpus_dir / "gazetteer" / "gazetteer.tsv"

    def data_files(self) -> list[Path]:
        """Every file under lexicon/ and gazetteer/: what the fingerprint of a brief reads."""
        files = [p for folder in ("lexicon", "gazetteer") for p in (self.corpus_dir / folder).rglob("*")]
        return sorted(p for p in files if p.is_file())

    def require(self, path: Path) -> Path:
        if not path.is_file():
            raise ResourceError(f"{path}: project resource missing (is the corpus/ folder complete?)")
        return path


def default_resources(settings: Settings | None = None) -> Resources:
    return Resources((settings or Settings.from_env()).corpus_dir)


_jieba_lock = threading.Lock()
_loaded_userdicts: set[Path] = set()


def ensure_jieba(resources: Resources) -> None:
    """Load the project's user dictionary (and gazetteer names) into jieba, once per path."""
    import jieba

    path = resources.require(resources.userdict)
    with _jieba_lock:
        if path in _loaded_userdicts:
            return
        jieba.setLogLevel(logging.WARNING)
        jieba.initialize()
        # Parsed here rather than by jieba.load_userdict so the file may carry comments.
        for line in read_lines(path):
            word, _, tag = line.partition(" ")
            jieba.add_word(word, tag=tag.strip() or None)
        # Gazetteer names must also stay whole (蒙大拿州, 周受资), so they become words too.
        for name, tag in gazetteer_words(resources):
            jieba.add_word(name, tag=tag)
        _loaded_userdicts.add(path)


# A Chinese character (CJK Unified Ideographs): the one definition every stage uses.
HAN = re.compile(r"[\u4e00-\u9fff]")
_POS_FOR_TYPE = {"ORG": "nt", "PERSON": "nr", "GPE": "ns", "LOC": "ns", "PRODUCT": "nz", "EVENT": "nz"}


def gazetteer_words(resources: Resources) -> list[tuple[str, str]]:
    """Chinese surface forms from the gazetteer, with a jieba POS tag for their type."""
    path = resources.gazetteer
    if not path.is_file():
        return []
    words: list[tuple[str, str]] = []
    for row in read_tsv(path):
        tag = _POS_FOR_TYPE.get(row.get("type", ""), "nz")
        for form in [row["name"], *split_aliases(row.get("aliases", ""))]:
            if HAN.search(form) and " " not in form:
                words.append((form, tag))
    return words


def split_aliases(field: str) -> list[str]:
    return [a.strip() for a in field.split("|") if a.strip()]


def _read_resource(path: Path) -> str:
    """A resource file's text; a missing, unreadable or non-UTF-8 one (a GBK gazetteer under
    NEWSBRIEF_CORPUS) is one ResourceError naming it, before any article is read."""
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ResourceError(f"{path}: not UTF-8 (byte {exc.start}); resource files are UTF-8") from None
    except OSError as exc:
        raise ResourceError(f"{path}: cannot read this resource file ({exc.strerror or exc})") from None


@cache
def read_tsv(path: Path) -> tuple[dict[str, str], ...]:
    """Read a tab-separated file with a header row; '#' starts a comment line."""
    lines = [ln for ln in _read_resource(path).splitlines() if ln.strip() and not ln.startswith("#")]
    if not lines:
        return ()
    header = lines[0].split("\t")
    rows = []
    for ln in lines[1:]:
        cells = ln.split("\t")
        rows.append({k: (cells[i].strip() if i < len(cells) else "") for i, k in enumerate(header)})
    return tuple(rows)


@cache
def read_lines(path: Path) -> tuple[str, ...]:
    """Non-empty, non-comment lines of a UTF-8 list file."""
    return tuple(
        ln.strip() for ln in _read_resource(path).splitlines() if ln.strip() and not ln.startswith("#")
    )
