"""Throughput of the deterministic extraction stages against plain jieba segmentation.

    .venv/bin/python -m benchmarks.bench_extract [--repeat 5] [--corpus ../shared/corpus/articles] [--one-core]

Prints characters per second for each stage over all shared articles, measured in the same
run, and the ratio of each stage's time to jieba's (targets: figures <= 1.0; the whole fact sheet
>= 20k chars/s on one core). The trained recogniser is also timed alone, and the entity stage
without it, so its cost shows as a ratio to jieba. `--one-core` pins the process to one CPU and
numpy's BLAS to one thread.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from pathlib import Path

from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parent.parent


def best_time(func: Callable[[], object], repeat: int) -> float:
    """Best of `repeat` runs: the least disturbed by the rest of the machine."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus" / "articles")
    parser.add_argument("--one-core", action="store_true", help="one CPU, one BLAS thread")
    args = parser.parse_args()
    if args.one_core:
        import os

        for variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
            os.environ[variable] = "1"  # read when numpy loads its BLAS, below
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})

    import jieba

    from pipeline import ingest_file
    from pipeline.nlp import Pipeline
    from pipeline.resources import default_resources, ensure_jieba
    from pipeline.segment import pos_tags, split_sentences, tokenize

    resources = default_resources()
    ensure_jieba(resources)
    nlp = Pipeline()  # builds every component once, outside the timings
    articles = [ingest_file(p) for p in sorted(args.corpus.glob("*.txt"))]
    sentences = [split_sentences(a.text, a.paragraphs) for a in articles]
    chars = sum(len(a.text) for a in articles)

    def run_jieba() -> None:
        for article in articles:
            jieba.lcut(article.text)

    stages: dict[str, Callable[[], None]] = {"jieba.lcut (baseline)": run_jieba}
    components = dict(zip(nlp.names, nlp._components, strict=True))

    from pipeline.doc import Doc

    def stage_runner(name: str) -> Callable[[], None]:
        def run() -> None:
            for article, sents in zip(articles, sentences, strict=True):
                doc = Doc(article=article, sentences=sents)
                if name == "entities":  # what entities cost: the jieba Doc and the tags they read
                    doc.tokens, doc.pos_tags = tokenize(article.text, resources), pos_tags(article.text, resources)
                components[name](doc)

        return run

    for name in ("figures", "entities"):
        if name in components:
            stages[name] = stage_runner(name)

    from pipeline.entities import EntityExtractor
    from pipeline.entities.components import ENTITY_PIPES

    without = EntityExtractor(resources, tuple(p for p in ENTITY_PIPES if p != "newsbrief_recogniser"))
    recogniser = EntityExtractor(resources, ("newsbrief_recogniser",))
    prepared = [(tokenize(a.text, resources), pos_tags(a.text, resources)) for a in articles]
    recogniser_pipe = recogniser.nlp.get_pipe(recogniser.pipes[0])

    def entities_without_recogniser() -> None:
        for tokens, tags in prepared:
            tokens.user_data.clear()  # the components append their spans: start clean each time
            tokens.spans.clear()
            without(tokens, pos_tags=tags)

    def recogniser_alone() -> None:
        for tokens, _ in prepared:
            tokens.user_data.clear()
            tokens.spans.clear()
            recogniser_pipe(tokens)

    stages["entities without the recogniser"] = entities_without_recogniser
    stages["recogniser alone (features, network, CRF)"] = recogniser_alone
    stages["whole pipeline (no writer)"] = lambda: [nlp(a) for a in articles]

    timings = {name: best_time(func, args.repeat) for name, func in stages.items()}
    baseline = timings["jieba.lcut (baseline)"]
    cores = "one core" if args.one_core else "all cores"
    table = Table(title=f"Extraction throughput: {len(articles)} articles, {chars:,} characters, best of "
                        f"{args.repeat}, {cores}")
    table.add_column("stage")
    table.add_column("seconds", justify="right")
    table.add_column("chars/s", justify="right")
    table.add_column("time vs jieba", justify="right")
    for name, seconds in timings.items():
        table.add_row(name, f"{seconds:.4f}", f"{chars / seconds:,.0f}", f"{seconds / baseline:.2f}")
    Console().print(table)


if __name__ == "__main__":
    main()
