"""Compare the fact sheets of a folder of articles between a git revision and the working tree.

    .venv/bin/python scripts/compare_briefs.py --rev 8707a72 [--folder ../shared/corpus/articles]

Runs `newsbrief brief FILES --no-summary -f json` once with the revision's code (a temporary git
worktree, run with this checkout's Python) and once with the working tree's, and prints one row
per article: identical, or the top-level fields that differ. Exit status 1 when any differ. For
restructuring: a change that should not change behaviour must print only "identical".
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.worktree import revision_tree  # noqa: E402


def brief_folder(code: Path, files: list[Path], out: Path) -> None:
    env = {**os.environ, "NEWSBRIEF_SERVER": "off"}
    out.mkdir(parents=True)
    result = subprocess.run([sys.executable, "-m", "pipeline.cli", "brief", *map(str, files), "--no-summary",
                             "-f", "json", "-o", str(out)], cwd=code, env=env, capture_output=True, text=True)
    if result.returncode not in (0, 1):
        sys.exit(f"{code}: newsbrief failed: {result.stderr.strip()[-400:]}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rev", required=True, help="git revision to compare with (e.g. a commit before a change)")
    parser.add_argument("--folder", type=Path, default=ROOT.parent / "shared" / "corpus" / "articles")
    args = parser.parse_args()
    files = sorted(p.resolve() for p in args.folder.iterdir() if p.suffix in (".txt", ".md", ".html"))
    if not files:
        sys.exit(f"{args.folder}: no articles (.txt, .md, .html)")
    with tempfile.TemporaryDirectory(prefix="newsbrief-compare-") as tmp:
        work = Path(tmp)
        with revision_tree(args.rev, work / "tree") as tree:
            brief_folder(tree, files, work / "before")
            brief_folder(ROOT, files, work / "after")
        differing = 0
        print(f"{'article':<48} {args.rev} vs working tree")
        for path in files:
            before, after = work / "before" / f"{path.stem}.json", work / "after" / f"{path.stem}.json"
            if not before.exists() or not after.exists():
                verdict = f"missing ({'before' if not before.exists() else 'after'})"
            elif before.read_bytes() == after.read_bytes():
                verdict = "identical"
            else:
                old, new = json.loads(before.read_text()), json.loads(after.read_text())
                verdict = "differs: " + ", ".join(k for k in sorted(set(old) | set(new)) if old.get(k) != new.get(k))
            differing += verdict != "identical"
            print(f"{path.stem:<48} {verdict}")
        print(f"{len(files) - differing} of {len(files)} identical")
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main())
