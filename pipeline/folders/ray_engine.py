"""The Ray engine for ``batch``: the same run, its articles briefed on a Ray cluster.

The driver (``BatchRun``) keeps everything that makes a run safe to kill and resume: the store (cache
and resume), the outputs, the digest and the CSV. Only the briefing moves out:

    paths ──ray.data.from_items──▶ map_batches(BriefActor) ──iter_rows──▶ driver writes outputs + store rows

``BriefActor`` builds the pipeline once per worker (and, with the English, loads the writer once
and generates across the articles of its batch) and calls :func:`pipeline.api.brief_result`, the
entry point every other front end uses. Workers read their files themselves, so a file that is
missing, too large or unreadable is that file's one-line error and never fails the dataset, and
the size limit is checked before a byte is read. Each row carries the worker's fingerprint: a
worker with other code, lexicons or model than the driver gives an error row, never a different
brief under the driver's cache key.

A worker process that dies is restarted by Ray and its batch retried (Ray Data's actor pools
restart actors and retry their tasks); results reach the driver once per input, in input order
(``preserve_order``), so nothing is lost or written twice.

Using it

The same `batch`, with the articles briefed by [Ray](https://docs.ray.io) workers (Ray Data underneath);
this process still keeps the store (`newsbrief.db`) and every output, writing each result as it arrives, so the
outputs, resume after a
kill (`kill -9` included), error lines and exit codes are the local engine's:

.venv/bin/newsbrief batch news/ --out briefs/ --engine ray --no-summary # a Ray started for this run
.venv/bin/newsbrief batch news/ --out briefs/ --engine ray --address auto # the cluster `ray start` joined
.venv/bin/newsbrief batch news/ --out briefs/ --engine ray --address 10.0.0.5:6379 --workers 16

Ray is the `ray` extra (`pip install 'newsbrief[ray]'`; `make demo` installs it); without it, `--engine ray`
prints one line saying so. A cluster:

ray start --head --port 6379 # on one machine ray start --address HEAD_IP:6379 # on each of the others
newsbrief batch /shared/news --out briefs/ --engine ray --address HEAD_IP:6379 # from any of them

- **What each worker needs**: the same newsbrief (and, for the English, the `writer` extra and the model:
  `newsbrief model pull` on each machine, or a `NEWSBRIEF_HOME`/`NEWSBRIEF_MODELS` they share); the
  `NEWSBRIEF_*` variables of `ray start`'s environment apply to its workers. Each worker builds the pipeline
  once (and loads the model once); there are `--workers` of them (default: one per CPU of the cluster), each
  taking batches of 4 articles, and with the English, generation is batched across the articles of a batch.
  Every result carries the worker's fingerprint: a worker whose code, lexicons, settings or model differ
  from this process's gives that article an error line ("install the same newsbrief there"), never a
  different brief.
- **Inputs**: each worker reads its own files, so give a path every node sees the same (a local folder for a
  Ray started here; NFS or a shared disk on a cluster), or a filesystem URI that pyarrow reads:
  `s3://bucket/news/`, `gs://bucket/news/`, `file:///srv/news/` (pyarrow comes with the `ray` extra, and its
  wheels include S3 and Google Cloud Storage; credentials come the usual way,
  `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY`/`AWS_REGION` or `~/.aws`, and
  `GOOGLE_APPLICATION_CREDENTIALS`, set on every node). This process lists the objects once; an object whose
  size and modification time are unchanged is served from the cache without being read, and the others are
  read by the workers. Objects deleted later stay in the store (a local file that disappears leaves it).
  A file or object that is missing, too large or unreadable is that input's error line. `--out` is a local
  folder, written only by this process. URIs work with the local engine too (`newsbrief batch s3://… --out
  briefs/`, and `brief s3://…/a.txt`).
- **Failures**: a worker process that dies is restarted by Ray and its batch run again (Ray Data's actor
  pools retry); results are written once per input, in order. If the whole Ray run fails (the cluster goes
  away), the articles not yet back get error lines and the next run briefs them. A cluster that cannot be
  reached is one line within seconds. A run killed with SIGKILL takes the Ray it started down with it,
  except two of Ray's agent processes, which wait a while for their raylet before they exit.
- **Security**: a Ray started for the run listens on loopback only and uses Ray's token authentication (Ray
  keeps the token in `~/.ray/auth_token`). Joining a cluster with token authentication needs its token
  (`RAY_AUTH_TOKEN`, or the token file).
- **Overhead, measured** (`.venv/bin/python -m benchmarks.bench_ray`, 200 articles, 2 workers, this 2-core
  machine, both engines in the same run, four runs): the local engine took 11.4–13.1 s (15–18 articles/s),
  the Ray engine 23.4–31.1 s (6.4–8.6 articles/s, 1.9–2.7× the time): 2.7–4.6 s for `ray.init` and 11–18 s
  until the first result (two workers starting and each building its pipeline), then about the local
  engine's rate. The JSON of both engines was identical every time. On one machine Ray only costs start-up;
  it pays off when the same command runs over several.
"""

