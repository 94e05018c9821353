"""The library entry point: one function from a path to a Brief, and brief_files for many files,
with per-file errors, the English in batches, and results in input order."""

from __future__ import annotations

import shutil

import pytest

from pipeline import FileResult, InputError, Pipeline, brief_files, brief_path
from pipeline.errors import NewsbriefError
from pipeline.writer import Writer

from .conftest import SEED


@pytest.fixture
def folder(tmp_path, shared):
    shutil.copy(SEED, tmp_path / "seed.txt")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    return tmp_path


def test_brief_path_names_the_file_and_hashes_its_bytes(folder, nlp):
    import hashlib

    brief, digest = brief_path(folder / "seed.txt", nlp, name="as-the-caller-said.txt")
    assert brief.meta.file == "as-the-caller-said.txt"
    assert digest == hashlib.sha256((folder / "seed.txt").read_bytes()).hexdigest()
    with pytest.raises(InputError) as error:
        brief_path(folder / "empty.txt", nlp, name="empty.txt")
    assert str(error.value) == "empty.txt: empty file"
    with pytest.raises(InputError, match="file too large"):
        brief_path(folder / "seed.txt", nlp, max_bytes=100)


@pytest.mark.parametrize("workers", [1, 2])
def test_brief_files_in_order_with_per_file_errors(folder, nlp, workers):
    paths = [folder / "photo.txt", folder / "seed.txt", folder / "missing.txt", folder / "empty.txt"]
    results = list(brief_files(paths, pipeline=nlp, workers=workers))
    assert [r.path for r in results] == [str(p) for p in paths]
    assert [r.ok for r in results] == [False, True, False, False]
    assert "binary" in results[0].error and "no such file" in results[2].error and "empty" in results[3].error
    assert results[1].brief.meta.title and results[1].content_sha256


def test_fact_sheets_from_a_helper_process_match_and_outlive_it(folder, nlp):
    """`brief` makes the fact sheets in a spawned helper while the model loads: the same briefs as
    here, in order; if the helper dies, the rest are briefed here."""
    import multiprocessing

    from pipeline.api import _helper_results
    from pipeline.settings import Settings

    paths = [str(folder / "seed.txt"), str(folder / "photo.txt"), str(folder / "seed.txt"), str(folder / "seed.txt")]
    helped = _helper_results(paths, Settings.from_env())
    first = next(helped)
    for child in multiprocessing.active_children():
        child.kill()
    results = [first, *helped]
    here = list(brief_files(paths, pipeline=nlp))
    assert [r.path for r in results] == paths and [r.ok for r in results] == [True, False, True, True]
    assert [r.brief.model_dump_json() if r.ok else r.error for r in results] == \
        [r.brief.model_dump_json() if r.ok else r.error for r in here]


class Scripted:
    checksum, label = "scripted", "scripted"

    def __init__(self, fail: bool = False) -> None:
        self.fail, self.calls = fail, 0

    def generate(self, conversations, max_new_tokens):
        self.calls += 1
        if self.fail:
            raise NewsbriefError("the model ran out of memory")
        return ["TikTok's US e-commerce business looks for new opportunities." for _ in conversations]


def test_english_is_written_in_batches_across_files(folder, nlp):
    generator = Scripted()
    paths = [folder / "seed.txt"] * 3 + [folder / "empty.txt"]
    results = list(brief_files(paths, summary=True, writer=Writer(generator, sentences=1), pipeline=nlp,
                               writer_batch=8))
    assert [r.ok for r in results] == [True, True, True, False]
    assert all(r.brief.meta.title_en for r in results[:3])
    assert generator.calls <= 3  # one batch per kind of segment for all three articles, not one per file


def test_a_failing_writer_keeps_the_fact_sheets(folder, nlp):
    results = list(brief_files([folder / "seed.txt"], summary=True, writer=Writer(Scripted(fail=True)),
                               pipeline=nlp))
    [result] = results
    assert isinstance(result, FileResult) and result.ok and result.brief.figures
    assert result.english_error == "the model ran out of memory"
    assert any(w.code == "writer-failed" for w in result.brief.warnings)


def test_a_custom_pipeline_is_never_sent_to_the_server(folder, monkeypatch):
    import pipeline.server.client as client

    monkeypatch.setattr(client.ServerClient, "brief", lambda *a, **k: pytest.fail("the server was asked"))
    results = list(brief_files([folder / "seed.txt"], pipeline=Pipeline(["segment", "figures"]), server="use"))
    assert results[0].brief.stages == ["segment", "figures"]
