"""The entity stage's spaCy components over the jieba-segmented Doc; each writes candidate spans.

- ``entity_ruler``: spaCy's EntityRuler fed by the project gazetteer (corpus/gazetteer/);
- ``newsbrief_latin_names``: Latin-script name spans (Sandie Hawkins, The RealReal, TikTok Shop);
- ``newsbrief_recogniser``: the trained character-level recogniser, registered by ``recognised``
  (which also types its spans onto PERSON / ORG / GPE / LOC);
- ``newsbrief_entity_patterns``: titles next to person names (总经理周受资), organisation
  suffixes (…科技有限公司), place suffixes (…州/省/市), abbreviations (中美, 访华);
- ``newsbrief_pos_names``: jieba part-of-speech tags (nr, nrt, ns, nt), read from
  ``doc.user_data[POS_TAGS_KEY]`` when the caller has them (else tagged here).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from ..resources import HAN, Resources
from ..segment import pos_tags
from ..spacy_import import import_spacy
from .gazetteer import Gazetteer, load_gazetteer
from .vocabulary import EntityVocabulary, load_vocabulary

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc as SpacyDoc
else:  # the factories below register at import time, so spaCy is needed now
    _spacy = import_spacy()
    Language, SpacyDoc = _spacy.language.Language, _spacy.tokens.Doc

POS_TAGS_KEY = "newsbrief_pos_tags"
TEXT_KEY = "newsbrief_text"


def doc_text(doc: SpacyDoc) -> str:
    """The Doc's text, joined once per Doc: Doc.text builds a Token for every word each time."""
    text = doc.user_data.get(TEXT_KEY)
    if text is None:
        text = doc.user_data[TEXT_KEY] = doc.text
    return text

_LATIN_NAME = re.compile(
    r"(?<![A-Za-z0-9&])"
    r"(?:[A-Z][A-Za-z0-9&'!\-]*|[a-z]+[A-Z][A-Za-z0-9&'!\-]*)"
    r"(?:[ ·](?:[A-Z][A-Za-z0-9&'!\-]*|[a-z]+[A-Z][A-Za-z0-9&'!\-]*"
    r"|(?:de|da|di|van|von|der|le|la|du|dos|del)(?= [A-Z])))*"
    r"(?![A-Za-z0-9&])"
)


# --------------------------------------------------------------------------- spaCy components

# "suffix": a word ending alone (…公司, …州) says "name"; the recogniser, where it runs, decides those.
CANDIDATE_KEYS = ("latin", "recogniser", "pattern", "suffix", "inner", "pos")


def _add_span(doc: SpacyDoc, key: str, start: int, end: int, label: str, kb_id: str = "") -> None:
    span = doc.char_span(start, end, label=label, kb_id=kb_id, alignment_mode="expand")
    if span is not None:
        doc.spans.setdefault(key, []).append(span)
        # Keep exact character offsets: jieba may glue a name to the next word.
        span_chars = doc.user_data.setdefault(("nb_chars", key), [])
        span_chars.append((start, end, label, kb_id))


@Language.factory("newsbrief_latin_names", default_config={"corpus_dir": ""})
def make_latin_names(nlp: Language, name: str, corpus_dir: str):
    vocabulary = load_vocabulary(Resources(Path(corpus_dir)))
    stopwords = vocabulary.latin_stopwords

    def latin_names(doc: SpacyDoc) -> SpacyDoc:
        text = doc_text(doc)
        for m in _LATIN_NAME.finditer(text):
            words = m.group(0).split()
            # Drop stop acronyms (GMV, CEO) at either end: "CEO Rex" -> "Rex".
            while words and words[0].lower() in stopwords:
                words.pop(0)
            while words and words[-1].lower() in stopwords:
                words.pop()
            if not words:
                continue
            phrase = " ".join(words)
            start = m.start() + m.group(0).index(words[0])
            end = start + len(phrase)
            if len(phrase) < 2 or phrase.isdigit():
                continue
            _add_span(doc, "latin", start, end, _latin_type(text, start, end, words, vocabulary))
        return doc

    return latin_names


_PRODUCT_CODE = re.compile(r"[A-Z]{1,4}-?\d{2,}[A-Za-z]{0,3}")


