"""The store of an output folder: one SQLite database (`OUT/newsbrief.db`, WAL mode) that every run writing
the folder shares (batch, watch of folders and feeds, the Ray engine's driver).

Tables: `inputs` (one row per input: content hash, fingerprint, status, slug, outputs, warnings, error),
`briefs` (each brief once, compressed, with its day, title and source), `figures` and `entities` (one row per
figure and entity, for queries), and two full-text indexes (`search_zh` over the Chinese title and text,
folded to Simplified; `search_en` over the English). An input's row and its brief's rows change in one
transaction, so a run killed at any point leaves a store that opens with every committed article whole.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..errors import NewsbriefError, os_reason
from ..schema import Brief
from .rows import ENTITY_FIELDS, FIGURE_FIELDS, BriefRows, dumps, unpack

LOG = logging.getLogger("newsbrief")

STORE_NAME = "newsbrief.db"
APPLICATION_ID = 0x6E627266  # 'nbrf': tells our database from another program's
SCHEMA_VERSION = 1
# The Chinese index: trigram (substrings of three characters or more, any script) was measured against
# jieba-segmented words on judged queries (benchmarks/bench_search.py); shorter queries use LIKE on it.
CHINESE_TOKENIZER = "trigram"

_SCHEMA = f"""
CREATE TABLE inputs (key TEXT PRIMARY KEY, content_sha256 TEXT, options TEXT, status TEXT NOT NULL,
    slug TEXT, outputs TEXT NOT NULL DEFAULT '[]', sizes TEXT, warnings TEXT NOT NULL DEFAULT '[]', error TEXT,
    stat TEXT, updated REAL NOT NULL);
CREATE INDEX inputs_content ON inputs(content_sha256);
CREATE INDEX inputs_slug ON inputs(slug);
CREATE TABLE briefs (id INTEGER PRIMARY KEY, slug TEXT NOT NULL UNIQUE, day TEXT NOT NULL, published TEXT,
    title TEXT NOT NULL, title_en TEXT, source TEXT, url TEXT, brief BLOB NOT NULL);
CREATE INDEX briefs_day ON briefs(day);
CREATE TABLE figures (brief INTEGER NOT NULL REFERENCES briefs(id) ON DELETE CASCADE,
    {", ".join(FIGURE_FIELDS)}, PRIMARY KEY (brief, n)) WITHOUT ROWID;
CREATE INDEX figures_kind ON figures(kind);
CREATE TABLE entities (brief INTEGER NOT NULL REFERENCES briefs(id) ON DELETE CASCADE,
    {", ".join(ENTITY_FIELDS)}, PRIMARY KEY (brief, n)) WITHOUT ROWID;
CREATE INDEX entities_text ON entities(text);
CREATE TABLE features (brief INTEGER PRIMARY KEY REFERENCES briefs(id) ON DELETE CASCADE, data TEXT NOT NULL,
    minhash BLOB NOT NULL);
CREATE INDEX entities_english ON entities(english COLLATE NOCASE);
CREATE VIRTUAL TABLE search_zh USING fts5(title, body, tokenize='{CHINESE_TOKENIZER}');
CREATE VIRTUAL TABLE search_en USING fts5(title, body, tokenize='porter unicode61');
PRAGMA application_id = {APPLICATION_ID};
PRAGMA user_version = {SCHEMA_VERSION};
"""

_ENTRY_COLUMNS = ("key", "content_sha256", "options", "status", "slug", "outputs", "sizes", "warnings", "error", "stat")


OPEN_WAIT_SECONDS = 60


class _NotReady(Exception):
    """The store's file exists but its tables do not yet."""


class StoreError(NewsbriefError):
    """The store cannot be opened or written: one line naming the file."""

    def __init__(self, path: Path, reason: str) -> None:
        self.path = str(path)
        super().__init__(f"{path}: {reason}")


