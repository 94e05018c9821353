"""`batch --engine ray`: the same outputs as the local engine, from a Ray the test starts itself
(2 CPUs) or a real two-node cluster on loopback; error isolation, resume, a worker killed mid-run."""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from pipeline.folders import brief_folder
from pipeline.folders.ray_engine import RayEngine, WriterSpec, _file_result
from pipeline.schema import Brief

from .conftest import ROOT, SHARED, digest_entries, store_entries
from .test_folders import run_cli

ARTICLES = SHARED / "corpus" / "articles"
RAY = Path(sys.executable).parent / "ray"


def outputs(folder: Path) -> dict[str, bytes]:
    """Every file a run exported, by name (the store aside: a database records when it was written)."""
    return {p.name: p.read_bytes() for p in sorted([*folder.iterdir(), *(folder / "digest").glob("*")])
            if p.is_file() and not p.name.startswith("newsbrief.db")}


def statuses(folder: Path) -> dict[str, tuple[str, str | None]]:
    index = json.loads((folder / "index.json").read_text(encoding="utf-8"))["files"]
    return {path: (entry["status"], entry["slug"]) for path, entry in index.items()}


def test_ray_engine_gives_the_local_engines_outputs(tmp_path: Path, shared):
    """The 13 shared articles: byte-identical JSON (and Markdown, digest, CSV, index) either way."""
    local, ray_out = tmp_path / "local", tmp_path / "ray"
    local_report = brief_folder(ARTICLES, local, summary=False, workers=2)
    engine = RayEngine(num_cpus=2, workers=2)
    ray_report = brief_folder(ARTICLES, ray_out, summary=False, engine=engine)
    assert ray_report.count("ok") == local_report.count("ok") == 13
    assert statuses(ray_out) == statuses(local)
    local_files, ray_files = outputs(local), outputs(ray_out)
    assert sorted(ray_files) == sorted(local_files)
    assert len([n for n in ray_files if n.endswith(".json")]) == 15  # 13 briefs, index.json and stories.json
    for name in local_files:
        assert ray_files[name] == local_files[name], name


@pytest.fixture
def troubled_folder(tmp_path: Path, shared) -> Path:
    folder = tmp_path / "news"
    folder.mkdir()
    shutil.copy(ARTICLES / "03_etsy_acquires_depop.txt", folder)
    shutil.copy(ARTICLES / "05_keyouyun_erp_angel_round.txt", folder)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    (folder / "english.txt").write_text("Plain English text, nothing Chinese in it. " * 20, encoding="utf-8")
    (folder / "huge.txt").write_bytes("新闻".encode() * 400_000)  # 2.4 MB, over --max-mb 1
    return folder


def test_bad_articles_are_error_lines_and_a_second_run_is_cached(troubled_folder: Path, tmp_path: Path):
    out = tmp_path / "out"
    first = run_cli("batch", str(troubled_folder), "--out", str(out), "--no-summary", "--engine", "ray",
                    "--workers", "2", "--max-mb", "1")
    assert first.returncode == 2, first.stderr  # some failed, the job did not
    index = json.loads((out / "index.json").read_text(encoding="utf-8"))["files"]
    by_name = {Path(p).name: e for p, e in index.items()}
    assert set(by_name) == {"03_etsy_acquires_depop.txt", "05_keyouyun_erp_angel_round.txt", "empty.txt",
                            "photo.txt", "english.txt", "huge.txt"}
    assert "empty file" in by_name["empty.txt"]["error"]
    assert "binary" in by_name["photo.txt"]["error"]
    assert "Chinese" in by_name["english.txt"]["error"]
    assert "too large" in by_name["huge.txt"]["error"]
    assert all(by_name[n]["error"].startswith(str(troubled_folder / n)) for n in ("empty.txt", "huge.txt"))
    assert [e["status"] for e in index.values()].count("ok") == 2
    assert "failed: " in first.stdout and "photo.txt" in first.stdout

    second = run_cli("batch", str(troubled_folder), "--out", str(out), "--no-summary", "--engine", "ray",
                     "--max-mb", "1")
    assert second.returncode == 2
    assert second.stderr.count(" cached ") == 2  # the good ones come from the cache; the bad are tried again


