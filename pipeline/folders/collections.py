"""The folder-wide files a run writes from the store: a digest page per day, the digest's index of days,
figures.csv and the index.json export. Only what a run changed is written again (the days it touched), so
a run's cost follows the articles it briefs, not the size of the archive."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from pathlib import Path

from ..files import write_atomic
from ..output import digest_index_markdown, digest_markdown
from ..output.data import FIGURE_COLUMNS, csv_cell
from ..output.markdown import StoryMark
from ..schema import Brief
from ..store import Store, brief_rows
from ..stories.lexicon import StoryLexicon
from .names import well_formed

DIGEST_FOLDER = "digest"
INDEX_VERSION = 1
TITLES_PER_DAY = 3


def csv_text(header: list[str], rows: Iterable[tuple]) -> Iterator[str]:
    """CSV, a chunk of rows at a time (a large archive's figures are never held in memory whole)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for n, row in enumerate(rows, 1):
        writer.writerow(map(csv_cell, row))
        if n % 2000 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def write_collections(out: Path, store: Store, days: set[str] | None, *, full: bool = True) -> None:
    """Write the day pages of `days` (None: every day, and remove pages of days that have no brief left),
    then the digest's index and, with `full`, figures.csv and index.json."""
    folder = out / DIGEST_FOLDER
    present = dict(store.days())
    if days is None:
        days = set(present)
        if folder.is_dir():
            days |= {page.stem for page in folder.glob("*.md")}
    stories = None
    marks: dict[str, StoryMark] = {}
    if full:  # stories first: a day's page gives each story one entry
        from ..output.stories import stories_json, stories_markdown
        from ..stories import build_stories

        stories = build_stories(store)
        write_atomic(out / "stories.json", stories_json(stories))
        write_atomic(out / "stories.md", stories_markdown(stories))
        for story in stories:
            mark = StoryMark(story.id, tuple(story.outlets), story.conflicts)
            marks.update((article.slug, mark) for article in story.articles)
            story_days = {_day(article.published) for article in story.articles}
            if story_days & days:  # an article joined on one day: its story's other days say so too
                days |= story_days
    for day in sorted(days):
        page = folder / f"{day}.md"
        if day in present:
            write_atomic(page, digest_markdown(store.day_briefs(day), heading=f"newsbrief digest: {day}",
                                               brief_link_prefix="../", stories=marks))
        else:
            page.unlink(missing_ok=True)
    listing = [(day, count, store.day_titles(day, TITLES_PER_DAY)) for day, count in present.items()]
    write_atomic(out / "digest.md", digest_index_markdown(listing, f"{DIGEST_FOLDER}/", stories=len(stories)
                                                          if stories is not None else None))
    if not full:
        return
    write_atomic(out / "figures.csv", csv_text(FIGURE_COLUMNS, store.figure_table()))
    write_atomic(out / "index.json", json.dumps({"version": INDEX_VERSION, "files": store.entries()},
                                                ensure_ascii=False, indent=1) + "\n")


def _day(published) -> str:
    return published.strftime("%Y-%m-%d") if published else "undated"


def collections_missing(out: Path) -> bool:
    return not all((out / name).is_file() for name in ("digest.md", "figures.csv", "index.json"))


def migrate_index(out: Path, store: Store, lexicon: StoryLexicon) -> bool:
    """A folder written before the store: its index.json entries and their briefs go into the new store (an
    entry whose brief cannot be read is left out: that article is briefed again). True when any went in."""
    try:
        data = json.loads((out / "index.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    files = data.get("files") if isinstance(data, dict) and data.get("version") == INDEX_VERSION else None
    if not isinstance(files, dict):
        return False
    with store.transaction():
        for key, entry in files.items():
            if not well_formed(entry) or entry.get("status") not in ("ok", "failed"):
                continue
            entry = {**entry, "path": key}
            rows = None
            if entry["status"] == "ok":
                if not entry.get("slug"):
                    continue
                try:
                    brief = Brief.model_validate_json((out / f"{entry['slug']}.json").read_text("utf-8"))
                    entry["sizes"] = [(out / name).stat().st_size for name in entry.get("outputs", [])]
                except (OSError, ValueError):
                    continue
                rows = brief_rows(entry["slug"], brief, lexicon) if store.day_of(entry["slug"]) is None else None
            store.put(entry, rows)
    return True