from __future__ import annotations

import logging
import os
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..api import FileResult, brief_result, write_english
from ..errors import NewsbriefError, first_line
from ..nlp import Pipeline
from ..schema import Brief
from ..settings import Settings

# Environment a worker needs to build the same pipeline as the driver (forwarded to the workers of
# a Ray started by the run itself; a cluster's nodes take theirs from `ray start`'s environment).
MAX_BLOCKS = 2000

FORWARDED_ENV = ("NEWSBRIEF_HOME", "NEWSBRIEF_MODELS", "NEWSBRIEF_CORPUS")


class RayMissing(NewsbriefError):
    """`--engine ray` without the ray extra installed."""


class RayEngineError(NewsbriefError):
    """Ray could not be started or reached, or the dataset failed as a whole."""


def require_ray() -> None:
    try:
        import ray
        import ray.data  # noqa: F401
    except ImportError:
        raise RayMissing("the Ray engine needs the ray extra (ray[data] not installed): "
                         "pip install 'newsbrief[ray]', or use the local engine") from None


@dataclass(frozen=True)
class WriterSpec:
    """The writer as workers build it: what :func:`pipeline.writer.default_writer` takes. A spec,
    not a loaded model, travels to the workers; each loads the model once."""

    model: str | None = None  # a registry name or a model folder; None: the default model
    sentences: int = 5
    batch_size: int = 8

    def load(self, settings: Settings):
        from ..writer import default_writer

        return default_writer(self.model, sentences=self.sentences, batch_size=self.batch_size, settings=settings)

    def describe(self, settings: Settings) -> dict[str, Any]:
        """The writer's part of the fingerprint, as :meth:`Writer.describe` gives it, without loading
        the model in the driver."""
        from ..writer import Writer
        from ..writer.models import require_writer_extra, resolve

        require_writer_extra()
        return Writer.description(resolve(self.model, settings).checksum, sentences=self.sentences)


@dataclass(frozen=True)
class PipelineSpec:
    """What a worker needs to build the driver's pipeline: component names, settings and limits.
    Everything else (corpus, models, home) comes from the worker's own environment."""

    components: tuple[str, ...]
    config: dict[str, dict[str, Any]]
    max_bytes: int
    max_chars: int

    @classmethod
    def of(cls, nlp: Pipeline) -> PipelineSpec:
        return cls(tuple(nlp.names), {name: nlp.config[name].model_dump(mode="json") for name in nlp.names},
                   nlp.max_bytes, nlp.max_chars)

    def build(self) -> Pipeline:
        settings = Settings.from_env(max_bytes=self.max_bytes, max_chars=self.max_chars)
        return Pipeline(self.components, config=self.config, settings=settings)


