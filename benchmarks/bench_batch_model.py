"""Batch with the model against briefing the same articles one by one with `newsbrief brief`.

    .venv/bin/python -m benchmarks.bench_batch_model [--corpus ../shared/corpus/articles] [--limit N]

Both sides generate afresh (no generation cache). The batch run loads the model once and
batches generation across articles (8 articles per writer call); the one-by-one side runs the
command per file, as a user would, start-up and model load included.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus" / "articles")
    parser.add_argument("--limit", type=int, default=None)
    args = parser.parse_args()

    from pipeline.folders import BatchRun, find_articles
    from pipeline.writer import default_writer

    paths = find_articles(args.corpus)[: args.limit]
    work = Path(tempfile.mkdtemp(prefix="newsbrief-bench-"))
    try:
        start = time.perf_counter()
        writer = default_writer(use_cache=False)
        with BatchRun(work / "batch", writer=writer, workers=2) as run:
            report = run.run(paths)
        batch_seconds = time.perf_counter() - start
        assert report.count("ok") == len(paths), [r.error for r in report.failed]

        start = time.perf_counter()
        for path in paths:
            subprocess.run([sys.executable, "-m", "pipeline.cli", "brief", str(path), "--no-cache", "--format",
                            "json", "--out", str(work / "single" / f"{path.stem}.json")],
                           check=True, capture_output=True, cwd=ROOT)
        single_seconds = time.perf_counter() - start
    finally:
        shutil.rmtree(work, ignore_errors=True)

    table = Table(title=f"Briefs with the model: {len(paths)} articles ({writer.generator.label})",
                  title_justify="left")
    for column in ("run", "seconds", "articles/min"):
        table.add_column(column, justify="left" if column == "run" else "right")
    table.add_row("newsbrief batch (model loaded once, generation batched)", f"{batch_seconds:.0f}",
                  f"{len(paths) / batch_seconds * 60:.1f}")
    table.add_row("newsbrief brief, one file at a time", f"{single_seconds:.0f}",
                  f"{len(paths) / single_seconds * 60:.1f}")
    Console().print(table)
    Console().print(f"batch time / one-by-one time: {batch_seconds / single_seconds:.2f}")


if __name__ == "__main__":
    main()
