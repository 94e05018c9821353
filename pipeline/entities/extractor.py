"""EntityExtractor: runs the entity components, then merges the candidates (gazetteer first, then
Latin names, the trained recogniser, patterns, part-of-speech tags, items listed beside names),
names them in English (the gazetteer, else ``english_names.EntityNamer``; the article's own bracketed
English; never invented), finds stated roles, merges
mentions of the same entity and ranks them. A candidate that CC-CEDICT knows only as a common
word (芬太尼 'fentanyl', 青云 'clear sky') is no person or place."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..dictionary import load_dictionary
from ..resources import HAN, Resources
from ..schema import Entity, Mention
from ..segment import chinese_nlp
from ..spans import SpanIndex, split_spans, tiles
from . import recognised  # noqa: F401  (registers the newsbrief_recogniser component)
from .components import (
    _APPOSITION,
    CANDIDATE_KEYS,
    DEFAULT_ENTITY_PIPES,
    POS_TAGS_KEY,
    SpacyDoc,
    doc_text,
    ensure_entity_pipes,
    pipe_name,
    place_with_common_suffix,
)
from .coordination import coordinated_names
from .edges import coined_company, name_piece, people_apart
from .english_names import EntityNamer
from .gazetteer import load_gazetteer
from .roles import role_of
from .vocabulary import load_vocabulary


@dataclass
class _Candidate:
    start: int
    end: int
    label: str
    source: str
    key: str = ""  # gazetteer canonical name, if any


@dataclass
class _Cluster:
    key: str
    text: str
    type: str
    english: str
    english_source: str
    pinyin: str | None = None
    mentions: list[Mention] = field(default_factory=list)


_SOURCE_RANK = {"gazetteer": 0, "latin": 1, "recogniser": 2, "pattern": 3, "suffix": 4, "inner": 5, "pos": 6, "list": 7}
# Sources that guess from context: their candidate must not be a word the dictionary calls common.
_GUESSING_SOURCES = ("recogniser", "pos")


def _trim_to_repeated_people(chosen: list[_Candidate], text: str) -> None:
    """A guessed person one character longer than a person found twice elsewhere in the article is that
    person and the word after the name: 张珂称 (张珂 'said') where 张珂 is found on its own."""
    people = Counter(text[c.start : c.end] for c in chosen if c.label == "PERSON")
    for c in chosen:
        surface = text[c.start : c.end]
        if c.label == "PERSON" and c.source in _GUESSING_SOURCES and HAN.match(surface[-1:]) \
                and people[surface[:-1]] >= 2 and people[surface] < people[surface[:-1]]:
            c.end -= 1


class EntityExtractor:
    """Runs the entity components on a segmented Doc and builds typed, merged entities."""

    def __init__(self, resources: Resources, sources: tuple[str, ...] = DEFAULT_ENTITY_PIPES,
                 recogniser: dict[str, str] | None = None) -> None:
        """`recogniser`: the recogniser component's settings (``heads``: "msra", "cluener" or both,
        comma-separated; ``model_path``: another trained model file)."""
        self.resources = resources
        self.vocabulary = load_vocabulary(resources)
        self.nlp = chinese_nlp(resources)
        recogniser = dict(recogniser or {})
        ensure_entity_pipes(self.nlp, resources, sources, recogniser)
        self.pipes = tuple(pipe_name(source, recogniser) for source in sources)
        # Where the trained recogniser runs, its "no name here" outweighs a word ending's "name"
        # (市中心, 航空公司 are no organisations): measured on held-out MSRA train sentences.
        # ... except a coined brand before a company word (循物科技): see edges.coined_company.
        self.recogniser_runs = "newsbrief_recogniser" in sources
        self.gazetteer = load_gazetteer(resources)
        self.dictionary = load_dictionary()
        self.namer = EntityNamer(self.vocabulary, self.gazetteer, self.dictionary)
        from ..terms import load_terms

        self.business_terms = frozenset(load_terms(resources))  # 毛利润 is gross profit, not a Mr Mao

    def __call__(
        self,
        doc: SpacyDoc | str,
        *,
        title: str = "",
        exclude: tuple[str, ...] = (),
        pos_tags: Sequence[tuple[str, str]] | None = None,
    ) -> list[Entity]:
        """Entities of a jieba Doc (or a text, segmented here); `pos_tags`, jieba's (word, tag)
        pairs of the same text when the caller has them, spare tagging it again."""
        if isinstance(doc, str):
            doc = self.nlp.make_doc(doc)
        if pos_tags is not None:
            doc.user_data[POS_TAGS_KEY] = pos_tags
        for name in self.pipes:
            doc = self.nlp.get_pipe(name)(doc)
        text = doc_text(doc)
        candidates = self._candidates(doc)
        chosen = self._resolve(candidates, text)
        repeated = self._repeat_mentions(text, chosen)
        if repeated:
            chosen = self._resolve(candidates + repeated, text)
        _trim_to_repeated_people(chosen, text)
        listed = coordinated_names(text, [(c.start, c.end, c.label) for c in chosen], self._is_common)
        chosen += [_Candidate(start, end, label, "list") for start, end, label in listed]
        clusters = self._cluster(text, chosen, exclude)
        self._apply_appositions(text, clusters)
        for cluster in clusters.values():
            # Show the form the article uses most (eBay, not the gazetteer's 易贝).
            surfaces = [m.text for m in cluster.mentions]
            cluster.text = max(dict.fromkeys(surfaces), key=lambda s: (surfaces.count(s), len(s)))  # 美国 over 美
        known_orgs = {m.text: c.english for c in clusters.values() if c.type == "ORG" for m in c.mentions}
        entities = [self._entity(text, c, title, known_orgs) for c in clusters.values()]
        entities.sort(key=lambda e: (-e.salience, e.mentions[0].start))
        return entities

    # -- candidates

    def _candidates(self, doc: SpacyDoc) -> list[_Candidate]:
        text = doc_text(doc)
        found = [_Candidate(e.start_char, e.end_char, e.label_, "gazetteer", e.ent_id_) for e in doc.ents]
        for key in CANDIDATE_KEYS:
            for start, end, label, kb_id in doc.user_data.get(("nb_chars", key), []):
                if key == "suffix" and self.recogniser_runs:
                    lead = coined_company(text[start:end], self.vocabulary, self.dictionary, self._known_name)
                    if lead is None:
                        continue
                    start += lead
                piece = name_piece(text, start, end)  # a span that starts at a space (记者 王小红), quotes
                if piece is None:
                    continue
                start, end = piece
                if label == "ORG" and key == "recogniser" and "·" in text[start:end]:
                    parts = self._names_at_dots(text, start, end)
                    if parts:  # 经济日报·中国经济网 is two organisations
                        found += [_Candidate(s, e, "ORG", key) for s, e in parts]
                        continue
                people = people_apart(text, start, end) if label == "PERSON" and key in _GUESSING_SOURCES else None
                if people:  # 聂云鹏 王薇
                    found += [_Candidate(s, e, label, key) for s, e in people]
                    continue
                surface = text[start:end]
                entry = self.gazetteer.lookup(surface)
                abbreviated = self.gazetteer.lookup(self.vocabulary.abbreviations.get(surface, "")) \
                    if end - start == 1 else None
                if key == "inner":
                    found.append(_Candidate(start, end, label, "inner", kb_id))
                elif entry is not None:
                    found.append(_Candidate(start, end, entry.type, "gazetteer", entry.name))
                elif abbreviated is not None:
                    # 美 in 美联邦 is 美国, as the abbreviation patterns read it (never 华 'Mt Hua'); it yields
                    # to a longer name around it (欧 in 欧美), as their spans do.
                    found.append(_Candidate(start, end, abbreviated.type, "inner", abbreviated.name))
                elif end - start == 1 and key in _GUESSING_SOURCES and label != "PERSON":
                    continue  # a one-character place or body we know no abbreviation for (云 in “云经济”)
                elif not self._common_word(text[start:end], label, key):
                    found.append(_Candidate(start, end, label, key, kb_id))
        return found

    def _names_at_dots(self, text: str, start: int, end: int) -> list[tuple[int, int]] | None:
        """The parts of an organisation span joined by middle dots, when the first is a name of its own:
        one our data knows or one ending in an organisation word (经济日报·中国经济网); None for one
        name in transliterated parts (约翰斯·霍普金斯大学)."""
        parts = split_spans(text, start, end, "·")
        first = text[slice(*parts[0])]
        if any(e - s < 2 for s, e in parts) or not (self._known_name(first) or any(
                first.endswith(w) and len(first) > len(w) for w in self.vocabulary.org_suffix_english)):
            return None
        return parts

    def _known_name(self, surface: str) -> bool:
        """A name the gazetteer or CC-CEDICT knows."""
        return self.gazetteer.lookup(surface) is not None or surface in self.dictionary.proper_forms

    def _name_after_place(self, text: str, place: _Candidate, end: int) -> bool:
        """Whether a known name (or one with a company word after it: 索尼公司) follows the place up to
        `end`, as a name of its own (韩国现代, 日本索尼公司), not a body of the place (印度外交部)."""
        name = text[place.end : end]
        if place.label not in ("GPE", "LOC") or len(name) < 2 or self.vocabulary.body_of_a_place(name) \
                or name in self.vocabulary.org_suffix_english:  # 天津大学: 大学 is the Great Learning only alone
            return False
        if self._known_name(name):
            return True
        suffix = next((s for s in self.vocabulary.org_suffixes if name.endswith(s)), "")
        return bool(suffix) and len(name) - len(suffix) >= 2 and self._known_name(name[: -len(suffix)])

    def _is_common(self, surface: str) -> bool:
        return surface in self.business_terms or self.dictionary.is_common_word(surface)

    def _common_word(self, surface: str, label: str, source: str) -> bool:
        """芬太尼 as a person, 青云 as a place: the dictionary (or the project's business terms: 毛利润)
        knows these only as common words. An organisation the recogniser found keeps its name (苹果
        from its context is Apple). A weekday or month is no name whatever found it (发言人周四说)."""
        if self.dictionary.is_calendar_word(surface):
            return True
        if source not in _GUESSING_SOURCES or (source == "recogniser" and label == "ORG"):
            return False
        return self._is_common(surface)

    @staticmethod
    def _repeat_mentions(text: str, chosen: list[_Candidate]) -> list[_Candidate]:
        """A name found once by a pattern (无疆跨境（BOUNDLESS）) is the same name everywhere else in
        the article, even where jieba cuts it differently (无疆/跨境)."""
        # Each name is searched once, however many mentions it has (linear in the text).
        found_at: dict[tuple[str, str, str, str], set[int]] = {}
        for c in chosen:
            if c.source in ("pattern", "latin") and c.end - c.start >= 2:
                found_at.setdefault((text[c.start : c.end], c.label, c.source, c.key), set()).add(c.start)
        extra = []
        for (surface, label, source, key), starts in found_at.items():
            position = text.find(surface)
            while position >= 0:
                if position not in starts:
                    extra.append(_Candidate(position, position + len(surface), label, source, key))
                position = text.find(surface, position + 1)
        return extra

    def _resolve(self, candidates: list[_Candidate], text: str) -> list[_Candidate]:
        """Non-overlapping spans: gazetteer first, then Latin, the recogniser, patterns; then POS
        organisations (中国致公党 contains 中国), gazetteer names inside longer words, other POS spans."""

        def order(c: _Candidate) -> tuple[int, int, int]:
            rank = _SOURCE_RANK[c.source]
            if c.source == "pos" and c.label == "ORG":
                rank = _SOURCE_RANK["inner"] - 1
            return rank, -(c.end - c.start), c.start

        candidates.sort(key=order)
        # Gazetteer names inside longer jieba words (韩国现代 as one token), for the recogniser's spans.
        nested: SpanIndex[_Candidate] = SpanIndex()
        for c in candidates:
            if c.source == "inner" and not nested.overlaps(c.start, c.end):
                nested.add(c)
        chosen: SpanIndex[_Candidate] = SpanIndex()
        for c in candidates:
            overlapping = chosen.overlapping(c.start, c.end)
            if c.source == "recogniser":
                self._recognised_around_names(c, overlapping or nested.overlapping(c.start, c.end), chosen, text)
            elif not overlapping:
                chosen.add(c)
            elif c.source == "latin" or (c.source in ("pattern", "suffix") and c.label == "ORG"):
                # A Latin span that contains a gazetteer name (TikTok Shop ⊃ TikTok) wins: it is longer.
                # So does a company named after a place (湖南智六网络科技有限公司 ⊃ 湖南).
                inner = [
                    o
                    for o in overlapping
                    if o.source == "gazetteer"
                    and c.start <= o.start
                    and o.end <= c.end
                    and (c.source == "latin" or o.label in ("GPE", "LOC"))
                ]
                if inner and len(inner) == len(overlapping):
                    if c.source != "latin" and len(inner) == 1 and inner[0].start == c.start \
                            and self._name_after_place(text, inner[0], c.end):
                        # 美国微软公司: 美国 and Microsoft, not 'United States Microsoft Company'
                        chosen.add(_Candidate(inner[0].end, c.end, "ORG", c.source))
                        continue
                    for o in inner:
                        chosen.remove(o)
                    chosen.add(c)
        return chosen.items

    def _recognised_around_names(self, c: _Candidate, overlapping: list[_Candidate], chosen: SpanIndex[_Candidate],
                                 text: str) -> None:
        """Add a recognised span. Around gazetteer names an organisation is one name (南京市社会福利院
        ⊃ 南京市, 中国足协 ⊃ 中国), unless a known name follows a place (韩国现代: 韩国 and 现代 'Hyundai')
        that is no body of that place (印度外交部, 香港证监会 stay whole);
        a place is one name when its ending or the dictionary says so (斯洛伐克共和国), else the
        gazetteer's place stands (美国二手市场: 美国). A place plus a common noun (香港资本 'Hong
        Kong capital') is only the place."""
        inner = [o for o in overlapping if o.source in ("gazetteer", "inner") and c.start <= o.start and o.end <= c.end]
        if len(inner) != len(overlapping):
            return
        if not inner:
            chosen.add(c)
            return
        surface = text[c.start : c.end]
        taken = [o for o in inner if o.source == "gazetteer"]  # "inner" ones are not chosen yet
        if place_with_common_suffix(surface, self.vocabulary, self.gazetteer):
            return
        first = min(inner, key=lambda o: o.start)
        # 印度外交部, 香港证监会: a place's own body is one organisation, however well we know its parts.
        one_body = c.label == "ORG" and first.start == c.start and first.label in ("GPE", "LOC") \
            and self.vocabulary.body_of_a_place(text[first.end : c.end])
        if not one_body and tiles(sorted(inner, key=lambda o: o.start), c.start, c.end) \
                and all(o in taken for o in inner):
            return  # known names back to back are those names: 阿里速卖通 is 阿里 and 速卖通 (AliExpress)
        if c.label == "ORG" and not one_body:
            place = first if first.start == c.start else None  # 美国微软公司 is one jieba word: 美国, 微软 inside
            if place is not None and self._name_after_place(text, place, c.end):
                if place not in taken:
                    chosen.add(place)
                chosen.add(_Candidate(place.end, c.end, "ORG", "recogniser"))
                return
        elif c.label in ("GPE", "LOC") and not (
                surface.endswith((*self.vocabulary.place_suffixes, "国")) or surface in self.dictionary.proper_forms):
            return
        for o in taken:
            chosen.remove(o)
        chosen.add(c)

    # -- merging and naming

    def _cluster(self, text: str, chosen: list[_Candidate], exclude: tuple[str, ...]) -> dict[str, _Cluster]:
        clusters: dict[str, _Cluster] = {}
        by_last_word: dict[str, list[str]] = {}  # last word of a multi-word name -> cluster keys, oldest first
        for c in chosen:
            surface = text[c.start : c.end]
            if any(surface in e or e in surface for e in exclude if e):
                continue  # the publisher's own name (36氪获悉) is not news
            entry = self.gazetteer.by_form.get(c.key) if c.source in ("gazetteer", "inner") else None
            if entry is None and c.source == "gazetteer":
                entry = self.gazetteer.lookup(surface)
            if entry is not None:
                key = f"gaz:{entry.name}"
                cluster = clusters.get(key) or _Cluster(key, entry.name, entry.type, entry.english, "gazetteer")
            else:
                # Latin names cluster by spelling alone: "Rex" typed ORG in one sentence and PERSON
                # (联合创始人兼CGO Rex) in another is one entity; context-typed PERSON wins below.
                label_part = "latin" if c.source == "latin" else c.label
                key = f"{label_part}:{surface.lower().replace(' ', '')}"
                # A later bare surname (Hawkins) joins the full Western name it belongs to.
                if c.label == "PERSON":
                    key = next((k for k in by_last_word.get(surface, ()) if clusters[k].type == "PERSON"), key)
                cluster = clusters.get(key) or self._new_cluster(key, surface, c.label)
            if key not in clusters and " " in cluster.text:
                by_last_word.setdefault(cluster.text.split()[-1], []).append(key)
            cluster.mentions.append(Mention(start=c.start, end=c.end, text=surface, source=c.source))
            if c.source == "latin" and c.label == "PERSON":
                cluster.type = "PERSON"
            clusters[key] = cluster
        return clusters

    @staticmethod
    def _apply_appositions(text: str, clusters: dict[str, _Cluster]) -> None:
        """无疆跨境（BOUNDLESS）: the article itself gives the English name of a Chinese name."""
        by_start = {m.start: (key, m) for key, c in clusters.items() for m in c.mentions}
        for key, cluster in list(clusters.items()):
            if cluster.english_source != "pinyin":
                continue
            for mention in cluster.mentions:
                m = _APPOSITION.match(text, mention.end)
                if not m:
                    continue
                cluster.english, cluster.english_source = m.group("latin").strip(), "latin"
                inner = by_start.get(m.start("latin"))
                if inner and inner[0] != key and inner[0] in clusters:
                    # The Latin form is the same entity, not a second one.
                    cluster.mentions.extend(clusters.pop(inner[0]).mentions)
                break

    def _new_cluster(self, key: str, surface: str, label: str) -> _Cluster:
        name = self.namer(surface, label)
        return _Cluster(key, surface, label, name.english, name.source, pinyin=name.pinyin)

    def _entity(self, text: str, cluster: _Cluster, title: str, known_orgs: dict[str, str]) -> Entity:
        role, role_en = (None, None)
        if cluster.type == "PERSON":
            for mention in cluster.mentions:
                role, role_en = role_of(text, mention.start, self.vocabulary, self.gazetteer, known_orgs)
                if role:
                    break
        first = min(m.start for m in cluster.mentions)
        salience = len(cluster.mentions) + (3 if cluster.text in title or cluster.english in title else 0)
        salience += {"ORG": 1.0, "PERSON": 1.0, "PRODUCT": 0.5}.get(cluster.type, 0.0)
        salience += max(0.0, 1.0 - first / max(1, len(text)))
        return Entity(
            text=cluster.text,
            type=cluster.type,
            english=cluster.english,  # type: ignore[arg-type]
            english_source=cluster.english_source,
            pinyin=cluster.pinyin,  # type: ignore[arg-type]
            role=role,
            role_en=role_en,
            mentions=sorted(cluster.mentions, key=lambda m: m.start),
            count=len(cluster.mentions),
            salience=round(salience, 3),
        )
