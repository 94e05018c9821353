"""The seed article with English, uncached, model load included: this tree beside a baseline commit.

    .venv/bin/python -m benchmarks.bench_seed [--runs 1] [--baseline 533e744] [--file ARTICLE]

Each run is a fresh `newsbrief brief FILE --no-cache --no-server -f json` process, as a user would
type it, with its own empty NEWSBRIEF_HOME (so nothing is served from a cache) and the user's
installed models. The baseline runs from a temporary git worktree with the same virtual environment;
runs alternate between the two trees, so a busy moment of the machine hits both. The table gives the
median and best wall time, the ratio to the baseline, and how much English each brief has.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

from rich.console import Console
from rich.table import Table

from benchmarks.worktree import revision_tree
from pipeline.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT.parent / "shared" / "corpus" / "articles" / "00_tt123_tiktok_us_secondhand.txt"


def run_once(tree: Path, article: Path, models: Path) -> tuple[float, dict]:
    with tempfile.TemporaryDirectory() as home, tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        env = {**os.environ, "NEWSBRIEF_HOME": home, "NEWSBRIEF_MODELS": str(models), "NEWSBRIEF_SERVER": "off",
               "PYTHONPATH": str(tree)}
        command = [sys.executable, "-m", "pipeline.cli", "brief", str(article), "--no-cache", "-f", "json"]
        start = time.perf_counter()
        code = subprocess.call(command, stdout=out, stderr=err, env=env, cwd=tree)
        seconds = time.perf_counter() - start
        out.seek(0)
        err.seek(0)
        if code:
            raise SystemExit(f"{tree}: exit {code}: {err.read().decode(errors='replace')[-400:]}")
        return seconds, json.loads(out.read())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--baseline", default="533e744", help="git ref of the baseline ('' to skip)")
    parser.add_argument("--file", type=Path, default=SEED)
    args = parser.parse_args()
    models = Settings.from_env().models
    with tempfile.TemporaryDirectory(prefix="bench-seed-") as tmp, ExitStack() as stack:
        trees = {"this tree": ROOT}
        if args.baseline:
            baseline = stack.enter_context(revision_tree(args.baseline, Path(tmp) / "baseline"))
            trees = {f"baseline {args.baseline}": baseline, **trees}
        results: dict[str, list[tuple[float, dict]]] = {name: [] for name in trees}
        for _ in range(args.runs):
            for name, tree in trees.items():
                results[name].append(run_once(tree, args.file, models))
    table = Table(title=f"{args.file.name} with English, uncached, model load included ({args.runs} run"
                        f"{'s' if args.runs != 1 else ''} each)", title_justify="left")
    for column in ("tree", "median s", "best s", "ratio", "bullets", "subjects in English", "keywords in English"):
        table.add_column(column, justify="left" if column == "tree" else "right")
    base = statistics.median(t for t, _ in next(iter(results.values())))
    for name, runs in results.items():
        times = [t for t, _ in runs]
        brief = runs[-1][1]
        subjects = [f for f in brief["figures"] if f.get("subject")]
        table.add_row(name, f"{statistics.median(times):.1f}", f"{min(times):.1f}",
                      f"{statistics.median(times) / base:.2f}", str(len(brief.get("summary_en", []))),
                      f"{sum(1 for f in subjects if f.get('subject_en'))}/{len(subjects)}",
                      f"{sum(1 for k in brief['keywords'] if k.get('english'))}/{len(brief['keywords'])}")
    Console().print(table)


if __name__ == "__main__":
    main()
