"""`newsbrief stories` and `newsbrief eval stories`: events across outlets, and how well they are found."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated

import typer

from ..errors import NewsbriefError
from ..output.terminal import make_console
from .app import app, eval_app
from .common import fail
from .store import FormatOption, ResultFormat, StoreFolder


@app.command()
def stories(out: StoreFolder, format: FormatOption = ResultFormat.table) -> None:
    """The events in OUT reported by more than one article: outlets, dates and the figures they disagree on
    (OUT/stories.md has the whole story briefs)."""
    from ..output.stories import stories_json, stories_table
    from ..store import STORE_NAME, Store
    from ..stories import build_stories

    try:
        store = Store.open(out / STORE_NAME, create=False)
        try:
            found = build_stories(store)
        finally:
            store.close()
    except NewsbriefError as exc:
        raise fail(str(exc)) from None
    if format is ResultFormat.table:
        make_console().print(stories_table(found))
    elif format is ResultFormat.json:
        typer.echo(stories_json(found), nl=False)
    else:
        raise fail("--format csv: stories are nested; use json")


@eval_app.command("stories")
def eval_stories(
    folder: Annotated[Path, typer.Argument(help="A judged folder (format of ../shared/stories/: the articles, "
                                                "stories.json and conflicts.json).")],
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Brief into this folder (kept); default: a "
                                                                   "temporary one.")] = None,
    errors: Annotated[bool, typer.Option("--errors", help="List missed disagreements and wrong flags.")] = False,
) -> None:
    """Pairwise precision and recall of "same story", distractors kept apart, copies marked, and the
    disagreements of conflicts.json flagged (and flags that are rounding or wording)."""
    from ..eval.stories import score_stories
    from ..folders import brief_folder
    from ..store import STORE_NAME, Store
    from ..stories import build_stories

    console = make_console()
    with tempfile.TemporaryDirectory(prefix="newsbrief-stories-") as work:
        target = out or Path(work)
        try:
            report = brief_folder(folder, target, summary=False)
            store = Store.open(target / STORE_NAME, create=False)
            try:
                found = build_stories(store)
                names = {e["slug"]: Path(key).name for key, e in store.entries().items() if e.get("slug")}
            finally:
                store.close()
            score = score_stories(found, names, folder)
        except (NewsbriefError, OSError, ValueError, KeyError) as exc:
            raise fail(f"{folder}: {exc}") from None
    f1 = 2 * score.precision * score.recall / (score.precision + score.recall) if score.pairs_predicted else 0.0
    console.print(f"{report.count('ok') + report.count('cached')} articles, {len(found)} stories", markup=False)
    console.print(f"same story, pairwise: precision {score.precision:.3f} recall {score.recall:.3f} F1 {f1:.3f} "
                  f"({score.pairs_right} of {score.pairs_predicted} predicted, {score.pairs_gold} judged)",
                  markup=False)
    console.print(f"distractors kept apart from their look-alike story: {score.distractors_apart} of "
                  f"{score.distractors}", markup=False)
    console.print(f"marked as copies: {len(score.copies)}" + "".join(f"\n  {c} copies {o}" for c, o in score.copies),
                  markup=False)
    share = score.flags_not_real / score.flags if score.flags else 0.0
    console.print(f"real disagreements flagged: {score.real_flagged} of {score.real}; flags (pairs of values): "
                  f"{score.flags}, real {score.flags_real}, rounding/wording/other measure {score.flags_not_real} "
                  f"({100 * share:.0f}%), unclear {score.flags_unclear}, not listed {score.flags_unlisted}",
                  markup=False)
    if errors:
        for line in score.missed:
            console.print(f"missed: {line}", markup=False)
        for line in score.wrong_flags:
            console.print(f"flag: {line}", markup=False)