def test_ray_workers_read_a_filesystem_uri(tmp_path: Path, shared):
    """Workers read objects through pyarrow (file:// here; s3:// and gs:// take the same path): the
    same outputs as the local engine on the same URI, and a second run served from the listing."""
    folder = tmp_path / "bucket"
    folder.mkdir()
    for name in ("02_wujiang_boundless_preA.txt", "14_36kr_tiktok_ecommerce_gmv_2021.txt"):
        shutil.copy(ARTICLES / name, folder)
    (folder / "empty.md").write_bytes(b"")
    local = brief_folder(folder.as_uri(), tmp_path / "local", summary=False)
    remote = brief_folder(folder.as_uri(), tmp_path / "ray", summary=False, engine=RayEngine(num_cpus=2))
    assert local.count("ok") == remote.count("ok") == 2 and remote.count("failed") == 1
    assert outputs(tmp_path / "ray") == outputs(tmp_path / "local")
    again = brief_folder(folder.as_uri(), tmp_path / "ray", summary=False, engine=RayEngine(num_cpus=2))
    assert again.count("cached") == 2


def test_a_worker_with_other_code_gives_an_error_not_a_brief():
    row = {"name": "a.txt", "brief": "{}", "error": None, "content_sha256": "ab", "english_error": None,
           "fingerprint": "other", "host": "node-7"}
    result = _file_result(row, "mine")
    assert result.brief is None and "node-7" in result.error and result.error.startswith("a.txt: ")


def test_without_the_ray_extra_the_engine_is_one_line(tmp_path: Path, shared):
    hidden = tmp_path / "site"
    (hidden / "ray").mkdir(parents=True)
    (hidden / "ray" / "__init__.py").write_text("raise ImportError('ray is not installed here')\n")
    env = {**os.environ, "PYTHONPATH": str(hidden)}
    result = run_cli("batch", str(ARTICLES), "--out", str(tmp_path / "out"), "--no-summary", "--engine", "ray",
                     env=env)
    assert result.returncode == 1
    assert result.stderr.strip().count("\n") == 0
    assert "pip install 'newsbrief[ray]'" in result.stderr


def test_address_without_ray_is_refused(tmp_path: Path, shared):
    result = run_cli("batch", str(ARTICLES), "--out", str(tmp_path / "out"), "--no-summary", "--address", "auto")
    assert result.returncode != 0 and "--engine ray" in result.stderr


def test_an_unreachable_cluster_is_one_line(tmp_path: Path, shared):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = run_cli("batch", str(ARTICLES), "--out", str(tmp_path / "out"), "--no-summary", "--engine", "ray",
                     "--address", f"127.0.0.1:{port}", timeout=300)
    assert result.returncode == 1
    assert f"127.0.0.1:{port}" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out" / "index.json").exists() or statuses(tmp_path / "out") == {}


def test_english_through_ray_equals_the_local_engine(tmp_path: Path, shared, monkeypatch):
    """The tiny test model writes the English in the Ray workers and locally: the same briefs. Each
    run has its own home, so neither is served from the other's generation cache."""
    from pipeline.writer import default_writer

    from .tiny_model import build_tiny_model

    model = build_tiny_model(tmp_path / "tiny")
    folder = tmp_path / "news"
    folder.mkdir()
    for name in ("02_wujiang_boundless_preA.txt", "05_keyouyun_erp_angel_round.txt", "03_etsy_acquires_depop.txt"):
        shutil.copy(ARTICLES / name, folder)

    monkeypatch.setenv("NEWSBRIEF_HOME", str(tmp_path / "home-local"))
    local = brief_folder(folder, tmp_path / "local", summary=True, writer=default_writer(str(model)))
    monkeypatch.setenv("NEWSBRIEF_HOME", str(tmp_path / "home-ray"))
    engine = RayEngine(num_cpus=2, workers=2, writer=WriterSpec(str(model)))
    remote = brief_folder(folder, tmp_path / "ray", summary=True, engine=engine)
    assert local.count("ok") == remote.count("ok") == 3
    assert (tmp_path / "home-ray" / "cache" / "generations.sqlite3").is_file()  # the workers wrote English
    assert statuses(tmp_path / "ray") == statuses(tmp_path / "local")
    for path in sorted((tmp_path / "local").glob("*.json")):
        if path.name not in ("index.json", "stories.json"):
            brief = Brief.model_validate_json(path.read_text(encoding="utf-8"))
            assert brief.summary_en or brief.meta.title_en
            assert (tmp_path / "ray" / path.name).read_bytes() == path.read_bytes(), path.name


