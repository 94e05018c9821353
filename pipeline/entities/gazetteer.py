"""The project gazetteer (corpus/gazetteer/gazetteer.tsv) plus every ISO country with its Chinese name."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from ..resources import HAN, Resources, read_tsv, split_aliases
from .vocabulary import load_vocabulary


@dataclass(frozen=True)
class GazetteerEntry:
    name: str
    english: str
    type: str
    forms: tuple[str, ...]


@dataclass(frozen=True)
class Gazetteer:
    entries: tuple[GazetteerEntry, ...]
    by_form: dict[str, GazetteerEntry]

    @classmethod
    def load(cls, resources: Resources) -> Gazetteer:
        entries = []
        for row in read_tsv(resources.require(resources.gazetteer)):
            forms = (row["name"], *split_aliases(row.get("aliases", "")))
            entries.append(GazetteerEntry(row["name"], row["english"], row["type"], forms))
        known = {form for entry in entries for form in entry.forms}
        entries += [e for e in iso_countries(load_vocabulary(resources).state_forms) if not known.intersection(e.forms)]
        by_form: dict[str, GazetteerEntry] = {}
        for entry in entries:
            for form in entry.forms:
                by_form.setdefault(form, entry)
                if not HAN.search(form):
                    by_form.setdefault(form.lower(), entry)
        return cls(tuple(entries), by_form)

    def lookup(self, text: str) -> GazetteerEntry | None:
        return self.by_form.get(text) or (self.by_form.get(text.lower()) if not HAN.search(text) else None)


@cache
def iso_countries(state_forms: tuple[str, ...]) -> tuple[GazetteerEntry, ...]:
    """Every ISO 3166 country with its Chinese name, from pycountry's own translations.

    Our gazetteer rows come first; these fill the gaps (马拉维 -> Malawi).
    """
    import gettext

    import pycountry

    try:
        chinese = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["zh_CN"])
    except OSError:
        return ()
    entries = []
    for country in pycountry.countries:
        name_zh = chinese.gettext(country.name)
        if name_zh == country.name or not HAN.search(name_zh):
            continue
        forms = [name_zh]
        for state_form in state_forms:
            if name_zh.endswith(state_form) and len(name_zh) - len(state_form) >= 2:
                forms.append(name_zh[: -len(state_form)])
                break
        english = getattr(country, "common_name", None) or country.name
        entries.append(GazetteerEntry(name_zh, english, "GPE", tuple(forms)))
    return tuple(entries)


@cache
def load_gazetteer(resources: Resources) -> Gazetteer:
    return Gazetteer.load(resources)