class BriefActor:
    """A Ray Data worker: one pipeline (and writer) per process, a batch of paths per call."""

    def __init__(self, spec: PipelineSpec, writer: WriterSpec | None) -> None:
        # The actors are the parallelism: BLAS threads inside each would fight over the same cores.
        from threadpoolctl import threadpool_limits

        threadpool_limits(1)
        self.nlp = spec.build()
        self.writer = writer.load(self.nlp.settings) if writer else None
        self.fingerprint = self.nlp.fingerprint(model=self.writer.describe() if self.writer else None)
        self.host = os.uname().nodename

    def __call__(self, batch: dict[str, Any]) -> dict[str, list]:
        results = [brief_result(str(path), self.nlp, name=str(name))
                   for path, name in zip(batch["path"], batch["name"], strict=True)]
        if self.writer is not None:
            write_english(results, self.writer)  # one generation batch across the articles held
        return {
            "name": [r.path for r in results],
            "brief": [r.brief.model_dump_json() if r.brief is not None else None for r in results],
            "error": [r.error for r in results],
            "content_sha256": [r.content_sha256 for r in results],
            "english_error": [r.english_error for r in results],
            "fingerprint": [self.fingerprint] * len(results),
            "host": [self.host] * len(results),
        }


@dataclass
class RayEngine:
    """Brief a run's articles on Ray. `address`: None starts a Ray for this run on this machine
    (stopped at the end); "auto" joins the running cluster (``RAY_ADDRESS`` or ``ray start``'s);
    "HOST:PORT" the cluster there. `workers`: how many BriefActors (default: one per CPU of the
    cluster)."""

    address: str | None = None
    workers: int | None = None
    writer: WriterSpec | None = None
    batch_size: int = 4  # articles per worker call: small, so results stream and a kill costs little
    num_cpus: int | None = None  # for a Ray started here (tests); None: Ray's own count
    started_seconds: float | None = field(default=None, init=False)  # time to start or join Ray

    def writer_description(self, settings: Settings) -> dict[str, Any] | None:
        return self.writer.describe(settings) if self.writer else None

    def results(self, paths: list[str], nlp: Pipeline, fingerprint: str) -> Iterator[FileResult]:
        """One FileResult per path, in order, as the workers finish them."""
        with _environment(self._ray_environment()):  # before `import ray`: Ray reads some at import
            require_ray()
            import ray

            if ray.is_initialized():  # the caller's own Ray: use it, leave it running
                yield from self._run(ray, paths, nlp, fingerprint)
                return
            self._connect(ray)
            try:
                yield from self._run(ray, paths, nlp, fingerprint)
            finally:
                ray.shutdown()

    def _ray_environment(self) -> dict[str, str]:
        """Variables Ray reads at import or start-up, set for this run (the user's own values win)."""
        env = {
            # Ray Data hands actors their class through the object store, and Ray's core logs an
            # error line about that on every run: only fatal lines, unless the user asked for more.
            "RAY_BACKEND_LOG_LEVEL": "fatal",
            "RAY_USAGE_STATS_ENABLED": "0",
        }
        if self.address is None:
            # A Ray for this run alone listens on loopback only (Ray's switch for one-machine
            # clusters; read when ray is first imported). Ray's own token authentication stays on.
            env["RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER"] = "0"
        elif os.environ.get("RAY_AUTH_TOKEN") or (Path.home() / ".ray" / "auth_token").is_file():
            env["RAY_AUTH_MODE"] = "token"  # as `ray start --address` does when it finds a token
        return {name: value for name, value in env.items() if name not in os.environ}

    def _connect(self, ray) -> None:
        began = time.perf_counter()
        options: dict[str, Any] = {"include_dashboard": False, "log_to_driver": False, "logging_level": "ERROR"}
        if self.address not in (None, "auto"):
            _check_reachable(self.address)
        try:
            if self.address is None:
                forwarded = {name: os.environ[name] for name in FORWARDED_ENV if os.environ.get(name)}
                ray.init(num_cpus=self.num_cpus, runtime_env={"env_vars": forwarded} if forwarded else None,
                         **options)
            else:
                ray.init(address=self.address, **options)
        except Exception as exc:  # ray raises ConnectionError, RuntimeError, ValueError … for one cause
            where = f"the Ray cluster at {self.address}" if self.address else "a local Ray"
            raise RayEngineError(f"could not start or join {where}: {first_line(exc)}") from None
        self.started_seconds = time.perf_counter() - began

    def _run(self, ray, paths: list[str], nlp: Pipeline, fingerprint: str) -> Iterator[FileResult]:
        from ray.data import ActorPoolStrategy, DataContext

        context = DataContext.get_current()
        # The driver shows its own rich progress; Ray Data's bars and INFO lines would interleave.
        logging.getLogger("ray.data").setLevel(logging.ERROR)
        context.enable_progress_bars = False
        context.print_on_execution_start = False
        context.execution_options.preserve_order = True  # outputs, index and digest as the local engine's
        workers = self.workers or max(1, int(ray.cluster_resources().get("CPU", 1)))
        rows = [{"path": _absolute(p), "name": p} for p in paths]
        # A block per worker call, so results stream back as each batch is done (and a killed worker
        # costs one batch); capped, so a huge archive does not become a huge task graph.
        blocks = min(max(1, -(-len(rows) // self.batch_size)), MAX_BLOCKS)
        dataset = ray.data.from_items(rows, override_num_blocks=blocks)
        briefed = dataset.map_batches(
            BriefActor, fn_constructor_args=(PipelineSpec.of(nlp), self.writer), batch_size=self.batch_size,
            compute=ActorPoolStrategy(size=min(workers, blocks)), num_cpus=1, batch_format="numpy",
        )
        returned: set[str] = set()
        try:
            for row in briefed.iter_rows():
                returned.add(str(row["name"]))
                yield _file_result(row, fingerprint)
        except Exception as exc:  # the dataset as a whole failed (the cluster went away, …)
            for name in paths:  # every input still gets its one index entry
                if name not in returned:
                    yield FileResult(name, error=f"{name}: not briefed: the Ray run failed ({first_line(exc)})")


@contextmanager
def _environment(values: dict[str, str]) -> Iterator[None]:
    """`values` in os.environ for the block (Ray and the processes it starts read them), then gone."""
    os.environ.update(values)
    try:
        yield
    finally:
        for name in values:
            os.environ.pop(name, None)


def _check_reachable(address: str, timeout: float = 5.0) -> None:
    """A quick TCP connect to the head's port first: ray.init would retry an address where nothing
    listens for minutes before it gives up."""
    host, _, port = address.removeprefix("ray://").rpartition(":")
    if not host or not port.isdigit():
        raise RayEngineError(f"--address {address!r}: expected 'auto' or HOST:PORT")
    try:
        socket.create_connection((host, int(port)), timeout=timeout).close()
    except OSError as exc:
        raise RayEngineError(f"could not reach the Ray cluster at {address} ({exc.strerror or exc}); "
                             "is `ray start --head` running there?") from None


def _absolute(name: str) -> str:
    from .discover import is_remote

    return name if is_remote(name) else os.path.abspath(name)


def _file_result(row: dict[str, Any], fingerprint: str) -> FileResult:
    name = str(row["name"])
    if row["fingerprint"] != fingerprint:
        return FileResult(name, error=f"{name}: the Ray worker on {row['host']} has other code, lexicons, settings "
                                      "or model than this run; install the same newsbrief there",
                          content_sha256=row["content_sha256"])
    brief = Brief.model_validate_json(row["brief"]) if row["brief"] is not None else None
    return FileResult(name, brief, row["error"], row["content_sha256"], row["english_error"])