# --------------------------------------------------------------------------- a real two-node cluster


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def two_node_cluster(tmp_path: Path) -> Iterator[tuple[str, dict[str, str]]]:
    """A head and a second node joined with `ray start --address`, on loopback, one CPU each. The
    test stops exactly them and their workers (never another Ray on the machine)."""
    port = _free_port()
    temp = Path(tempfile.mkdtemp(prefix="nbray-"))  # short: Ray's socket paths must fit 107 bytes
    env = cluster_env(tmp_path)
    # Ray turns 127.0.0.1 into the machine's outward address for a multi-node cluster; 127.0.0.2 is
    # loopback too, and it keeps every connection of the test on this machine.
    common = ["--node-ip-address", LOOPBACK, "--num-cpus", "1", "--block", "--disable-usage-stats"]
    nodes: list[subprocess.Popen] = []
    try:
        nodes.append(subprocess.Popen([str(RAY), "start", "--head", "--port", str(port), "--include-dashboard=false",
                                       "--temp-dir", str(temp), *common], env=env, start_new_session=True,
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        _wait_for_nodes(port, 1, env)
        nodes.append(subprocess.Popen([str(RAY), "start", "--address", f"{LOOPBACK}:{port}", *common], env=env,
                                      start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        _wait_for_nodes(port, 2, env)
        yield f"{LOOPBACK}:{port}", env
    finally:
        _stop_cluster(nodes, env["RAY_AUTH_TOKEN"])
        shutil.rmtree(temp, ignore_errors=True)


LOOPBACK = "127.0.0.2"


def cluster_env(tmp_path: Path) -> dict[str, str]:
    """The environment of the test cluster's nodes and of the run that joins it: a token of its own
    (nothing written to ~/.ray), no usage reports, the test's NEWSBRIEF_HOME."""
    return {**os.environ, "RAY_USAGE_STATS_ENABLED": "0", "RAY_AUTH_MODE": "token",
            "RAY_AUTH_TOKEN": secrets.token_hex(32),
            "NEWSBRIEF_HOME": str(tmp_path / "cluster-home")}


def _wait_for_nodes(port: int, count: int, env: dict[str, str], timeout: float = 120) -> None:
    probe = ("import ray, sys; ray.init(address=sys.argv[1], logging_level='ERROR'); "
             "print(sum(1 for n in ray.nodes() if n['Alive']))")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done = subprocess.run([sys.executable, "-c", probe, f"{LOOPBACK}:{port}"], capture_output=True, text=True,
                              env=env, timeout=120)
        if done.returncode == 0 and done.stdout.strip().splitlines()[-1:] == [str(count)]:
            return
        time.sleep(1)
    raise AssertionError(f"the Ray cluster on port {port} did not reach {count} node(s)")


def _stop_group(process: subprocess.Popen) -> None:
    for sig in (signal.SIGTERM, signal.SIGKILL):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=15)
            return


def processes_with(variable: str) -> dict[int, str]:
    """Processes (but this one) whose environment holds `variable` (NAME=value): pid -> title."""
    mark = variable.encode()
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            if mark in (entry / "environ").read_bytes().split(b"\0"):
                found[int(entry.name)] = (entry / "cmdline").read_bytes().split(b"\0")[0].decode(errors="replace")
        except OSError:
            continue
    return found


def cluster_processes(token: str) -> dict[int, str]:
    """Every process of the test cluster, found by the cluster's own token in its environment (Ray
    starts workers in process groups of their own): pid -> process title (ray::MapWorker… for a
    Ray Data actor)."""
    return processes_with(f"RAY_AUTH_TOKEN={token}")


def _stop_cluster(nodes: list[subprocess.Popen], token: str) -> None:
    for node in reversed(nodes):
        _stop_group(node)
    for pid in cluster_processes(token):  # workers and agents that outlived their raylet
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def _variants(folder: Path, count: int) -> None:
    """`count` distinct articles made from the project's own samples (different bytes, same shape)."""
    samples = sorted((ROOT / "corpus" / "samples").glob("*.txt")) + sorted((ROOT / "corpus" / "samples").glob("*.md"))
    folder.mkdir()
    for n in range(count):
        sample = samples[n % len(samples)]
        text = sample.read_text(encoding="utf-8")
        (folder / f"{n:03d}_{sample.name}").write_text(f"{text}\n（第{n + 1}稿）另有{n + 3}家卖家参与。\n",
                                                       encoding="utf-8")


@pytest.mark.slow
def test_two_node_cluster_survives_a_killed_worker(tmp_path: Path, two_node_cluster):
    address, env = two_node_cluster
    folder, out = tmp_path / "variants", tmp_path / "out"
    _variants(folder, 200)
    driver = subprocess.Popen([sys.executable, "-m", "pipeline.cli", "batch", str(folder), "--out", str(out),
                               "--no-summary", "--engine", "ray", "--address", address, "--workers", "2"],
                              cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    killed = None
    deadline = time.monotonic() + 300
    while killed is None and time.monotonic() < deadline and driver.poll() is None:
        done = len(store_entries(out)) if (out / "newsbrief.db").is_file() else 0
        workers = [pid for pid, title in cluster_processes(env["RAY_AUTH_TOKEN"]).items()
                   if title.startswith("ray::MapWorker") and pid != driver.pid]
        if 10 <= done < 150 and workers:
            killed = workers[0]
            os.kill(killed, signal.SIGKILL)
        time.sleep(0.2)
    _stdout, stderr = driver.communicate(timeout=600)
    titles = sorted(set(cluster_processes(env["RAY_AUTH_TOKEN"]).values()))
    assert killed is not None, f"no worker was killed mid-run; cluster processes: {titles}"
    assert driver.returncode == 0, stderr[-3000:]

    index = json.loads((out / "index.json").read_text(encoding="utf-8"))["files"]
    inputs = {str(p.resolve()) for p in folder.iterdir()}
    assert set(index) == inputs  # every input exactly one entry, nothing else
    assert all(entry["status"] == "ok" for entry in index.values())
    slugs = [entry["slug"] for entry in index.values()]
    assert len(set(slugs)) == 200
    written = sorted(p.name for p in out.glob("*.json") if p.name not in ("index.json", "stories.json"))
    assert written == sorted(f"{slug}.json" for slug in slugs)  # no output twice, none left over
    for slug in slugs:
        brief = Brief.model_validate_json((out / f"{slug}.json").read_text(encoding="utf-8"))
        assert brief.figures and (out / f"{slug}.md").stat().st_size
    assert digest_entries(out) == 200



@pytest.mark.slow
def test_a_killed_driver_resumes_with_the_next_run(tmp_path: Path):
    folder, out = tmp_path / "variants", tmp_path / "out"
    _variants(folder, 120)
    command = [sys.executable, "-m", "pipeline.cli", "batch", str(folder), "--out", str(out), "--no-summary",
               "--engine", "ray", "--workers", "2"]
    session = None
    try:
        # A session of its own: the Ray it starts (raylet, workers, agents) stays in it, so the test
        # can find what outlives a SIGKILL.
        driver = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                  start_new_session=True)
        session = driver.pid
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline and driver.poll() is None:
            if (out / "newsbrief.db").is_file() and len(store_entries(out)) >= 10:
                break
            time.sleep(0.1)
        driver.kill()  # SIGKILL: no clean-up of any kind
        driver.wait()
        done = {p: e for p, e in store_entries(out).items() if e["status"] == "ok"}
        assert 10 <= len(done) < 120
        mtimes = {name: (out / name).stat().st_mtime_ns for e in done.values() for name in e["outputs"]}

        again = run_cli(*command[3:])
        assert again.returncode == 0, again.stderr[-2000:]
        assert again.stderr.count(" cached ") == len(done) and again.stderr.count(" ok ") == 120 - len(done)
        for name, mtime in mtimes.items():
            assert (out / name).stat().st_mtime_ns == mtime  # not briefed twice
        index = json.loads((out / "index.json").read_text(encoding="utf-8"))["files"]
        assert len(index) == 120 and all(e["status"] == "ok" for e in index.values())
        assert not list(out.glob(".*.tmp"))
    finally:
        # The killed run's Ray dies with it but for its agents, which wait a while for their raylet.
        for entry in Path("/proc").iterdir():
            with contextlib.suppress(OSError, ProcessLookupError, ValueError):
                if entry.name.isdigit() and os.getsid(int(entry.name)) == session:
                    os.kill(int(entry.name), signal.SIGKILL)
