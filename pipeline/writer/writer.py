"""The Writer: batches generation across briefs, checks every output, assembles the English."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from ..dictionary import load_dictionary
from ..entities.vocabulary import load_vocabulary
from ..figures import FigureExtractor
from ..resources import Resources, default_resources
from ..schema import Brief
from ..segment import split_sentences
from ..terms import TermEnglish
from .assemble import assemble
from .checks import (
    HAN,
    broken_relations,
    changed_units,
    clean_output,
    invented_dates,
    is_quotation,
    known_names,
    load_common_words,
    numbers_in,
    numbers_said,
    same_number,
    source_vocabulary,
    unknown_names,
)
from .generation import GenerationCache, Generator
from .hints import rare_word_hints
from .meaning import SentencePair, meaning_problems, names_only
from .nationality import untraced_nationalities
from .prepare import (
    MAX_NEW_TOKENS,
    NAME_KINDS,
    PHRASE_KINDS,
    Kind,
    Segment,
    allowed_numbers,
    select_sentences,
    sentence_segment,
    substitute,
    title_parts,
    token_budget,
)
from .prompts import conversation, echoes_instructions
from .repair import (
    change_start_said_from,
    chinese_left,
    comparisons_put_back,
    fill_chinese,
    headline_present,
    learned_not_said,
    name_outside_the_fact_sheet,
    put_in,
    qualifiers_put_back,
    sentence_case,
    vague_amounts_put_back,
)
from .sentence_names import named_in
from .sounds import transliterated, usual_english

MAX_PHRASE_WORDS = 10
MAX_WORDS = 120  # of the English summary
# A figure of the sentence that the English leaves out: asked for again, but the sentence still ships
# (it says less, not something wrong).
LEFT_OUT = "left out"


@dataclass
class WriterReport:
    segments: int = 0
    generated: int = 0
    cached: int = 0
    seconds: float = 0.0


Progress = Callable[[str, int, int], None]  # (what, done, total)


@dataclass
class Writer:
    """Writes the English of briefs with a generator; one call batches across articles.

    Every output is checked before it ships (``problems``): numbers must be figures of its own
    source sentence, each figure keeps its relation (direction, from/to, year on year), names must
    trace to an entity of the source, and no Chinese is left. A failing output is retried once with
    notes; what still fails is dropped (a title is rebuilt from rules), never shipped with a warning.
    """

    generator: Generator
    cache: GenerationCache | None = None
    sentences: int = 5
    max_words: int = MAX_WORDS
    glossary: dict[str, str] = field(default_factory=dict)
    # Capitalised words that are not names: the packaged lexicon unless given.
    common_words: frozenset[str] = field(default_factory=lambda: load_common_words(default_resources()))
    resources: Resources | None = None  # gazetteer and lexicons for names the fact sheet lacks (default: packaged)
    hints: bool = False  # rare words' dictionary English in the sentence prompts (writer.hints)
    report: WriterReport = field(default_factory=WriterReport)
    progress: Progress | None = None  # told of each generation batch (the CLI shows it)
    terms: dict[str, str] = field(default_factory=dict)  # business terms (corpus/lexicon/terms.tsv)
    _term_english: TermEnglish | None = field(default=None, init=False, repr=False)

    def describe(self) -> dict:
        """What of the writer changes a brief: for the fingerprint of cached briefs."""
        return self.description(self.generator.checksum, sentences=self.sentences, max_words=self.max_words,
                                hints=self.hints)

    @staticmethod
    def description(checksum: str, *, sentences: int, max_words: int = MAX_WORDS, hints: bool = False) -> dict:
        """:meth:`describe` for a writer not loaded here (the Ray engine's workers load it)."""
        return {"model": checksum, "sentences": sentences, "max_words": max_words, **({"hints": True} if hints else {})}

    def write(self, briefs: list[Brief]) -> list[Brief]:
        started = time.perf_counter()
        segments = [seg for i, brief in enumerate(briefs) for seg in self.segments_for(i, brief)]
        known = [known_names(brief, self.resources) for brief in briefs]
        names = [self.names_for(brief) for brief in briefs]
        self.translate(segments)
        failing = self.first_check(segments, names, known)
        self.retry(failing, names, known)
        for seg in self.translate_chinese_left(failing):
            self.check(seg, known[seg.brief])
        for seg in failing:
            hard = [p for p in seg.problems if not p.endswith(LEFT_OUT)]
            seg.status = "repaired" if not hard else "replaced" if seg.kind == "title" else "dropped"
        for i, brief in enumerate(briefs):
            assemble(brief, [s for s in segments if s.brief == i], model=self.generator.label,
                     max_words=self.max_words)
        self.report.segments += len(segments)
        self.report.seconds += time.perf_counter() - started
        return briefs

    def first_check(self, segments: list[Segment], names: list[dict[str, str]], known: list[set[str]]
                    ) -> list[Segment]:
        """Mend by rule and check the first answers; return those worth a retry (a figure left out alone is
        not). A name that fails keeps its pinyin: asked again, greedy decoding would say the same."""
        failing = []
        for seg in segments:  # what repair puts in traces to the source (known) by construction
            seg.output = self.repaired(seg, names[seg.brief], known[seg.brief])
            seg.first_problems = self.check(seg, known[seg.brief])
            if not _weight(seg.first_problems)[0]:
                continue
            if seg.kind in NAME_KINDS:
                seg.status = "dropped"
            else:
                failing.append(seg)
        return failing

    def retry(self, failing: list[Segment], names: list[dict[str, str]],
              known: list[set[str]] | None = None) -> None:
        """Ask once more for each checked, failing segment, with notes on its problems, and keep of
        the two attempts the one with fewer problems (a retry can come out worse)."""
        first = [(seg.output, seg.problems, seg.cut) for seg in failing]
        self.translate(failing, retry=True)
        for seg, (output, problems, cut) in zip(failing, first, strict=True):
            seen = known[seg.brief] if known is not None else None
            seg.output = self.repaired(seg, names[seg.brief], seen)
            if _weight(self.check(seg, seen)) > _weight(problems):
                seg.output, seg.problems, seg.cut = output, problems, cut

    # -- segments

    def _glossary_for(self, brief: Brief) -> dict[str, str]:
        """The glossary, and the publisher's English name (36氪 -> 36Kr): bylines name it in the text. A
        publisher without one stays as written, a name whose words no glossary term is put into (36氪出海 is
        no '36氪going global')."""
        glossary = dict(self.glossary)
        source = brief.meta.source
        if source and brief.meta.source_en and " via " not in brief.meta.source_en:
            glossary[source] = brief.meta.source_en
        elif source and any(term in source for term in glossary):
            glossary[source] = source
        return glossary

    def segments_for(self, index: int, brief: Brief) -> list[Segment]:
        segments = []
        glossary = self._glossary_for(brief)
        for part, (clause, joiner) in enumerate(title_parts(brief.meta.title or "")):  # clause by clause
            figures = FigureExtractor()(clause, split_sentences(clause), published=brief.meta.published,
                                        precision=brief.meta.published_precision)
            prepared, rendered = substitute(clause, 0, figures, brief.entities, by_search=True, glossary=glossary)
            segments.append(Segment(index, "title", part, clause, prepared, allowed_numbers(brief, prepared, figures),
                                    rendered, own_figures=figures, hints=self.hints_for(prepared),
                                    names=named_in(clause, brief.entities, self.resources), lead=joiner))
        for sentence_index in select_sentences(brief, self.sentences):
            s = brief.sentences[sentence_index]
            own = [f for f in brief.figures if s.start <= f.start and f.end <= s.end]
            seg = sentence_segment(index, sentence_index, s.text, s.start, own, brief, glossary,
                                   self.resources or default_resources())
            seg.hints = self.hints_for(seg.prepared)
            segments.append(seg)
        by_subject: dict[str, Segment] = {}
        for figure_index, figure in enumerate(brief.figures):
            if figure.subject and not figure.subject_en:
                if figure.subject in by_subject:
                    by_subject[figure.subject].also.append(figure_index)
                    continue
                by_subject[figure.subject] = self._phrase(index, "subject", figure_index, figure.subject, brief,
                                                          glossary)
        segments += by_subject.values()
        for entity_index, entity in enumerate(brief.entities):
            if entity.role and not entity.role_en:
                segments.append(self._phrase(index, "role", entity_index, entity.role, brief, glossary))
        for keyword_index, keyword in enumerate(brief.keywords):
            if not keyword.english:
                segments.append(self._phrase(index, "keyword", keyword_index, keyword.word, brief, glossary))
        return segments + self.name_segments(index, brief)

    def name_segments(self, index: int, brief: Brief) -> list[Segment]:
        """Names known only in pinyin: the model is asked for their usual English, verified (`problems`)."""
        vocabulary = load_vocabulary(self.resources or default_resources())
        people = [e.type == "PERSON" and transliterated(e.text, vocabulary) for e in brief.entities]
        return [Segment(index, "person" if person else "name", i, e.text, e.text, [], [], pinyin=e.english)
                for i, (e, person) in enumerate(zip(brief.entities, people, strict=True))
                if e.english_source == "pinyin" and (e.type in ("ORG", "PRODUCT") or person)]

    def _phrase(self, index: int, kind: Kind, ref: int, phrase: str, brief: Brief, glossary: dict[str, str]
                ) -> Segment:
        prepared = substitute(phrase, 0, [], brief.entities, by_search=True, glossary=glossary)[0]
        return Segment(index, kind, ref, phrase, prepared, allowed_numbers(brief, prepared, []), [])

    def translate(self, segments: list[Segment], *, retry: bool = False) -> None:
        """Generate (or fetch from the cache) one output per segment (`token_budget` tokens at most),
        batched per class of budget, and mark each answer that filled its budget as cut."""
        by_budget: dict[int, list[Segment]] = {}
        for seg in segments:
            by_budget.setdefault(MAX_NEW_TOKENS[seg.kind], []).append(seg)
        done = 0
        decoding = getattr(self.generator, "decoding", "")  # scripted test generators have none
        for group in by_budget.values():
            conversations = [conversation(seg, retry) for seg in group]
            budgets = [token_budget(seg) for seg in group]
            keys = [GenerationCache.key(self.generator.checksum, c, budget, decoding)
                    for c, budget in zip(conversations, budgets, strict=True)]
            cached = self.cache.get_many(keys) if self.cache else {}
            todo = [i for i, key in enumerate(keys) if key not in cached]
            step = max(1, getattr(self.generator, "batch_size", len(todo) or 1))
            for start in range(0, len(todo), step):  # in batches, so progress can be told
                if self.progress:
                    self.progress("retrying" if retry else "writing", done + start, len(segments))
                chunk = todo[start:start + step]
                outputs = self.generator.generate([conversations[i] for i in chunk], [budgets[i] for i in chunk])
                fresh = {keys[i]: out for i, out in zip(chunk, outputs, strict=True)}
                if self.cache:
                    self.cache.put_many(fresh)
                cached.update(fresh)
                self.report.generated += len(chunk)
            done += len(group)
            self.report.cached += len(group) - len(todo)
            count = getattr(self.generator, "count_tokens", None)  # scripted test generators have none
            for seg, key, budget in zip(group, keys, budgets, strict=True):  # only whole sentences can be cut
                seg.cut = seg.kind in ("title", "sentence") and count is not None and count(cached[key]) >= budget
                seg.output = clean_output(cached[key], quoted=seg.kind == "sentence" and is_quotation(seg.prepared))
                if seg.kind == "person":  # only the words the characters sound out, or none
                    seg.output = usual_english(seg.output, seg.source) or ""
        if self.progress and segments:
            self.progress("retrying" if retry else "writing", len(segments), len(segments))

    # -- Chinese the model left

    def translate_chinese_left(self, segments: list[Segment]) -> list[Segment]:
        """Chinese left after the retry: each span translated alone (as a phrase if the translator's prompt
        copies or explains it), known names filled in, put in (``repair.chinese_left``) unless its English
        has Chinese or a number the sentence lacks. Returns the segments changed, to be checked again."""
        owners = [seg for seg in segments if seg.kind in ("title", "sentence") and HAN.search(seg.output)]
        parts = [(seg, Segment(seg.brief, "sentence", seg.ref, span, span, seg.allowed, []))
                 for seg in owners for span in chinese_left(seg.output)]
        todo = [part for _, part in parts]
        for kind in ("sentence", "keyword"):
            for part in todo:
                part.kind = kind
            self.translate(todo)
            for part in todo:
                part.output = self.fill_chinese(part.output, {})
            todo = [part for part in todo if self.problems(part)]
        for seg in owners:
            seg.output = put_in(seg.output, {part.source: part.output for owner, part in parts
                                             if owner is seg and not self.problems(part)})
        return owners

    def names_for(self, brief: Brief) -> dict[str, str]:
        """Chinese forms with their English: the entities' mentions and the glossary. Pinyin names
        come with a mark (`pinyin:`) so that a dictionary reading of a longer one goes first."""
        names = self._glossary_for(brief)
        for entity in brief.entities:
            for form in {entity.text, *(m.text for m in entity.mentions)}:
                if HAN.search(form):
                    names[form] = ("pinyin:" if entity.english_source == "pinyin" else "") + entity.english
        return names

    def repaired(self, seg: Segment, names: dict[str, str], known: set[str] | None) -> str:
        """The output with what rules can mend mended: Chinese the fact sheet has English for, and a
        comparison (year on year), a qualifier (over, under) or a vague amount (tens of millions) the
        figures of its sentence state; a headline's future its Chinese does not say; a claim given to
        who only learned of the news ('36Kr has announced that' for 36氪获悉: '36Kr learned that')."""
        output = self.fill_chinese(seg.output, names, known)
        if seg.kind not in ("title", "sentence"):
            return output
        if seg.names.learned:
            output = learned_not_said(output)
        if seg.kind == "title" and any("adds 'will'" in p or "adds 'is set to'" in p for p in meaning_problems(
                SentencePair(seg.source, output, seg.names), self.resources, checks=("modality",))):
            output = headline_present(output)  # 再添三国: 'adds', not 'will add'
        if seg.kind == "title" and known is not None:
            output = sentence_case(output, known)  # 'Festival Reveals Unusual …': no names
        output = change_start_said_from(comparisons_put_back(output, seg.own_figures), seg.own_figures)
        return vague_amounts_put_back(qualifiers_put_back(output, seg.own_figures), seg.own_figures)

    def fill_chinese(self, output: str, names: dict[str, str], inserted: set[str] | None = None) -> str:
        """Chinese the model copied that the fact sheet has English for, put into English (repair);
        the words put in are added to `inserted`."""
        resources = self.resources or default_resources()
        return fill_chinese(output, names, self._terms(), lambda run: name_outside_the_fact_sheet(run, resources),
                            inserted)

    def hints_for(self, prepared: str) -> list[tuple[str, str]]:
        return rare_word_hints(prepared, self._terms()) if self.hints else []

    def _terms(self) -> TermEnglish:
        if self._term_english is None:
            self._term_english = TermEnglish(load_dictionary(), self.glossary, self.terms)
        return self._term_english

    # -- checks

    def check(self, seg: Segment, known: set[str] | None) -> list[str]:
        """Set and return `seg.problems`: what keeps its output from shipping."""
        seg.problems = self.problems(seg, known)
        return seg.problems

    def problems(self, seg: Segment, known: set[str] | None = None) -> list[str]:
        output = seg.output
        problems = []
        if seg.kind in NAME_KINDS:
            if not output or HAN.search(output) or numbers_in(output) or len(output) > 60:
                return ["unusable name"]
            if seg.kind == "person":  # verified by its sound as it was read (sounds.usual_english)
                return []
            # Verified, or pinyin stays: each word must be the name's pinyin or the English of its
            # characters (光云科技 'Guangyun Technology'), never a made-up brand ('Guesty').
            invented = unknown_names(f"named {output}", set(seg.pinyin.split()) | {seg.pinyin.replace(" ", "")}, "",
                                     self.common_words, source_vocabulary(seg.source))  # 'named': no sentence start
            invented += untraced_nationalities(output, seg.source, self.resources)  # Chinese, US: as the name writes
            return [f"name {', '.join(invented)} not verified"] if invented else []
        if not output.strip():
            return ["empty output"]
        numbers = numbers_said(output)
        seg.numbers_checked = len(numbers)
        bad = [n for n in numbers if not any(same_number(n, a) for a in seg.allowed)]
        if bad:
            problems.append("numbers " + ", ".join(f"{n:g}" for n in bad) + " match no figure of the sentence")
        if HAN.search(output):
            problems.append("untranslated Chinese")
        if seg.cut:
            problems.append("cut at the token limit")
        if echoes_instructions(output):
            problems.append("echoes the instructions instead of translating")
        if invented := invented_dates(output, seg.source, seg.prepared):
            problems.append("dates " + ", ".join(invented) + " not in the source")
        if known is not None:
            dictionary = load_dictionary()  # the English of the source's words, and ordinary English words
            names = unknown_names(output, known, seg.prepared, self.common_words,
                                  source_vocabulary(seg.source), dictionary.ordinary_words)
            seg.untraced = names
            if names:
                problems.append("names " + ", ".join(names) + " match no entity of the source")
        if seg.kind in PHRASE_KINDS:
            if len(output.split()) > MAX_PHRASE_WORDS:
                problems.append("phrase too long")
            return problems
        broken = broken_relations(output, seg.own_figures)
        if seg.kind == "title":  # a headline may leave figures out, but not turn them round
            broken = [b for b in broken if not b.endswith(LEFT_OUT)]
            problems += ["title: names who, not what happened"] if known and names_only(output, known) else []
        problems += [f"relation: {b}" for b in broken]
        problems += [f"unit: {c}" for c in changed_units(output, seg.own_figures)]
        pair = SentencePair(seg.body or seg.source, output, seg.names, seg.past_date, seg.own_figures,
                            headline=seg.kind == "title")
        return problems + meaning_problems(pair, self.resources)  # negation, direction, modality, coverage


def _weight(problems: list[str]) -> tuple[int, int]:
    """Problems that stop an output from shipping count first; a figure left out is retried for, not dropped."""
    soft = sum(1 for p in problems if p.endswith(LEFT_OUT))
    return len(problems) - soft, soft
