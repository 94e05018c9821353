"""Time of each stage on pathological inputs and on long articles, and how it grows with size.

    .venv/bin/python -m benchmarks.bench_hostile [--baseline 8707a72] [--timeout 120]

Two tables:

1. Best of three per stage (segment, keywords, entities, figures), measured in this process, on ordinary
   articles concatenated to 50k, 100k and 200k characters (with newlines, without newlines,
   without any punctuation) and on 10 kB pathological inputs. For each long input, the ratio of
   the time at this size to the time at half the size (linear: 2; the target: at most 2.5).
2. Whole `newsbrief brief FILE --no-summary` processes on the pathological inputs, this tree beside
   a baseline commit (run from a temporary git worktree with this Python), each with a time limit:
   the baseline's minutes become seconds. The start-up of a process (about 2 s) is in both columns.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

from benchmarks.worktree import revision_tree

ROOT = Path(__file__).resolve().parent.parent
STAGES = ("segment", "keywords", "entities", "figures")
SIZES = (50_000, 100_000, 200_000)
LEAD = "亚马逊卖家表示，第二季度销售额增长了百分之十二。\n"


def long_inputs(corpus: Path) -> dict[str, dict[int, str]]:
    body = "\n".join(p.read_text(encoding="utf-8") for p in sorted(corpus.glob("*.txt")))
    no_punctuation = re.sub(r"[，。！？；：、,.!?;:\s]", "", body)

    def sized(text: str, size: int) -> str:
        return (text * (size // len(text) + 1))[:size]

    return {
        "articles": {n: "拼接\n" + sized(body, n) for n in SIZES},
        "one line": {n: "单行\n" + sized(body.replace("\n", ""), n) for n in SIZES},
        "no punctuation": {n: "无标点\n" + sized(no_punctuation, n) for n in SIZES},
    }


def pathological_inputs() -> dict[str, str]:
    """Each about 10 kB: what made the old rules backtrack or the old loops quadratic."""
    return {
        "@. x 5000 (e-mail backtracking)": LEAD + "@." * 5000,
        "1200 Weibo mentions": LEAD + "".join(f"@用户{i}:分享" for i in range(1200))[:10_000],
        "digits without break": LEAD + "1" * 10_000,
        "万亿 repeated": LEAD + "万亿" * 5000,
        "figures without punctuation": LEAD + "销售额增长12%达到1741亿美元" * 600,
        "control characters": LEAD + "\x1b[2J\x07\x00中文" * 1500,
    }


def stage_times(nlp, text: str, repeat: int = 3) -> dict[str, float]:
    """Best of `repeat` runs of each stage (a fresh Doc each run)."""
    from pipeline.doc import Doc
    from pipeline.ingest import ingest_text

    article = ingest_text(text, max_chars=len(text) + 1)
    times: dict[str, float] = {}
    for _ in range(repeat):
        doc = Doc(article=article)
        for name, component in zip(nlp.names, nlp._components, strict=True):
            started = time.perf_counter()
            component(doc)
            times[name] = min(times.get(name, float("inf")), time.perf_counter() - started)
    return times


def whole_process(code: Path, path: Path, timeout: float) -> float | None:
    env = {**os.environ, "NEWSBRIEF_SERVER": "off"}
    started = time.perf_counter()
    try:
        subprocess.run([sys.executable, "-m", "pipeline.cli", "brief", str(path), "--no-summary", "-f", "json"],
                       cwd=code, env=env, capture_output=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus" / "articles")
    parser.add_argument("--baseline", default="8707a72", help="git revision for table 2 ('' to skip it)")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds a whole process may take")
    args = parser.parse_args()

    from pipeline.nlp import Pipeline

    nlp = Pipeline()
    nlp.brief_text(LEAD * 3)  # load every table before timing
    console = Console(width=150)

    table = Table(title="Seconds per stage (this tree); ×: time at this size / time at half the size")
    for column in ("input", "characters", *STAGES, "total", "× total", "× worst stage"):
        table.add_column(column, justify="left" if column == "input" else "right")
    for name, by_size in long_inputs(args.corpus).items():
        previous: dict[str, float] | None = None
        for text in by_size.values():
            times = stage_times(nlp, text)
            times["total"] = sum(times.values())
            growth = {k: times[k] / previous[k] for k in times if previous and previous[k] > 0.01} if previous else {}
            table.add_row(name, f"{len(text):,}", *(f"{times[s]:.2f}" for s in STAGES), f"{times['total']:.2f}",
                          f"{growth['total']:.2f}" if "total" in growth else "",
                          f"{max(v for k, v in growth.items() if k != 'total'):.2f}" if len(growth) > 1 else "")
            previous = times
    for name, text in pathological_inputs().items():
        times = stage_times(nlp, text)
        table.add_row(name, f"{len(text):,}", *(f"{times[s]:.2f}" for s in STAGES), f"{sum(times.values()):.2f}",
                      "", "")
    console.print(table)

    if not args.baseline:
        return
    with tempfile.TemporaryDirectory(prefix="newsbrief-hostile-") as tmp:
        work = Path(tmp)
        with revision_tree(args.baseline, work / "baseline") as tree:
            table = Table(title=f"Whole `newsbrief brief --no-summary` process, limit {args.timeout:.0f} s")
            for column in ("input", "bytes", f"baseline {args.baseline} s", "now s", "baseline / now"):
                table.add_column(column, justify="left" if column == "input" else "right")
            for name, text in pathological_inputs().items():
                path = work / "input.txt"
                path.write_text(text, encoding="utf-8", errors="surrogatepass")
                before = whole_process(tree, path, args.timeout)
                now = whole_process(ROOT, path, args.timeout)
                table.add_row(name, f"{path.stat().st_size:,}",
                              f"{before:.1f}" if before is not None else f"> {args.timeout:.0f}",
                              f"{now:.1f}" if now is not None else f"> {args.timeout:.0f}",
                              f"{(before or args.timeout) / now:.1f}" + ("" if before is not None else "+")
                              if now else "")
            console.print(table)


if __name__ == "__main__":
    main()
