"""Batch cost as the archive grows: `batch --no-summary` over 1,000, 10,000 and 50,000 generated article
variants (each a fresh output folder), the per-article cost at each size against the smallest, a cached
re-run, story clustering over each store (its seconds and stories) and searches over the largest; optionally
the same sizes for a baseline revision, side by side.

    .venv/bin/python -m benchmarks.bench_store [--sizes 1000 10000 50000] [--workers 2] [--baseline REV
        --baseline-sizes 1000 4000]

The variants are made from the project's own samples (corpus/samples): each with its own publication day (a
year and a half of days, so the digest has many pages) and a line of its own, so none is a cache hit. The
pipeline is built before the clock starts; each size runs in a process of its own.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEARCHES = ["拼多多", "关税", "二手奢侈品", "海外仓 德国", "Temu", "Amazon"]
_DAY = re.compile(r"20\d\d-\d\d-\d\d")


def make_variants(folder: Path, count: int) -> None:
    samples = sorted((ROOT / "corpus" / "samples").iterdir())
    texts = [(path.suffix, path.read_text(encoding="utf-8")) for path in samples]
    start = date(2024, 1, 1)
    for i in range(count):
        suffix, text = texts[i % len(texts)]
        day = (start + timedelta(days=(i * 7) % 540)).isoformat()
        text = _DAY.sub(day, text)
        marker = f"（本文编号{i}）"  # a line of its own: never a cache hit
        text = text.replace("</article>", f"<p>{marker}</p></article>") if suffix == ".html" else f"{text}\n{marker}\n"
        (folder / f"{i:06d}{suffix}").write_text(text, encoding="utf-8")


def run_size(count: int, workers: int, work: Path, searches: bool) -> dict:
    """In this process (the tree on sys.path): brief `count` variants, then again from the cache."""
    from pipeline.folders import brief_folder
    from pipeline.nlp import Pipeline

    folder, out = work / f"in{count}", work / f"out{count}"
    folder.mkdir()
    make_variants(folder, count)
    nlp = Pipeline()
    started = time.perf_counter()
    report = brief_folder(folder, out, summary=False, workers=workers, pipeline=nlp)
    seconds = time.perf_counter() - started
    assert report.count("ok") == count, [r.error for r in report.failed][:3]
    started = time.perf_counter()
    again = brief_folder(folder, out, summary=False, workers=workers, pipeline=nlp)
    cached = time.perf_counter() - started
    missed = [(r.path, r.status, r.error) for r in again.results if r.status != "cached"]
    assert not missed, missed[:5]
    result = {"count": count, "seconds": seconds, "cached": cached,
              "bytes": sum(p.stat().st_size for p in out.rglob("*") if p.is_file())}
    if (out / "newsbrief.db").is_file():  # story clustering over the whole store (a baseline has none)
        from pipeline.store import STORE_NAME, Store
        from pipeline.stories import build_stories

        store = Store.open(out / STORE_NAME, create=False)
        started = time.perf_counter()
        result["stories"] = len(build_stories(store))
        result["stories_seconds"] = time.perf_counter() - started
        store.close()
    if searches:
        from pipeline.dictionary import load_dictionary
        from pipeline.store import STORE_NAME, Store
        from pipeline.store.query import search

        store = Store.open(out / STORE_NAME, create=False)
        fold = load_dictionary().simplified
        timings = []
        for query in SEARCHES:
            started = time.perf_counter()
            hits = search(store, query, fold=fold, limit=20)
            timings.append((query, time.perf_counter() - started, len(hits)))
        store.close()
        result["searches"] = timings
        result["db_bytes"] = (out / STORE_NAME).stat().st_size
    shutil.rmtree(folder)
    shutil.rmtree(out)
    return result


def measure(tree: Path, count: int, workers: int, searches: bool) -> dict:
    with tempfile.TemporaryDirectory(prefix="newsbrief-store-") as work:
        code = ("import json, sys; from pathlib import Path; from benchmarks.bench_store import run_size; "
                f"print(json.dumps(run_size({count}, {workers}, Path({work!r}), {searches})))")
        env = {**os.environ, "PYTHONPATH": str(tree)}
        done = subprocess.run([sys.executable, "-c", code], cwd=tree, env=env, capture_output=True, text=True,
                              check=False)
        if done.returncode:
            raise SystemExit(f"{tree} at {count}: {done.stderr[-2000:]}")
        result = json.loads(done.stdout.strip().splitlines()[-1])
        print(f"{tree.name} {json.dumps(result)}", file=sys.stderr, flush=True)  # each as it is measured
        return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 50000])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--baseline", help="a git revision to run side by side (the index.json batch: 8a2f812)")
    parser.add_argument("--baseline-sizes", type=int, nargs="+", default=[1000, 4000])
    args = parser.parse_args()

    from rich.console import Console
    from rich.table import Table

    from .worktree import revision_tree

    runs = {"this tree": [measure(ROOT, n, args.workers, n == max(args.sizes)) for n in args.sizes]}
    if args.baseline:
        with tempfile.TemporaryDirectory() as parent, revision_tree(args.baseline, Path(parent) / "tree") as tree:
            shutil.copy(ROOT / "benchmarks" / "bench_store.py", tree / "benchmarks" / "bench_store.py")
            runs[args.baseline] = [measure(tree, n, args.workers, False) for n in args.baseline_sizes]
    table = Table(title=f"batch --no-summary --workers {args.workers}: generated variants, a fresh folder per size")
    for column in ("tree", "articles", "seconds", "articles/s", "ms/article", "vs smallest", "cached re-run s",
                   "output MB", "stories s"):
        table.add_column(column, justify="left" if column == "tree" else "right")
    for name, results in runs.items():
        first = results[0]["seconds"] / results[0]["count"]
        for r in results:
            per = r["seconds"] / r["count"]
            table.add_row(name, f"{r['count']:,}", f"{r['seconds']:.1f}", f"{r['count'] / r['seconds']:.1f}",
                          f"{per * 1000:.1f}", f"{per / first:.2f}", f"{r['cached']:.1f}", f"{r['bytes'] / 1e6:.0f}",
                          f"{r['stories_seconds']:.1f} ({r['stories']})" if "stories" in r else "")
    Console(width=150).print(table)
    largest = runs["this tree"][-1]
    searches = Table(title=f"search over {largest['count']:,} briefs (store {largest['db_bytes'] / 1e6:.0f} MB)")
    for column in ("query", "ms", "hits (limit 20)"):
        searches.add_column(column, justify="left" if column == "query" else "right")
    for query, seconds, hits in largest["searches"]:
        searches.add_row(query, f"{seconds * 1000:.1f}", str(hits))
    searches.add_row("median", f"{statistics.median(s for _, s, _ in largest['searches']) * 1000:.1f}", "")
    Console(width=150).print(searches)


if __name__ == "__main__":
    main()
