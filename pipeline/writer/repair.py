"""Chinese the model copied into its English, put into English where the fact sheet already has it."""

from __future__ import annotations

import re
from collections.abc import Callable

from ..resources import Resources
from ..terms import TermEnglish
from .checks import HAN, latin_words
from .prepare import needs_space

# A run of Chinese in the model's English, with the digits stuck to it (36氪).
_CHINESE_RUN = re.compile(r"[0-9]*[\u4e00-\u9fff]+(?:[0-9·]+[\u4e00-\u9fff]+)*")


def fill_chinese(output: str, names: dict[str, str], terms: TermEnglish,
                 fallback: Callable[[str], str | None] | None = None, inserted: set[str] | None = None) -> str:
    """Each run of Chinese that is a name of the article, a glossary term or a phrase the terms stage
    knows (glossary, business terms, CC-CEDICT; two characters or more), or else a name known only in
    pinyin (`names` marks those `pinyin:`), or what `fallback` names (the gazetteer, an organisation by
    its suffix), becomes its English, spaced from letters and digits; the rest stays for the checks
    (retry, then drop): `the浦东 Football Field` -> `the Pudong Football Field`. The English put in is
    added to `inserted`: names the checks then trace to the source."""
    if not HAN.search(output):
        return output

    def english(match: re.Match) -> str:
        run = match.group(0)
        name = names.get(run)
        found = name if name and not name.startswith("pinyin:") else None
        found = found or (terms.english(run) if len(HAN.findall(run)) >= 2 else None)
        found = found or (name.removeprefix("pinyin:") if name else None)
        found = found or (fallback(run) if fallback else None)
        if not found or HAN.search(found):
            return run
        if inserted is not None:
            inserted.update(latin_words(found))
        left = output[match.start() - 1] if match.start() else ""
        right = output[match.end()] if match.end() < len(output) else ""
        return (" " if needs_space(left) else "") + found + (" " if needs_space(right) else "")

    return " ".join(_CHINESE_RUN.sub(english, output).split())


def name_outside_the_fact_sheet(run: str, resources: Resources) -> str | None:
    """A name the entity stage missed: the gazetteer's English (36氪 -> 36Kr), or, for a run that ends
    in an organisation suffix (执势资本, 光云科技), its pinyin name as the entity stage gives one
    (Zhishi Capital). `resources`: the writer's lexicons, gazetteer included."""
    from ..entities.gazetteer import load_gazetteer
    from ..entities.naming import org_pinyin
    from ..entities.vocabulary import load_vocabulary

    entry = load_gazetteer(resources).lookup(run)
    if entry is not None:
        return entry.english
    vocabulary = load_vocabulary(resources)
    if any(run.endswith(suffix) and len(run) >= len(suffix) + 2 for suffix in vocabulary.org_suffixes):
        return org_pinyin(run, vocabulary)
    return None
