"""Translation quality of the writer's sentence path: chrF, BLEU, speed, numbers kept."""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import NewsbriefError


def require_sacrebleu():
    """sacrebleu is the eval extra: a one-line error naming it when it is missing."""
    try:
        import sacrebleu
    except ImportError:
        raise NewsbriefError("translation scores need the eval extra: pip install 'newsbrief[eval]'") from None
    return sacrebleu


@dataclass
class TranslationResult:
    model: str
    hypotheses: list[str]
    chrf: float
    bleu: float
    seconds_per_sentence: float
    numbers_kept: float  # share of sentences whose numbers all match a figure of the source
    chinese_left: int
    shipped: float = 1.0  # share of sentences whose English passes every check (a brief would ship it)


def translate_sentences(sources: list[str], references: list[str], *, model: str | None = None,
                        substitute: bool = True, batch_size: int = 8, hints: bool = False,
                        writer=None) -> TranslationResult:
    """The writer's sentence path on bare sentences: figures (and entity names) are replaced by
    their English before translation, and the output numbers are checked against the figures; a name
    known only in pinyin is then said as the model's usual English where that is verified, as in a brief."""
    import time

    sacrebleu = require_sacrebleu()
    from ..ingest import Article
    from ..nlp import Pipeline
    from ..resources import default_resources
    from ..writer import default_writer
    from ..writer.assemble import verified_name, with_names
    from ..writer.prepare import sentence_segment

    # A measurement: generate afresh, never from the cache of earlier runs.
    writer = writer or default_writer(model, batch_size=batch_size, use_cache=False, hints=hints)
    nlp = Pipeline(["segment", "entities", "figures"])
    segments, names, name_segments, briefs = [], [], [], []
    for i, sentence in enumerate(sources):
        # A one-sentence article with no publish date: dates without a year stay without one.
        brief = nlp(Article(text=sentence, title="", paragraphs=[(0, len(sentence))]))
        seg = sentence_segment(i, 0, sentence, 0, brief.figures, brief, writer.glossary,
                               writer.resources or default_resources(), substituted=substitute)
        seg.hints = writer.hints_for(seg.prepared)
        segments.append(seg)
        names.append(writer.names_for(brief))
        name_segments += writer.name_segments(i, brief) if substitute else []
        briefs.append(brief)
    started = time.perf_counter()
    writer.translate(segments + name_segments)  # and names known only in pinyin, as the writer asks for them
    for seg in segments:  # what rules mend is mended, as the writer does (Chinese the fact sheet knows)
        seg.output = writer.repaired(seg, names[seg.brief], None)
    failing = [s for s in segments if writer.check(s, None)]  # numbers and Chinese: no entities to trace names to
    writer.retry(failing, names)  # the writer's retry with notes, keeping the better of the two attempts
    writer.translate_chinese_left(failing)  # what is still Chinese, span by span
    seconds = time.perf_counter() - started
    problems = [writer.problems(s) for s in segments]
    renamed: list[dict[str, str]] = [{} for _ in sources]  # the model's verified English for pinyin names
    for seg in name_segments:
        pinyin = briefs[seg.brief].entities[seg.ref].english
        if not writer.problems(seg) and (name := verified_name(seg, pinyin)):
            renamed[seg.brief][pinyin] = name
    hypotheses = [s.lead + with_names(s.output, renamed[s.brief]) for s in segments]
    return TranslationResult(
        model=writer.generator.label,
        hypotheses=hypotheses,
        chrf=sacrebleu.corpus_chrf(hypotheses, [references]).score,
        bleu=sacrebleu.corpus_bleu(hypotheses, [references]).score,
        seconds_per_sentence=seconds / max(1, len(sources)),
        numbers_kept=sum(1 for p in problems if not any(x.startswith("numbers") for x in p)) / max(1, len(sources)),
        chinese_left=sum(1 for p in problems if "untranslated Chinese" in p),
        shipped=sum(1 for p in problems if all(x.endswith("left out") for x in p)) / max(1, len(sources)),
    )
