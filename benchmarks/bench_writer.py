"""The writer on the seed article: model load, whole brief, tokens/s, batched vs one at a time.

    .venv/bin/python -m benchmarks.bench_writer [--model NAME] [--article PATH]

The generation cache is off here (every number is a fresh generation); the batched and the
one-at-a-time runs translate the same segments in the same process.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", default=None)
    parser.add_argument("--article", type=Path,
                        default=ROOT.parent / "shared" / "corpus" / "articles" / "00_tt123_tiktok_us_secondhand.txt")
    args = parser.parse_args()

    from pipeline import brief_file
    from pipeline.resources import default_resources
    from pipeline.writer import TransformersGenerator, Writer, load_glossary
    from pipeline.writer.models import resolve

    start = time.perf_counter()
    generator = TransformersGenerator.from_ref(resolve(args.model), batch_size=8)
    load_seconds = time.perf_counter() - start

    start = time.perf_counter()
    brief = brief_file(args.article)
    writer = Writer(generator, cache=None, glossary=load_glossary(default_resources()))
    tokens_before = generator.generated_tokens
    writer.write([brief])
    whole_seconds = time.perf_counter() - start
    tokens = generator.generated_tokens - tokens_before

    # The same segments again: all at once (batches of 8), then one at a time.
    segments = [seg for seg in writer.segments_for(0, brief_file(args.article))]
    start = time.perf_counter()
    writer.translate(segments)
    batched = time.perf_counter() - start
    generator.batch_size = 1
    start = time.perf_counter()
    writer.translate(segments)
    single = time.perf_counter() - start

    table = Table(title=f"Writer on {args.article.name} ({generator.label})", title_justify="left")
    table.add_column("measure")
    table.add_column("value", justify="right")
    table.add_row("model load", f"{load_seconds:.1f} s")
    table.add_row("whole brief (deterministic stages + English)", f"{whole_seconds:.1f} s")
    table.add_row("generated tokens / tokens per second", f"{tokens} / {tokens / max(whole_seconds, 1e-9):.1f}")
    table.add_row(f"{len(segments)} segments, batches of 8", f"{batched:.1f} s")
    table.add_row(f"{len(segments)} segments, one at a time", f"{single:.1f} s")
    table.add_row("batched / one at a time", f"{batched / single:.2f}")
    Console().print(table)
    faith = brief.faithfulness
    if faith:
        Console().print(f"numbers checked {faith.numbers_checked}, repaired {faith.numbers_repaired}, "
                        f"dropped {faith.sentences_dropped}, replaced {faith.sentences_replaced}")


if __name__ == "__main__":
    main()
