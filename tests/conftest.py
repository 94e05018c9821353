from __future__ import annotations

import csv
import json
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SEED = SHARED / "corpus" / "articles" / "00_tt123_tiktok_us_secondhand.txt"
SEED_GOLD = SHARED / "gold" / "00_tt123_tiktok_us_secondhand.json"

# `newsbrief brief --no-summary` starts a background pipeline server by default; the suite must not
# leave one running, so only tests/test_server.py turns it on, each time with its own NEWSBRIEF_HOME.
os.environ["NEWSBRIEF_SERVER"] = "off"


def require_shared() -> Path:
    """Third-party data lives in ../shared (never copied here); CI always has it."""
    if not SHARED.is_dir():
        if os.environ.get("CI"):
            pytest.fail("../shared is missing in CI")
        pytest.skip("../shared not available")
    return SHARED


@pytest.fixture(scope="session")
def shared() -> Path:
    return require_shared()


@pytest.fixture(scope="session")
def seed_gold(shared: Path) -> dict:
    return json.loads(SEED_GOLD.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def manifest(shared: Path) -> list[dict[str, str]]:
    with (shared / "corpus" / "manifest.tsv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


@pytest.fixture(scope="session")
def nlp():
    from pipeline import Pipeline

    return Pipeline()
