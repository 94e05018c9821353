"""Batch throughput with --no-summary, against plain jieba segmentation of the same files.

    .venv/bin/python -m benchmarks.bench_batch [--files 200] [--corpus ../shared/corpus/articles]

Copies the shared articles into a temporary folder until it holds --files files (each copy
slightly different, so none is a cache hit), then briefs the folder with 1 and 2 workers,
times a second run served from the cache, and reports peak memory.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parent.parent


def make_folder(corpus: Path, target: Path, count: int) -> list[Path]:
    sources = sorted(corpus.glob("*.txt"))
    paths = []
    for i in range(count):
        source = sources[i % len(sources)]
        path = target / f"{i:04d}_{source.name}"
        path.write_text(source.read_text(encoding="utf-8") + f"\n（副本{i}）", encoding="utf-8")
        paths.append(path)
    return paths


def peak_mib() -> tuple[float, float]:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, children


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--files", type=int, default=200)
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus" / "articles")
    args = parser.parse_args()

    import jieba

    from pipeline.folders import brief_folder
    from pipeline.nlp import Pipeline

    start = time.perf_counter()
    nlp = Pipeline()
    startup = time.perf_counter() - start
    work = Path(tempfile.mkdtemp(prefix="newsbrief-bench-"))
    try:
        folder = work / "articles"
        folder.mkdir()
        paths = make_folder(args.corpus, folder, args.files)
        texts = [p.read_text(encoding="utf-8") for p in paths]
        start = time.perf_counter()
        for text in texts:
            jieba.lcut(text)
        jieba_seconds = time.perf_counter() - start

        rows = [("jieba.lcut of the same files (baseline)", jieba_seconds, len(paths))]
        for workers in (1, 2):
            out = work / f"out{workers}"
            start = time.perf_counter()
            report = brief_folder(folder, out, workers=workers, summary=False, pipeline=nlp)
            seconds = time.perf_counter() - start
            assert report.count("ok") == len(paths), [r.error for r in report.failed][:3]
            rows.append((f"batch --no-summary, {workers} worker{'s' if workers > 1 else ''}", seconds, len(paths)))
        start = time.perf_counter()
        report = brief_folder(folder, work / "out2", workers=2, summary=False, pipeline=nlp)
        cached_seconds = time.perf_counter() - start
        assert report.count("cached") == len(paths)
        rows.append(("second run, served from cache", cached_seconds, len(paths)))
    finally:
        shutil.rmtree(work, ignore_errors=True)

    table = Table(title=f"Batch throughput: {args.files} files (pipeline start-up {startup:.1f} s, not included)")
    for column in ("run", "seconds", "articles/s", "time vs jieba"):
        table.add_column(column, justify="left" if column == "run" else "right")
    for name, seconds, count in rows:
        table.add_row(name, f"{seconds:.2f}", f"{count / seconds:,.1f}", f"{seconds / jieba_seconds:.1f}")
    Console().print(table)
    own, children = peak_mib()
    Console().print(f"peak resident memory: main process {own:,.0f} MiB, largest worker {children:,.0f} MiB")


if __name__ == "__main__":
    main()
