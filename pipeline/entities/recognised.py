"""The trained recogniser (``recogniser``) as the spaCy component ``newsbrief_recogniser``, and the
evidence that types its spans onto ours or turns them down: the script, the dictionary's glosses,
surnames, generic words. Imported by the extractor, which registers the component."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from ..resources import Resources
from .components import Language, SpacyDoc, _add_span, doc_text
from .vocabulary import EntityVocabulary, load_vocabulary

# The recogniser's types, per head, onto ours (LOC is refined to GPE by `place_type`).
RECOGNISER_TYPES = {
    "msra": {"PER": "PERSON", "ORG": "ORG", "LOC": "LOC"},
    "cluener": {"name": "PERSON", "company": "ORG", "organization": "ORG", "government": "ORG", "address": "LOC"},
}


def place_type(surface: str, vocabulary: EntityVocabulary, glosses: str | None = None) -> str:
    """GPE for a place with a government (a country, province, city …), else LOC (东南亚, 长江).
    `glosses`: the surface's proper-noun glosses, when the caller has them already."""
    from ..dictionary import load_dictionary

    if surface.endswith((*vocabulary.place_suffixes, "国")):
        return "GPE"
    if glosses is None:
        glosses = load_dictionary().proper_glosses(surface)
    return "GPE" if _mentions(glosses, vocabulary.dictionary_senses.get("GPE", ())) else "LOC"


@Language.factory("newsbrief_recogniser", default_config={"corpus_dir": "", "model_path": "", "heads": "msra"})
def make_recogniser(nlp: Language, name: str, corpus_dir: str, model_path: str, heads: str):
    from ..dictionary import load_dictionary
    from ..settings import packaged_recogniser
    from .recogniser import load_recogniser

    vocabulary = load_vocabulary(Resources(Path(corpus_dir)))
    recogniser = load_recogniser(Path(model_path) if model_path else packaged_recogniser())
    dictionary = load_dictionary()
    head_names = tuple(h for h in heads.split(",") if h)

    def recognise(doc: SpacyDoc) -> SpacyDoc:
        text = doc_text(doc)
        starts, lengths = doc.to_array(["IDX", "LENGTH"]).T  # no Token objects: a tenth of the time
        words = zip(starts.tolist(), (starts + lengths).tolist(), strict=True)
        found = recogniser.predict(text, words, dictionary.proper_forms, dictionary.longest_proper, heads=head_names)
        for head in head_names:
            for start, end, label in found[head]:
                start, end = _letters_only(text, start, end)  # '| 卢奕贝' in a byline is 卢奕贝
                if end - start < 1:
                    continue
                ours = recognised_type(text[start:end], RECOGNISER_TYPES[head].get(label), vocabulary)
                if ours:
                    _add_span(doc, "recogniser", start, end, ours)
        return doc

    return recognise


_LATIN_OR_DIGIT = re.compile(r"[A-Za-z0-9]")


def _letters_only(text: str, start: int, end: int) -> tuple[int, int]:
    """A span without the spaces and punctuation the model took in at its ends (a byline's '| ')."""
    while start < end and not text[start].isalpha():
        start += 1
    while end > start and not text[end - 1].isalpha():
        end -= 1
    return start, end


def recognised_type(surface: str, label: str | None, vocabulary: EntityVocabulary) -> str | None:
    """Our type for a span the recogniser found, or None where the evidence says it is no name.

    - Latin script and digits belong to the Latin-name rule: the model sees letters only by class.
    - A "place" ending in a common noun that only ends like one (超市, 股市) is a business, or nothing.
    - A bare suffix or generic word (联盟, 专委会) is no organisation's name; one ending in an event word
      (电影节, 博览会) is an event's.
    - A two-character person's name starts with a surname (光云 and 优云 do not), unless the
      dictionary knows it; longer ones are often transliterations (克林斯曼, 阿兹明·阿里).
    - Where CC-CEDICT describes the name, its gloss decides the type: 资生堂 'Shiseido (Japanese cosmetics
      company)' is an organisation, 彭博社 'Bloomberg News' no person.
    """
    from ..dictionary import load_dictionary

    if label is None or _LATIN_OR_DIGIT.search(surface):
        return None
    ending = next((e for e in vocabulary.not_place_endings if surface.endswith(e)), None)
    if label == "LOC" and ending:  # 永辉超市 is a supermarket chain, not 'Yonghuichao City'
        return "ORG" if len(surface) - len(ending) >= 2 else None
    if label == "ORG" and (surface in vocabulary.org_suffixes or surface in vocabulary.generic_org_words):
        return None
    if label == "ORG" and surface.endswith(vocabulary.event_suffixes) and len(surface) > 3:
        return "EVENT"  # 上海国际电影节 is a festival, not an organisation
    dictionary = load_dictionary()
    glosses = dictionary.proper_glosses(surface)
    described = dictionary_type(glosses, vocabulary)
    if described:
        return place_type(surface, vocabulary, glosses) if described == "GPE" else described
    if label == "PERSON":
        known = surface in dictionary.proper_forms
        surnamed = vocabulary.starts_with_surname(surface)
        return label if known or surnamed or len(surface) >= 3 else None
    if label == "LOC":
        return place_type(surface, vocabulary, glosses)
    return label


def dictionary_type(glosses: str, vocabulary: EntityVocabulary) -> str | None:
    """The one entity type (ORG, PERSON or GPE for any place) whose sense words a name's CC-CEDICT
    proper-noun glosses use, if just one."""
    if not glosses:
        return None
    senses = vocabulary.dictionary_senses
    found = {kind for kind in ("ORG", "PERSON") if _mentions(glosses, senses.get(kind, ()))}
    if _mentions(glosses, (*senses.get("GPE", ()), *senses.get("LOC", ()))):
        found.add("GPE")
    return found.pop() if len(found) == 1 else None


def _mentions(text: str, words: tuple[str, ...]) -> bool:
    return bool(words) and _sense_pattern(words).search(text) is not None


@cache
def _sense_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    """Whole words only ("app" is not in "approval"); "(1" for a birth year needs no word boundary."""
    return re.compile("|".join((r"\b" if w[0].isalnum() else "") + re.escape(w) + (r"\b" if w[-1].isalnum() else "")
                               for w in words))