def _latin_type(text: str, start: int, end: int, words: list[str], vocabulary: EntityVocabulary) -> str:
    before, after = text[max(0, start - 8) : start], text[end : end + 4]
    titled = re.search(rf"({vocabulary.title_pattern})(兼\s?\S+)?\s?$", before) is not None
    if all(_PRODUCT_CODE.fullmatch(w) for w in words):
        return "PRODUCT"  # A1647, RTX4090: a model number, never a person or a company
    if any(w.lower().strip(".") in vocabulary.latin_org_words for w in words) or words[0] == "The":
        return "ORG"  # Coresight Research, Morgan Stanley Securities: a company's words, never a person's
    if any(w.lower() in vocabulary.latin_event_words for w in words):
        return "EVENT"  # Project Gigafactory, Prime Day
    personal = after.startswith(vocabulary.person_verbs) or titled
    title_case = all(
        re.fullmatch(r"[A-Z][a-z'\-]+|de|da|di|van|von|der|le|la|du|dos|del|Le|La|De|Van|Von", w) for w in words
    )
    if title_case and (personal or 2 <= len(words) <= 4):
        return "PERSON"
    return "ORG"


@Language.factory("newsbrief_entity_patterns", default_config={"corpus_dir": ""})
def make_entity_patterns(nlp: Language, name: str, corpus_dir: str):
    resources = Resources(Path(corpus_dir))
    vocabulary = load_vocabulary(resources)
    gazetteer = load_gazetteer(resources)
    inner = _inner_gazetteer_pattern(gazetteer)

    def entity_patterns(doc: SpacyDoc) -> SpacyDoc:
        text = doc_text(doc)
        # Gazetteer names inside longer jieba words (邓小平理论, 中华人民共和国香港特别行政区), not across
        # two words (英国 in 精英/国际).
        starts, lengths = doc.to_array(["IDX", "LENGTH"]).T  # no Token objects: a tenth of the time
        boundaries = set(starts.tolist()) | set((starts + lengths).tolist())
        for m in inner.finditer(text):
            if _crosses_words(m.start(), m.end(), boundaries):
                continue
            entry = gazetteer.by_form[m.group(0)]
            _add_span(doc, "inner", m.start(), m.end(), entry.type, entry.name)
        # 品牌无疆跨境（BOUNDLESS）: a Chinese name right before its Latin name in brackets.
        for m in _APPOSITION_BEFORE.finditer(text):
            start = _name_start_before(doc, m.start(), vocabulary)
            if start is not None and m.start() - start >= 2:
                _add_span(doc, "pattern", start, m.start(), "ORG")
        # One-character country abbreviations: 中美关系, 访华, 港澳台.
        for m in _ABBREVIATION_PAIR.finditer(text):
            for group in ("a", "b"):
                entry = gazetteer.lookup(vocabulary.abbreviations[m.group(group)])
                if entry:
                    _add_span(doc, "inner", m.start(group), m.end(group), entry.type, entry.name)
        for m in _ABBREVIATION_AFTER_VERB.finditer(text):
            entry = gazetteer.lookup(vocabulary.abbreviations[m.group("a")])
            if entry:
                _add_span(doc, "inner", m.start("a"), m.end("a"), entry.type, entry.name)
        for m in vocabulary.titled_name.finditer(text):
            name_text = _person_name(m.group("name"), vocabulary)
            if name_text:
                start = m.start("name")
                _add_span(doc, "pattern", start, start + len(name_text), "PERSON")
        for token in doc:
            word = token.text
            suffix = next((s for s in vocabulary.org_suffixes if word.endswith(s)), None) \
                if word.endswith(vocabulary.org_suffixes) else None
            if suffix is not None:
                span = _org_before(doc, token.i, suffix, vocabulary, gazetteer)
                if span:
                    _add_span(doc, "suffix", span[0], span[1], "ORG")
            elif (
                3 <= len(word) <= 6
                and word.endswith(vocabulary.place_suffixes)
                and word[:-1] not in vocabulary.place_stop_stems
                and not word.endswith(vocabulary.area_words)
                and all(HAN.match(ch) for ch in word)
            ):
                _add_span(doc, "suffix", token.idx, token.idx + len(word), "GPE")
        return doc

    return entity_patterns


_APPOSITION = re.compile(r"\s*[（(]\s*(?P<latin>[A-Za-z][A-Za-z0-9 .&'!\-]{1,40}?)\s*[)）]")
_ABBR_CHARS = "中美日俄英法德加韩朝印欧非亚越泰意墨"
_ABBREVIATION_PAIR = re.compile(
    rf"(?<![\u4e00-\u9fff])(?P<a>[{_ABBR_CHARS}港澳台])(?P<b>[{_ABBR_CHARS}港澳台])"
    r"(?=关系|两国|双方|合作|贸易|首脑|会谈|会晤|峰会|友好|联合|建交|之间|战略|经贸|关税|贸易战|[、台])"
)
_ABBREVIATION_AFTER_VERB = re.compile(
    r"(?<=访|来|驻|赴|抵|离|旅|留|进|返)(?P<a>[华美日俄英法德港台京沪澳])(?=[，。、；：,\s期间后前时的人]|$)"
)


