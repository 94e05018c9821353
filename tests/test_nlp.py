"""The pipeline: components declare what they read and set, settings are validated, the order is
checked before anything loads, and shared data travels on the Doc."""

from __future__ import annotations

import shutil

import pytest

from pipeline import ConfigError, Pipeline
from pipeline.nlp import describe_pipeline
from pipeline.registry import ComponentConfig, register_component
from pipeline.resources import Resources, default_resources

TEXT = "标题\n36氪 2024-01-02\n\n亚马逊卖家表示，2023年第二季度销售额同比增长12%，达到1741亿美元。TikTok电商也在扩张。"


def one_line(exc: pytest.ExceptionInfo) -> str:
    message = str(exc.value)
    assert "\n" not in message
    return message


def test_unknown_setting_is_one_line_naming_the_key():
    with pytest.raises(ConfigError) as error:
        Pipeline(["segment", "keywords"], config={"keywords": {"topk": 5}})
    assert one_line(error) == "component 'keywords': unknown setting 'topk' (known: method, top_k)"


def test_bad_setting_value_names_the_key():
    with pytest.raises(ConfigError) as error:
        Pipeline(["segment", "keywords"], config={"keywords": {"top_k": "many"}})
    assert "component 'keywords': setting 'top_k'" in one_line(error)
    with pytest.raises(ConfigError) as error:
        Pipeline(["segment", "keywords"], config={"keywords": {"method": "lda"}})
    assert "setting 'method'" in one_line(error)


def test_settings_for_a_component_not_in_the_pipeline():
    with pytest.raises(ConfigError) as error:
        Pipeline(["segment"], config={"keywords": {"top_k": 5}})
    assert "'keywords', which is not in the pipeline" in one_line(error)


def test_order_is_checked_before_anything_loads():
    with pytest.raises(ConfigError) as error:
        Pipeline(["keywords", "segment"])
    assert one_line(error) == ("component 'keywords' needs 'pos_tags', which no earlier component sets "
                               "(set by: segment)")
    with pytest.raises(ConfigError) as error:
        Pipeline(["segment", "figures", "entities"])
    assert one_line(error) == "component 'figures' reads 'entities', so 'entities' must come before it"
    with pytest.raises(ConfigError, match="unknown pipeline component 'nope'"):
        Pipeline(["segment", "nope"])


def test_figures_alone_need_only_sentences():
    brief = Pipeline(["segment", "figures"]).brief_text(TEXT)
    assert brief.stages == ["segment", "figures"]
    assert any(f.text == "1741亿美元" for f in brief.figures) and not brief.entities


def test_tags_are_computed_once_and_shared_through_the_doc(monkeypatch):
    import pipeline.segment as segment

    calls = []
    original = segment.pos_tags
    monkeypatch.setattr(segment, "pos_tags",
                        lambda text, resources, words=None: calls.append(text) or original(text, resources, words))
    brief = Pipeline().brief_text(TEXT)
    assert len(calls) == 1  # keywords and entities both read doc.pos_tags
    assert brief.keywords and brief.entities


def test_a_registered_component_declares_and_is_checked():
    class ShoutConfig(ComponentConfig):
        suffix: str = "!"

    @register_component("test_shout", config=ShoutConfig, requires=("keywords",), assigns=("keywords",))
    def make_shout(resources, config: ShoutConfig):
        def shout(doc):
            for keyword in doc.keywords:
                keyword.word += config.suffix
            return doc

        return shout

    brief = Pipeline(["segment", "keywords", "test_shout"], config={"test_shout": {"suffix": "?"}}).brief_text(TEXT)
    assert brief.keywords and all(k.word.endswith("?") for k in brief.keywords)
    with pytest.raises(ConfigError, match="needs 'keywords'"):
        Pipeline(["segment", "test_shout"])


def test_fingerprint_follows_config_limits_model_and_data(tmp_path):
    base = Pipeline(["segment", "keywords"])
    assert base.fingerprint() == Pipeline(["segment", "keywords"]).fingerprint()
    assert base.fingerprint() != Pipeline(["segment", "keywords"], config={"keywords": {"top_k": 5}}).fingerprint()
    assert base.fingerprint() != Pipeline(["segment", "keywords"], max_bytes=1000).fingerprint()
    assert base.fingerprint() != base.fingerprint(model={"model": "abc", "sentences": 5})
    # the default settings are written out: an explicit default is the same pipeline
    assert describe_pipeline(["segment", "keywords"]) == describe_pipeline(["segment", "keywords"],
                                                                           {"keywords": {"top_k": 10}})
    corpus = tmp_path / "corpus"
    shutil.copytree(default_resources().corpus_dir, corpus)
    copy = Pipeline(["segment", "keywords"], resources=Resources(corpus))
    assert copy.fingerprint() == base.fingerprint()  # contents, not paths
    gazetteer = corpus / "gazetteer" / "gazetteer.tsv"
    gazetteer.write_text(gazetteer.read_text(encoding="utf-8").replace("TikTok\t", "TikTok Inc\t", 1),
                         encoding="utf-8")
    assert copy.fingerprint() != base.fingerprint()


def test_entity_sources_named_in_the_config_are_the_entity_stage_s():
    from pipeline.components import DEFAULT_ENTITY_SOURCES, ENTITY_SOURCES
    from pipeline.entities import DEFAULT_ENTITY_PIPES, ENTITY_PIPES

    assert ENTITY_SOURCES == ENTITY_PIPES
    assert DEFAULT_ENTITY_SOURCES == DEFAULT_ENTITY_PIPES
    with pytest.raises(ConfigError, match="setting 'sources"):
        Pipeline(["segment", "entities"], config={"entities": {"sources": ["gazetteer_typo"]}})
