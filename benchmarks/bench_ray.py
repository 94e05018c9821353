"""The Ray engine against the local engine, same folder, same run (`batch --no-summary`).

    .venv/bin/python -m benchmarks.bench_ray [--files 200] [--workers 2] [--address HOST:PORT]

Builds a folder of --files slightly different copies of the shared articles (no cache hits), then
briefs it with the local engine (worker processes) and with the Ray engine (a Ray started for the
run, or the cluster at --address), each into a fresh output folder, and checks that both wrote the
same JSON. Reports wall time, articles/s, the ratio to the local engine, when the first result came
back (start-up: worker pools, each Ray worker building its own pipeline, ray.init) and Ray's
start-up (ray.init) time alone.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

from .bench_batch import ROOT, make_folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--files", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--address", default=None, help="a running Ray cluster (default: start one for the run)")
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus" / "articles")
    args = parser.parse_args()

    from pipeline.folders import BatchRun, RayEngine
    from pipeline.folders.discover import find_articles
    from pipeline.nlp import Pipeline

    nlp = Pipeline()
    work = Path(tempfile.mkdtemp(prefix="newsbrief-bench-ray-"))
    rows: list[tuple[str, float, float, str]] = []
    try:
        folder = work / "articles"
        folder.mkdir()
        make_folder(args.corpus, folder, args.files)
        paths = find_articles(folder)
        runs = [("local", f"local engine, {args.workers} worker processes (baseline)", None),
                ("ray", f"ray engine, {args.workers} workers, "
                        f"{'cluster at ' + args.address if args.address else 'a Ray started for the run'}",
                 RayEngine(address=args.address, workers=args.workers))]
        for name, label, engine in runs:
            arrivals: list[float] = []
            start = time.perf_counter()
            with BatchRun(work / name, pipeline=nlp, workers=args.workers, engine=engine) as run:
                report = run.run(paths, lambda *_, seen=arrivals: seen.append(time.perf_counter()))
            seconds = time.perf_counter() - start
            assert report.count("ok") == len(paths), [r.error for r in report.failed][:3]
            first = arrivals[0] - start if arrivals else float("nan")  # start-up: pools, pipelines, Ray
            started = f"{engine.started_seconds:.1f}" if engine and engine.started_seconds is not None else "–"
            rows.append((label, seconds, first, started))

        differ = [p.name for p in (work / "local").glob("*.json")
                  if p.read_bytes() != (work / "ray" / p.name).read_bytes()]
    finally:
        shutil.rmtree(work, ignore_errors=True)

    local_seconds = rows[0][1]
    table = Table(title=f"batch --no-summary, {args.files} files: local vs Ray engine")
    for column in ("run", "seconds", "articles/s", "time vs local", "first result after s", "of which ray.init s"):
        table.add_column(column, justify="left" if column == "run" else "right")
    for name, seconds, first, started in rows:
        table.add_row(name, f"{seconds:.2f}", f"{args.files / seconds:,.1f}", f"{seconds / local_seconds:.2f}",
                      f"{first:.1f}", started)
    console = Console(width=150)
    console.print(table)
    console.print(f"JSON outputs that differ between the engines: {len(differ)}" + (f" {differ[:3]}" if differ else ""))


if __name__ == "__main__":
    main()