_APPOSITION_BEFORE = re.compile(r"(?<=[\u4e00-\u9fff])\s*[（(]\s*[A-Z][A-Za-z0-9 .&'!\-]{1,40}?\s*[)）]")


def _crosses_words(start: int, end: int, boundaries: set[int]) -> bool:
    """Whether [start, end) begins in one word and ends in another (not within one, not whole words)."""
    inside = any(b in boundaries for b in range(start + 1, end))
    return inside and not (start in boundaries and end in boundaries)


def _name_start_before(doc: SpacyDoc, end: int, vocabulary: EntityVocabulary) -> int | None:
    """Start of the name that ends at `end`: up to three jieba tokens, stopping at descriptors."""
    span = doc.char_span(0, end, alignment_mode="contract")
    if span is None or not len(span):
        return None
    start = None
    for token in reversed(list(span[max(0, len(span) - 3):])):  # a slice: never every token before `end`
        if (
            not HAN.search(token.text)
            or token.text in vocabulary.org_left_stops
            or token.text in vocabulary.generic_org_words
            or token.text.endswith(vocabulary.descriptor_endings)
            or _dictionary_tag(token.text)[:1] in ("v", "d", "p", "c", "u", "r", "m", "q", "a")
        ):
            break
        start = token.idx
    return start


_ORDINAL_BEFORE = re.compile(r"第[一二三四五六七八九十百零〇\d]+[届次]$")


def _inner_gazetteer_pattern(gazetteer: Gazetteer) -> re.Pattern[str]:
    forms = sorted((f for f in gazetteer.by_form if HAN.search(f) and len(f) >= 2), key=len, reverse=True)
    return re.compile("|".join(re.escape(f) for f in forms))


def _person_name(candidate: str, vocabulary: EntityVocabulary) -> str | None:
    """A Chinese name at the start of `candidate`: surname (1-2 chars) + 1-2 given-name chars."""
    for surname_len in (2, 1):
        surname = candidate[:surname_len]
        if surname in vocabulary.surnames or (surname_len == 2 and surname in vocabulary.compound_surnames):
            given = candidate[surname_len:]
            if 1 <= len(given) <= 2:
                return candidate
    return None




def _dictionary_tag(word: str) -> str:
    import jieba.posseg

    return jieba.posseg.dt.word_tag_tab.get(word, "")


def place_with_common_suffix(surface: str, vocabulary: EntityVocabulary, gazetteer: Gazetteer) -> bool:
    """A description, not a name: a place, at most one common word and a suffix that reads as a
    common noun (香港资本 'Hong Kong capital', 美国电商公司, 墨西哥贩毒集团 'Mexican drug cartels')."""
    from ..dictionary import load_dictionary

    if gazetteer.lookup(surface) is not None:
        return False
    for suffix in vocabulary.place_common_suffixes:
        if not surface.endswith(suffix) or len(surface) <= len(suffix):
            continue
        stem = surface[: -len(suffix)]
        for size in range(min(len(stem), 8), 0, -1):
            place = gazetteer.lookup(stem[:size])
            if place is not None and place.type in ("GPE", "LOC"):
                middle = stem[size:]
                if not middle or load_dictionary().is_common_word(middle) or middle in vocabulary.generic_org_words:
                    return True
                break
    return False


def _org_before(doc: SpacyDoc, index: int, suffix: str, vocabulary: EntityVocabulary,
                gazetteer: Gazetteer) -> tuple[int, int] | None:
    """Extend an organisation suffix token leftwards over name-like tokens."""
    end_token = doc[index]
    start = index
    while start > 0 and index - start < 4:
        previous = doc[start - 1]
        if previous.is_punct or previous.is_space or (not HAN.search(previous.text) and not previous.text.isalpha()):
            break
        if previous.text in vocabulary.org_left_stops or _dictionary_tag(previous.text)[:1] in (
            "v",
            "d",
            "p",
            "c",
            "u",
            "r",
            "m",
            "q",
        ):
            break
        start -= 1
    words = [t.text for t in doc[start : index + 1]]
    stem_words = words[:-1] if words[-1] == suffix else [*words[:-1], words[-1][: -len(suffix)]]
    stem_words = [w for w in stem_words if w]
    if not stem_words or all(w in vocabulary.generic_org_words for w in stem_words) or \
            place_with_common_suffix("".join(stem_words) + suffix, vocabulary, gazetteer):
        return None
    # Doc.text joins every token, so look at the next token rather than the text.
    following = "" if end_token.whitespace_ or end_token.i + 1 >= len(doc) else end_token.nbor(1).text[:1]
    if following and re.match(r"[A-Za-z「“《]", following):
        return None  # 美国电子商务公司Etsy: a description in apposition, not a name
    return doc[start].idx, end_token.idx + len(end_token.text)


