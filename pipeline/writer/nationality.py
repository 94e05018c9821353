"""Countries and peoples in the model's English for a name: each must be one the name's Chinese writes.

The names check takes capitalised words such as Chinese or US as ordinary words, since a sentence says
them freely; in a name they state a fact ('Chinese Embassy in Chengdu' for 成都总领事馆, a US consulate),
so there each must trace to a place the Chinese name writes (corpus/lexicon/nationality_words.tsv).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache

from ..resources import Resources, default_resources, read_tsv
from ..schema import Entity


@cache
def load_nationality_words(resources: Resources) -> dict[str, tuple[str, ...]]:
    """English country or people word -> the Chinese forms that write it."""
    table = read_tsv(resources.require(resources.lexicon / "nationality_words.tsv"))
    return {row["english"]: tuple(row["chinese"].split("|")) for row in table}


def untraced_nationalities(name: str, source: str, resources: Resources | None = None) -> list[str]:
    """The country or people words of an English `name` that its Chinese `source` does not write."""
    words = load_nationality_words(resources or default_resources())
    said = re.findall(r"[A-Z][A-Za-z.]*", name)
    return [w for w in dict.fromkeys(said) if w in words and not any(form in source for form in words[w])]


def peoples_of(entities: Sequence[Entity], resources: Resources) -> set[str]:
    """The country and people words of the places the entities write (Dutch, Netherlands' people, for 荷兰)."""
    written = {m.text for e in entities for m in e.mentions} | {e.text for e in entities}
    return {word for word, forms in load_nationality_words(resources).items() if written & set(forms)}
