"""Wall time of one `newsbrief brief FILE --no-summary` process: cold, with the pipeline server, and a baseline.

    .venv/bin/python -m benchmarks.bench_cli [--runs 7] [--baseline 759c24e] [--file ARTICLE]

Every row runs a fresh process (as a user typing the command would) and reports the median and
best wall time and the process's peak memory. The baseline is an older commit of this repository
(default: the last one before the start-up work), run from a temporary git worktree with the same
virtual environment; pass --baseline '' to skip it. The "warm server" row starts a pipeline server
in a temporary NEWSBRIEF_HOME first. Every run must print the same JSON, which is checked.
"""

from __future__ import annotations

import argparse
import os
import shutil
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

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT.parent / "shared" / "corpus" / "articles" / "00_tt123_tiktok_us_secondhand.txt"


def measure(command: list[str], env: dict[str, str], cwd: Path, runs: int) -> tuple[list[float], list[float], str]:
    times, peaks, outputs = [], [], set()
    for _ in range(runs):
        # Output goes to files, not pipes: the child must never block on a full pipe while timed.
        with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
            start = time.perf_counter()
            process = subprocess.Popen(command, stdout=out, stderr=err, env=env, cwd=cwd)
            # wait4 gives this child's own peak memory (getrusage would give the largest child so far).
            _, status, usage = os.wait4(process.pid, 0)
            seconds = time.perf_counter() - start
            process.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
            out.seek(0)
            err.seek(0)
            stdout, stderr = out.read(), err.read()
        if process.returncode:
            raise SystemExit(f"{' '.join(command)} failed: {stderr.decode(errors='replace')[-500:]}")
        times.append(seconds)
        peaks.append(usage.ru_maxrss / 1024)
        outputs.add(stdout.decode())
    if len(outputs) != 1:
        raise SystemExit(f"{' '.join(command)}: runs printed different output")
    return times, peaks, outputs.pop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--baseline", default="759c24e", help="git ref of the baseline ('' to skip)")
    parser.add_argument("--file", type=Path, default=SEED)
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="newsbrief-bench-cli-"))
    base_env = {**os.environ, "NEWSBRIEF_HOME": str(work / "home")}
    brief = ["brief", str(args.file.resolve()), "--no-summary", "-f", "json"]
    rows: list[tuple[str, list[float], list[float]]] = []
    outputs: dict[str, str] = {}
    stack = ExitStack()  # the baseline's worktree, removed before the folder that holds it
    try:
        if args.baseline:
            try:
                tree = stack.enter_context(revision_tree(args.baseline, work / "baseline"))
            except subprocess.CalledProcessError as exc:
                Console(stderr=True).print(f"baseline {args.baseline} skipped: {exc.stderr.strip()}", markup=False)
            else:
                # PYTHONPATH comes before the editable install's finder, so the old package is imported.
                env = {**base_env, "PYTHONPATH": str(tree)}
                times, peaks, outputs["baseline"] = measure([sys.executable, "-m", "pipeline.cli", *brief], env,
                                                            tree, args.runs)
                rows.append((f"baseline: commit {args.baseline}, cold process", times, peaks))

        command = [sys.executable, "-m", "pipeline.cli", *brief]
        times, peaks, outputs["cold"] = measure(command, {**base_env, "NEWSBRIEF_SERVER": "off"}, ROOT, args.runs)
        rows.append(("now: cold process (no server)", times, peaks))

        subprocess.run([sys.executable, "-m", "pipeline.cli", "server", "start", "--idle-minutes", "5"],
                       env=base_env, check=True, capture_output=True)
        try:
            times, peaks, outputs["warm"] = measure(command, {**base_env, "NEWSBRIEF_SERVER": "use"}, ROOT,
                                                    args.runs)
            rows.append(("now: warm `newsbrief server`", times, peaks))
        finally:
            subprocess.run([sys.executable, "-m", "pipeline.cli", "server", "stop"], env=base_env,
                           capture_output=True)

        floor = [sys.executable, "-c", "import jieba, logging; jieba.setLogLevel(logging.WARNING); jieba.initialize()"]
        times, peaks, _ = measure(floor, base_env, ROOT, args.runs)
        rows.append(("for scale: python + jieba's dictionary only", times, peaks))
    finally:
        stack.close()
        shutil.rmtree(work, ignore_errors=True)

    if len({outputs[k] for k in ("cold", "warm")}) != 1:
        raise SystemExit("the server's brief differs from the local one")
    same_as_baseline = "baseline" not in outputs or outputs["baseline"] == outputs["cold"]

    reference = statistics.median(rows[0][1])
    table = Table(title=f"newsbrief brief {args.file.name} --no-summary -f json: {args.runs} runs each")
    for column in ("run", "median s", "best s", "peak RSS MiB", f"time vs {rows[0][0].split(':')[0]}"):
        table.add_column(column, justify="left" if column == "run" else "right")
    for name, times, peaks in rows:
        median = statistics.median(times)
        table.add_row(name, f"{median:.2f}", f"{min(times):.2f}", f"{max(peaks):,.0f}", f"{median / reference:.2f}")
    console = Console(width=max(Console().width, 110))
    console.print(table)
    verdict = "yes" if same_as_baseline else "no (the baseline differs)"
    console.print(f"same JSON from the baseline, cold and warm runs: {verdict}")


if __name__ == "__main__":
    main()