@Language.factory("newsbrief_pos_names", default_config={"corpus_dir": ""})
def make_pos_names(nlp: Language, name: str, corpus_dir: str):
    resources = Resources(Path(corpus_dir))
    vocabulary = load_vocabulary(resources)

    def pos_names(doc: SpacyDoc) -> SpacyDoc:
        import jieba

        position = 0
        text = doc_text(doc)
        place_ends = (*vocabulary.place_suffixes, "国", "岛", "湾", "港")
        for word, flag in doc.user_data.get(POS_TAGS_KEY) or pos_tags(text, resources):
            start = text.find(word, position)
            if start < 0:
                continue
            position = start + len(word)
            if not HAN.search(word) or len(word) < 2:
                continue
            # jieba's dictionary tags many common words as names (文明/nr, 城市/ns): a frequent
            # dictionary word needs more than its tag to count as a name.
            frequency = jieba.dt.FREQ.get(word, 0)
            after = text[position : position + 2]
            if flag in ("nr", "nrfg") and len(word) <= 4 and _person_name(word, vocabulary):
                if len(word) >= 3 or frequency < 100 or after.startswith(vocabulary.person_verbs):
                    _add_span(doc, "pos", start, position, "PERSON")
            elif flag == "nrt" and len(word) >= 2 and (frequency < 200 or after.startswith(vocabulary.person_verbs)):
                _add_span(doc, "pos", start, position, "PERSON")
            elif (
                flag == "ns"
                and len(word) >= 2
                and word not in vocabulary.not_places
                and frequency < 800
                and ((frequency > 0 and len(word) <= 3) or word.endswith(place_ends))
            ):
                label = "GPE" if word.endswith((*vocabulary.place_suffixes, "国")) else "LOC"
                _add_span(doc, "pos", start, position, label)
            elif flag == "nt" and len(word) >= 2 and not word.endswith(("关系", "问题")):
                # 第十五次全国代表大会: an ordinal in front belongs to the organisation's name.
                ordinal = _ORDINAL_BEFORE.search(text, max(0, start - 8), start)
                _add_span(doc, "pos", ordinal.start() if ordinal else start, position, "ORG")
        return doc

    return pos_names


ENTITY_PIPES = ("entity_ruler", "newsbrief_latin_names", "newsbrief_recogniser", "newsbrief_entity_patterns",
                "newsbrief_pos_names")
# jieba's part-of-speech names are off by default: with the recogniser they cost 2 points of F1 on
# held-out MSRA train sentences and precision on the seed (芬太尼/nrt, 毛利润/nr); see models/README.md.
DEFAULT_ENTITY_PIPES = ENTITY_PIPES[:-1]


def pipe_name(source: str, recogniser_config: dict[str, str]) -> str:
    """The name a source runs under in the shared jieba pipeline: recognisers differ by their settings."""
    if source != "newsbrief_recogniser":
        return source
    return f"{source}[{recogniser_config.get('heads', 'msra')}|{recogniser_config.get('model_path', '')}]"


def ensure_entity_pipes(nlp: Language, resources: Resources, sources: tuple[str, ...] = ENTITY_PIPES,
                        recogniser_config: dict[str, str] | None = None) -> None:
    """Add the entity components to the shared jieba pipeline, once."""
    corpus = str(resources.corpus_dir)
    recogniser_config = recogniser_config or {}
    for name in sources:
        if pipe_name(name, recogniser_config) in nlp.pipe_names:
            continue
        if name == "newsbrief_recogniser":
            nlp.add_pipe(name, name=pipe_name(name, recogniser_config),
                         config={"corpus_dir": corpus, **recogniser_config})
        elif name == "entity_ruler":
            ruler = nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": "ORTH", "overwrite_ents": True})
            patterns = []
            for entry in load_gazetteer(resources).entries:
                for form in entry.forms:
                    patterns.append({"label": entry.type, "pattern": form, "id": entry.name})
            with nlp.select_pipes(enable=[]):
                ruler.add_patterns(patterns)
        else:
            nlp.add_pipe(name, config={"corpus_dir": corpus})