def _entry(row: tuple) -> dict:
    entry = dict(zip(_ENTRY_COLUMNS, row, strict=True))
    entry["path"] = entry.pop("key")
    for name in ("outputs", "warnings"):
        entry[name] = json.loads(entry[name])
    for name in ("sizes", "stat"):  # only where known: an output's size in bytes, a remote object's listing
        if entry[name] is None:
            del entry[name]
        else:
            entry[name] = json.loads(entry[name])
    return entry


class Store:
    """The database of one output folder. Open it with :meth:`open`; a database file that is damaged is moved
    aside (`newsbrief.db.damaged-<time>`) and the store rebuilt from `index.json` and the briefs' JSON, with a
    note; one of another program or of a newer newsbrief is a one-line :class:`StoreError`."""

    def __init__(self, path: Path, db: sqlite3.Connection, created: bool) -> None:
        self.path = path
        self.db = db
        self.created = created  # a new store: an index.json beside it may be migrated into it

    # -- opening

    @classmethod
    def open(cls, path: Path, *, create: bool = True) -> Store:
        """Open (or, with `create`, create or rebuild) the store at `path`. Without `create` (to read it), a
        missing or damaged store is a :class:`StoreError`."""
        if path.exists() and not path.is_file():
            raise StoreError(path, "is a folder where newsbrief keeps a file (its store); move it away")
        if not create and not path.is_file():
            raise StoreError(path.parent, f"no newsbrief store here ({path.name}); brief a folder into it first "
                             "(newsbrief batch FOLDER --out OUT)")
        deadline = time.monotonic() + OPEN_WAIT_SECONDS
        while True:
            try:
                return cls._open(path, create)
            except (_NotReady, sqlite3.OperationalError) as exc:
                # Another run is creating the store or switching it to WAL (its lock is not waited on by
                # SQLite's busy handler): wait for it; a real lock past the deadline is one line.
                if isinstance(exc, sqlite3.OperationalError) and "locked" not in str(exc) \
                        and "busy" not in str(exc):
                    return cls._damaged(path, exc, create)
                if time.monotonic() > deadline:
                    reason = "no newsbrief store here yet" if isinstance(exc, _NotReady) else \
                        f"the database is locked by another process ({exc})"
                    raise StoreError(path, reason) from None
                time.sleep(0.05)
            except sqlite3.DatabaseError as exc:
                return cls._damaged(path, exc, create)
            except OSError as exc:
                raise StoreError(path, f"cannot open the database ({os_reason(exc)})") from None

    @classmethod
    def _damaged(cls, path: Path, exc: sqlite3.DatabaseError, create: bool) -> Store:
        try:
            if not create:
                raise StoreError(path, f"not a readable newsbrief store ({exc}); the next batch or watch into "
                                 "this folder moves it aside and rebuilds it") from None
            aside = path.with_name(f"{path.name}.damaged-{time.strftime('%Y%m%d-%H%M%S')}")
            try:
                os.replace(path, aside)
                for suffix in ("-wal", "-shm"):
                    Path(f"{path}{suffix}").unlink(missing_ok=True)
            except OSError as move:
                raise StoreError(path, f"damaged ({exc}) and cannot be moved aside ({os_reason(move)})") from None
            LOG.warning("%s was damaged (%s); moved it to %s and rebuilt the store", path, exc, aside.name)
            return cls._open(path, create)
        except OSError as exc:
            raise StoreError(path, f"cannot open the database ({os_reason(exc)})") from None

    @classmethod
    def _open(cls, path: Path, create: bool = True) -> Store:
        db = sqlite3.connect(path, timeout=60, isolation_level=None, check_same_thread=False)
        try:
            db.execute("PRAGMA busy_timeout = 60000")
            # One snapshot for both: read apart, a schema committed in between looks like another program's.
            db.execute("BEGIN")
            tables = db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
            app_id = db.execute("PRAGMA application_id").fetchone()[0]
            db.execute("COMMIT")
            if tables and app_id != APPLICATION_ID:
                raise StoreError(path, "is a database of another program; move it away or choose another --out")
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise StoreError(path, f"was written by a newer newsbrief (store version {version}); upgrade "
                                 "newsbrief or choose another --out")
            db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA synchronous = NORMAL")  # WAL: a commit survives a killed process
            db.execute("PRAGMA foreign_keys = ON")
            created = False
            if not tables and not create:
                raise _NotReady  # an empty file: a run is creating the store (see open)
            if not tables:
                db.execute("BEGIN IMMEDIATE")
                if not db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:  # another run may have won
                    for statement in filter(str.strip, _SCHEMA.split(";")):
                        db.execute(statement)
                    created = True
                db.execute("COMMIT")
            db.execute("SELECT key FROM inputs LIMIT 1").fetchall()
            db.execute("SELECT id FROM briefs LIMIT 1").fetchall()
        except BaseException:
            db.close()
            raise
        return cls(path, db, created)

    def close(self) -> None:
        self.db.close()

    # -- writing

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction (taken at once, so two writers queue rather than deadlock)."""
        self._run("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            if self.db.in_transaction:
                self.db.execute("ROLLBACK")
            raise
        self._run("COMMIT")

    def _run(self, sql: str, params: tuple = ()) -> sqlite3.Cursor:
        try:
            return self.db.execute(sql, params)
        except sqlite3.DatabaseError as exc:
            raise StoreError(self.path, f"the database could not be written ({exc})") from None

    def put(self, entry: dict, rows: BriefRows | None = None) -> dict | None:
        """Record an input (and its brief's rows) and return the entry it replaces. Call inside
        :meth:`transaction` when files are written with it; alone it is its own transaction."""
        if not self.db.in_transaction:
            with self.transaction():
                return self.put(entry, rows)
        key = entry["path"]
        previous = self.entry(key)
        stat = entry.get("stat")
        sizes = entry.get("sizes")
        self._run("INSERT OR REPLACE INTO inputs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", (
            key, entry.get("content_sha256"), entry.get("options"), entry["status"], entry.get("slug"),
            dumps(entry.get("outputs", [])), dumps(sizes) if sizes is not None else None,
            dumps(entry.get("warnings", [])), entry.get("error"), dumps(stat) if stat is not None else None,
            time.time()))
        if rows is not None:
            self._drop_brief(rows.slug)
            cursor = self._run("INSERT INTO briefs (slug, day, published, title, title_en, source, url, brief) "
                               "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", (rows.slug, rows.day, rows.published, rows.title,
                                                                   rows.title_en, rows.source, rows.url, rows.blob))
            brief_id = cursor.lastrowid
            marks = ", ".join("?" * (len(FIGURE_FIELDS) + 1))
            self.db.executemany(f"INSERT INTO figures VALUES ({marks})", [(brief_id, *f) for f in rows.figures])
            marks = ", ".join("?" * (len(ENTITY_FIELDS) + 1))
            self.db.executemany(f"INSERT INTO entities VALUES ({marks})", [(brief_id, *e) for e in rows.entities])
            self._run("INSERT INTO features VALUES (?, ?, ?)", (brief_id, *rows.features))
            self._run("INSERT INTO search_zh (rowid, title, body) VALUES (?, ?, ?)", (brief_id, *rows.chinese))
            self._run("INSERT INTO search_en (rowid, title, body) VALUES (?, ?, ?)", (brief_id, *rows.english))
        if previous and previous.get("slug") and previous["slug"] != entry.get("slug"):
            self.release(previous["slug"])
        return previous

    def remove(self, keys: list[str]) -> list[dict]:
        """Forget inputs (and their briefs where no other input shares them); return their entries."""
        removed = []
        with self.transaction():
            for key in keys:
                entry = self.entry(key)
                if entry is None:
                    continue
                self._run("DELETE FROM inputs WHERE key = ?", (key,))
                removed.append(entry)
            for entry in removed:
                if entry.get("slug"):
                    self.release(entry["slug"])
        return removed

    def release(self, slug: str) -> str | None:
        """Drop a brief no input names any more; returns its day (its digest page changes), else None."""
        if self.db.execute("SELECT 1 FROM inputs WHERE slug = ? LIMIT 1", (slug,)).fetchone():
            return None
        return self._drop_brief(slug)

    def _drop_brief(self, slug: str) -> str | None:
        row = self.db.execute("SELECT id, day FROM briefs WHERE slug = ?", (slug,)).fetchone()
        if row is None:
            return None
        brief_id, day = row
        for table in ("search_zh", "search_en"):
            self._run(f"DELETE FROM {table} WHERE rowid = ?", (brief_id,))
        self._run("DELETE FROM briefs WHERE id = ?", (brief_id,))  # figures and entities cascade
        return day

    # -- reading

    def entry(self, key: str) -> dict | None:
        row = self.db.execute(f"SELECT {', '.join(_ENTRY_COLUMNS)} FROM inputs WHERE key = ?", (key,)).fetchone()
        return _entry(row) if row else None

    def entries(self) -> dict[str, dict]:
        rows = self.db.execute(f"SELECT {', '.join(_ENTRY_COLUMNS)} FROM inputs ORDER BY key")
        return {row[0]: _entry(row) for row in rows}

    def input_keys(self) -> list[str]:
        return [row[0] for row in self.db.execute("SELECT key FROM inputs")]

    def with_content(self, content_sha256: str, options: str) -> list[dict]:
        """Briefed inputs with these bytes under this fingerprint (one article under two names)."""
        rows = self.db.execute(f"SELECT {', '.join(_ENTRY_COLUMNS)} FROM inputs WHERE content_sha256 = ? "
                               "AND options = ? AND status = 'ok' AND slug IS NOT NULL", (content_sha256, options))
        return [_entry(row) for row in rows]

    def slug_taken(self, slug: str, key: str) -> bool:
        return self.db.execute("SELECT 1 FROM inputs WHERE slug = ? AND key != ? LIMIT 1", (slug, key)).fetchone() \
            is not None

    def brief(self, slug: str) -> Brief | None:
        row = self.db.execute("SELECT brief FROM briefs WHERE slug = ?", (slug,)).fetchone()
        return unpack(row[0]) if row else None

    def day_of(self, slug: str) -> str | None:
        row = self.db.execute("SELECT day FROM briefs WHERE slug = ?", (slug,)).fetchone()
        return row[0] if row else None

    def days(self) -> list[tuple[str, int]]:
        """(day, number of briefs), newest first, undated last."""
        rows = self.db.execute("SELECT day, count(*) FROM briefs GROUP BY day ORDER BY day = 'undated', day DESC")
        return list(rows)

    def day_titles(self, day: str, limit: int) -> list[tuple[str, str]]:
        rows = self.db.execute("SELECT slug, coalesce(title_en, title) FROM briefs WHERE day = ? "
                               "ORDER BY published DESC, slug LIMIT ?", (day, limit))
        return list(rows)

    def day_briefs(self, day: str) -> list[tuple[str, Brief]]:
        rows = self.db.execute("SELECT slug, brief FROM briefs WHERE day = ?", (day,))
        return [(slug, unpack(blob)) for slug, blob in rows]

    def count_briefs(self) -> int:
        return self.db.execute("SELECT count(*) FROM briefs").fetchone()[0]

    def figure_table(self) -> Iterator[tuple]:
        """Every figure as a row of figures.csv (output.data.FIGURE_COLUMNS), newest article first."""
        rows = self.db.execute(
            "SELECT b.slug, coalesce(b.title_en, b.title), coalesce(b.published, ''), f.text, f.kind, "
            "coalesce(f.value, ''), coalesce(f.low, ''), coalesce(f.high, ''), coalesce(f.unit, ''), "
            "coalesce(f.period, ''), f.english, coalesce(f.subject_en, ''), coalesce(f.approx, ''), "
            "coalesce(f.change, ''), coalesce(f.comparison, ''), CASE WHEN f.forecast THEN 'yes' ELSE '' END, "
            "f.salience FROM figures f JOIN briefs b ON b.id = f.brief "
            "ORDER BY b.day = 'undated', b.published DESC, b.slug, f.n")
        yield from rows
