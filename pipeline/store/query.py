"""Questions a desk asks its archive: which briefs mention a word (full-text search over the Chinese and the
English), and every figure about a company, of a kind, since a date. Plain typed results; rendering is in
:mod:`pipeline.output.results`."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .database import Store

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
TRIGRAM = 3  # the Chinese index finds substrings of at least three characters; shorter terms are scanned
SNIPPET_CHARS = 24


@dataclass(frozen=True)
class SearchHit:
    slug: str
    published: str | None
    title: str
    title_en: str | None
    source: str | None
    url: str | None
    matched: str  # "chinese" or "english": which text the query was found in
    snippet: str


@dataclass(frozen=True)
class FigureHit:
    slug: str
    published: str | None
    title: str
    figure: str  # the Chinese span
    kind: str
    value: float | str | None
    unit: str | None
    period: str | None
    english: str
    subject_en: str | None
    sentence: str


def query_terms(query: str) -> list[str]:
    """Words of a query (split on spaces; every one must be found)."""
    return [term for term in query.split() if term.strip('"')]


def _quoted(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def _like(term: str) -> str:
    return "%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _snippet(text: str, terms: list[str]) -> str:
    lowered = text.lower()
    at = min((i for i in (lowered.find(t.lower()) for t in terms) if i >= 0), default=0)
    start, end = max(0, at - SNIPPET_CHARS), min(len(text), at + SNIPPET_CHARS * 2)
    return ("…" if start else "") + " ".join(text[start:end].split()) + ("…" if end < len(text) else "")


def search(store: Store, query: str, *, fold: Callable[[str], str] = str, limit: int = 20) -> list[SearchHit]:
    """Briefs whose Chinese (title, text; Traditional folded to Simplified by `fold`) or English (title, bullets,
    key facts, entity names) contains every term of `query`, best match first; Chinese matches first."""
    terms = [fold(t) for t in query_terms(query)]
    if not terms:
        return []
    found: dict[int, tuple[str, str]] = {}
    # Chinese: a term of three characters or more through the trigram index, a shorter one by a scan of it.
    long_terms = [t for t in terms if len(t) >= TRIGRAM]
    where = ["(title LIKE ? ESCAPE '\\' OR body LIKE ? ESCAPE '\\')"] * (len(terms) - len(long_terms))
    params: list[object] = [p for t in terms if len(t) < TRIGRAM for p in (_like(t), _like(t))]
    if long_terms:
        where.insert(0, "search_zh MATCH ?")
        params.insert(0, " AND ".join(_quoted(t) for t in long_terms))
    order = "ORDER BY bm25(search_zh)" if long_terms else "ORDER BY rowid DESC"
    rows = store.db.execute(f"SELECT rowid, title, body FROM search_zh WHERE {' AND '.join(where)} {order} LIMIT ?",
                            (*params, limit))
    for rowid, title, body in rows:
        found[rowid] = ("chinese", _snippet(title if any(t in title for t in terms) else body, terms))
    if not any(_CJK.search(t) for t in terms) and len(found) < limit:  # English (and Latin names) too
        match = " AND ".join(_quoted(t) for t in terms)
        rows = store.db.execute("SELECT rowid, title, body FROM search_en WHERE search_en MATCH ? "
                                "ORDER BY bm25(search_en) LIMIT ?", (match, limit))
        for rowid, title, body in rows:
            found.setdefault(rowid, ("english", _snippet(f"{title}\n{body}", terms)))
    hits = []
    for rowid, (matched, snippet) in list(found.items())[:limit]:
        row = store.db.execute("SELECT slug, published, title, title_en, source, url FROM briefs WHERE id = ?",
                               (rowid,)).fetchone()
        if row:
            hits.append(SearchHit(*row, matched=matched, snippet=snippet))
    return hits


def entity_forms(store: Store, name: str, fold: Callable[[str], str] = str) -> list[str]:
    """The Chinese (or Latin) forms under which the store's briefs name `name`, given in English or Chinese:
    Temu -> [Temu], 拼多多 / PDD -> [拼多多]."""
    name = name.strip()
    rows = store.db.execute("SELECT DISTINCT text FROM entities WHERE text IN (?, ?) OR english = ? COLLATE NOCASE",
                            (name, fold(name), name))
    texts = [row[0] for row in rows]  # as the article wrote them, Traditional or Simplified
    return sorted({name, fold(name), *texts, *map(fold, texts)} - {""})


def find_figures(store: Store, *, entity: str | None = None, kind: str | None = None, since: date | None = None,
                 fold: Callable[[str], str] = str, limit: int | None = None) -> list[FigureHit]:
    """Figures, newest article first: of one kind, in articles published since a day, and in a sentence that
    names the entity (in any of the forms the briefs give it)."""
    where, params = ["1"], []
    if kind:
        where.append("f.kind = ?")
        params.append(kind)
    if since:
        where.append("b.published >= ?")
        params.append(since.isoformat())
    if entity:
        forms = entity_forms(store, entity, fold)
        where.append("(" + " OR ".join(["f.sentence LIKE ? ESCAPE '\\'"] * len(forms)) + ")")
        params += [_like(form) for form in forms]
    sql = ("SELECT b.slug, b.published, coalesce(b.title_en, b.title), f.text, f.kind, f.value, f.unit, f.period, "
           "f.english, f.subject_en, f.sentence FROM figures f JOIN briefs b ON b.id = f.brief "
           f"WHERE {' AND '.join(where)} ORDER BY b.day = 'undated', b.published DESC, b.slug, f.n")
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    return [FigureHit(*row) for row in store.db.execute(sql, params)]


def _open_folder(out: str | os.PathLike[str]) -> Store:
    from . import STORE_NAME

    return Store.open(Path(out) / STORE_NAME, create=False)


def _fold() -> Callable[[str], str]:
    from ..dictionary import load_dictionary

    return load_dictionary().simplified


def search_briefs(out: str | os.PathLike[str], query: str, *, limit: int = 20) -> list[SearchHit]:
    """:func:`search` over the store of an output folder (`batch`'s or `watch`'s `--out`)."""
    store = _open_folder(out)
    try:
        return search(store, query, fold=_fold(), limit=limit)
    finally:
        store.close()


def query_figures(out: str | os.PathLike[str], *, entity: str | None = None, kind: str | None = None,
                  since: date | None = None, limit: int | None = None) -> list[FigureHit]:
    """:func:`find_figures` over the store of an output folder."""
    store = _open_folder(out)
    try:
        return find_figures(store, entity=entity, kind=kind, since=since, fold=_fold(), limit=limit)
    finally:
        store.close()
