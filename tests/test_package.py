"""The package as a whole: a wheel that carries its data, optional extras, settings read in one
place, rooms of a reasonable size and no import cycles."""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from .conftest import ROOT, SEED

PACKAGE = ROOT / "pipeline"
MAX_MODULE_LINES = 400


def modules() -> dict[str, Path]:
    """Dotted module name -> file, for every module of the package."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


# --------------------------------------------------------------------------- the wheel


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    result = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                             "-w", str(out), str(ROOT)], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    [built] = out.glob("newsbrief-*.whl")
    return built


def test_wheel_carries_every_module_and_the_data(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for path in PACKAGE.rglob("*.py"):
        assert path.relative_to(ROOT).as_posix() in names, f"{path} is not in the wheel (list it in pyproject.toml)"
    data = {
        "pipeline/data/lexicon/userdict.txt", "pipeline/data/lexicon/boilerplate.txt",
        "pipeline/data/lexicon/glossary.tsv", "pipeline/data/lexicon/entities/titles.tsv",
        "pipeline/data/gazetteer/gazetteer.tsv", "pipeline/data/models/registry.json",
        "pipeline/data/models/ner/recogniser.npz",
    }
    assert data <= names
    shipped = {n for n in names if n.startswith("pipeline/data/lexicon/")}
    expected = {"pipeline/data/lexicon/" + p.relative_to(ROOT / "corpus" / "lexicon").as_posix()
                for p in (ROOT / "corpus" / "lexicon").rglob("*") if p.is_file()}
    assert shipped == expected  # every lexicon file, nothing else
    assert not any(n.startswith(("corpus/", "pipeline/data/samples")) for n in names)


def test_installed_wheel_works_from_another_folder(wheel, tmp_path, shared):
    """Installed non-editable (as pip or pipx would), it finds its own gazetteer anywhere."""
    target = tmp_path / "site"
    result = subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target),
                             str(wheel)], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "NEWSBRIEF_SERVER": "off",
           "NEWSBRIEF_HOME": str(tmp_path / "home")}
    where = subprocess.run([sys.executable, "-c", "import pipeline; print(pipeline.__file__)"], cwd=elsewhere,
                           env=env, capture_output=True, text=True, timeout=60)
    assert where.stdout.strip() == str(target / "pipeline" / "__init__.py")
    model = subprocess.run([sys.executable, "-c", "from pipeline.settings import packaged_recogniser as p; "
                            "print(p(), p().is_file())"], cwd=elsewhere, env=env, capture_output=True, text=True,
                           timeout=60)
    assert model.stdout.split() == [str(target / "pipeline" / "data" / "models" / "ner" / "recogniser.npz"), "True"]
    result = subprocess.run([sys.executable, "-m", "pipeline.cli", "brief", str(SEED), "--no-summary", "-f", "json"],
                            cwd=elsewhere, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    brief = json.loads(result.stdout)
    orgs = {e["english"] for e in brief["entities"] if e["type"] == "ORG"}
    assert {"TikTok", "eBay"} <= orgs


# --------------------------------------------------------------------------- extras


def test_fact_sheets_import_no_torch(shared):
    code = ("import sys, pipeline; brief = pipeline.brief_file(sys.argv[1]); "
            "assert brief.figures and brief.entities; "
            "print(sorted(m for m in ('torch', 'transformers', 'sacrebleu') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code, str(SEED)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_english_without_the_writer_extra_is_one_line(shared):
    # torch made unimportable, as in an install without the writer extra
    code = ("import sys; sys.modules['torch'] = None; from pipeline.cli import main; "
            "sys.argv = ['newsbrief', 'brief', sys.argv[1]]; main()")
    result = subprocess.run([sys.executable, "-c", code, str(SEED)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "newsbrief[writer]" in lines[0] and "--no-summary" in lines[0], result.stderr


# --------------------------------------------------------------------------- structure


def test_settings_are_read_in_one_place():
    reads_env = re.compile(r"""(\.get\(|\[|getenv\()\s*["']NEWSBRIEF_""")
    readers = [path.relative_to(ROOT).as_posix() for path in PACKAGE.rglob("*.py")
               if reads_env.search(path.read_text(encoding="utf-8"))]
    assert readers == ["pipeline/settings.py"]


def test_no_module_is_a_big_room():
    sizes = {name: len(path.read_text(encoding="utf-8").splitlines()) for name, path in modules().items()}
    assert {name: n for name, n in sizes.items() if n > MAX_MODULE_LINES} == {}


def _resolve(module: str, is_package: bool, node: ast.ImportFrom | ast.Import, known: set[str]) -> list[str]:
    """The package modules an import statement loads (not the parents it loads implicitly)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names if alias.name in known]
    if node.level:
        base = module.split(".") if is_package else module.split(".")[:-1]
        base = base[: len(base) - (node.level - 1)]
        target = ".".join([*base, node.module] if node.module else base)
    else:
        target = node.module or ""
    found = []
    for alias in node.names:
        submodule = f"{target}.{alias.name}"
        if submodule in known:  # from . import components
            found.append(submodule)
        elif target in known:
            found.append(target)
    return found


def _type_checking_only(node: ast.AST) -> bool:
    return isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)


def import_graph() -> dict[str, set[str]]:
    """Every import inside the package, at module level or in a function, TYPE_CHECKING blocks excepted."""
    found = modules()
    known = set(found)
    graph: dict[str, set[str]] = {}
    for name, path in found.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skipped = {id(n) for block in ast.walk(tree) if _type_checking_only(block) for n in ast.walk(block)}
        edges: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom) and id(node) not in skipped:
                edges.update(_resolve(name, path.name == "__init__.py", node, known))
        edges.discard(name)
        graph[name] = edges
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle as a list of modules, or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == 1:
                return [*path[path.index(target):], target]
            if target not in state and (cycle := visit(target)):
                return cycle
        path.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state and (cycle := visit(start)):
            return cycle
    return None


def test_the_cycle_finder_finds_cycles():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": set()}) is None


def test_no_module_imports_in_a_cycle():
    graph = import_graph()
    assert graph["pipeline.nlp"] >= {"pipeline.components", "pipeline.registry"}  # the graph sees imports
    assert "pipeline.server.client" in graph["pipeline.api"]  # ... function-level ones too
    assert find_cycle(graph) is None
