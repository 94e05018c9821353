"""The English of a brief, put together from its checked segments (see writer.Writer.write)."""

from __future__ import annotations

import re

from ..schema import Brief, BriefWarning, CheckTally, Faithfulness, Figure
from .prepare import NAME_KINDS, PHRASE_KINDS, Segment
from .repair import rule_title


def assemble(brief: Brief, segments: list[Segment], *, model: str, max_words: int) -> None:
    """Put a brief's checked segments in place: the title, bullets (whole sentences, the lead first,
    at most `max_words`), the fact sheet's phrases and verified names, and what was dropped and why."""
    report = Faithfulness(model=model)
    warnings: list[BriefWarning] = []
    bullets: list[str] = []
    sources: list[int] = []
    missing: dict[str, int] = {}
    words = 0
    title_figures: list[Figure] = []  # the headline's own figures, read when the writer prepared the title
    clauses: list[Segment] = []  # the headline's, each put into English alone (prepare.title_parts)
    renamed: dict[str, str] = {}  # pinyin -> a verified English name the model gave
    leads: list[str] = []  # each bullet's rule-made dateline
    for seg in segments:
        if seg.kind in ("title", "sentence"):
            tally_checks(report, seg)
            report.numbers_checked += seg.numbers_checked
            report.figure_phrases_checked += len([f for f in seg.own_figures
                                                  if f.kind not in ("date", "period")])
        if seg.status == "repaired":
            report.numbers_repaired += 1
        if seg.status == "dropped" and seg.kind in ("title", "sentence"):
            report.sentences_dropped += 1
            report.names_withheld += [n for n in seg.untraced if n not in report.names_withheld]
            if any(p.startswith("relation") for p in seg.problems):
                report.relations_broken += 1
            message = f"sentence left out: {'; '.join(seg.problems)} ({seg.source[:40]})"
            warnings.append(BriefWarning(code="writer-dropped", message=message))
        if seg.kind == "title":
            title_figures += seg.own_figures
            clauses.append(seg)
        elif seg.kind == "sentence" and seg.status != "dropped":
            length = len((seg.lead + seg.output).split())
            if len(bullets) < 5 and words + length <= max_words:
                bullets.append(seg.lead + seg.output)
                leads.append(seg.lead)  # whole sentences: one that does not fit is said
                sources.append(seg.ref)
                words += length
            else:
                warnings.append(BriefWarning(code="writer-length", message="sentence left out: the summary "
                                             f"is limited to {max_words} words ({seg.source[:40]})"))
        elif seg.kind in PHRASE_KINDS:
            english = seg.output.rstrip(".") if seg.status != "dropped" else None
            if english is None:
                missing[seg.kind] = missing.get(seg.kind, 0) + 1
            if seg.kind == "subject":
                for figure_index in (seg.ref, *seg.also):
                    brief.figures[figure_index].subject_en = english
            elif seg.kind == "role":
                brief.entities[seg.ref].role_en = english
            else:
                brief.keywords[seg.ref].english = english
        elif seg.kind in NAME_KINDS and (name := verified_name(seg, brief.entities[seg.ref].english)):
            entity = brief.entities[seg.ref]
            renamed[entity.english] = name
            entity.english, entity.english_source = name, "model"
    names = {w.casefold() for e in brief.entities for w in re.findall(r"[A-Za-z]+", e.english)}
    brief.meta.title_en, title_failed = title_from_clauses(clauses, report, warnings, names)
    if missing:
        said = ", ".join(f"{count} {kind}{'s' if count != 1 else ''}" for kind, count in missing.items())
        warnings.append(BriefWarning(code="writer-no-english", message=f"left without English ({said}): the "
                                     "dictionary does not know them and the model's English failed the checks"))
    # The English says what the fact sheet says; leads as in their bullets.
    bullets, leads = [with_names(b, renamed) for b in bullets], [with_names(lead, renamed) for lead in leads]
    if brief.meta.title_en and not title_failed:
        brief.meta.title_en = with_names(brief.meta.title_en, renamed)
    brief.summary_en, brief.summary_sources = bullets, sources
    if title_failed:
        brief.meta.title_en = rule_title(brief, leads[0] if leads else "", title_figures)
    brief.faithfulness = report
    brief.warnings += warnings
    if "writer" not in brief.stages:
        brief.stages.append("writer")


def check_name(problem: str) -> str:
    """Which check a problem is from: 'polarity: …' -> polarity, 'numbers 12 match no figure …' -> numbers."""
    head = re.match(r"[a-z]+", problem)
    return {"untranslated": "chinese", "empty": "empty", "cut": "cut"}.get(head.group(0), head.group(0)) \
        if head else "other"


def tally_checks(report: Faithfulness, seg: Segment) -> None:
    """Count, per check, the first answers it failed, those the retry mended and the outputs it dropped
    (a title rebuilt by rule counts as dropped); a figure left out alone drops nothing."""
    final = {check_name(p) for p in seg.problems if not p.endswith("left out")}
    for check in dict.fromkeys(check_name(p) for p in seg.first_problems if not p.endswith("left out")):
        tally = report.checks.setdefault(check, CheckTally())
        tally.fired += 1
        if seg.status in ("dropped", "replaced") and check in final:
            tally.dropped += 1
        elif check not in final:
            tally.repaired += 1


def verified_name(seg: Segment, pinyin: str) -> str | None:
    """The model's usual English for a name known only in `pinyin`: None where the checks dropped it or
    the model gave the pinyin back (Wanmei Shijie; Fukunbao for Fu Kunbao), so that the name stays flagged."""
    name = seg.output.rstrip(".")
    pinyin_words = {w.casefold() for w in pinyin.split()} | {"".join(pinyin.split()).casefold()}
    if seg.status == "dropped" or {w.casefold() for w in name.split()} <= pinyin_words:
        return None
    return name


def with_names(text: str, renamed: dict[str, str]) -> str:
    """`text` with each pinyin name of `renamed` replaced by its verified English, and the words of that
    English the model already wrote after the pinyin said once ('the Haiguan Customs Department' for
    海关 Customs: 'the Customs Department', not 'the Customs Customs Department')."""
    for pinyin, name in renamed.items():
        words = name.split()
        repeated = "|".join(re.escape(" ".join(words[i:])) for i in range(len(words)))  # the longest first
        text = re.sub(rf"\b{re.escape(pinyin)}\b(?:\s+(?:{repeated})\b)?", name, text)
    return text


def title_from_clauses(clauses: list[Segment], report: Faithfulness, warnings: list[BriefWarning],
                       names: frozenset[str] | set[str] = frozenset()) -> tuple[str | None, bool]:
    """The English title, the headline's clauses joined ('…; …', '…: …'), and whether it must be rebuilt
    by rule: a clause that failed its checks is left out, unless it is the headline's main one (the
    longest) or the only one, which fails the title."""
    if not clauses:
        return None, False
    main = max(clauses, key=lambda seg: len(seg.source))
    failed = [seg for seg in clauses if seg.status == "replaced"]
    if main.status == "replaced":
        report.sentences_replaced += 1
        problems = "; ".join(p for seg in failed for p in seg.problems)
        warnings.append(BriefWarning(code="writer-title", message="title rebuilt from rules: the model's "
                                     f"English failed the checks ({problems})"))
        return None, True
    for seg in failed:
        warnings.append(BriefWarning(code="writer-title", message=f"title clause left out: {'; '.join(seg.problems)} "
                                     f"({seg.source[:40]})"))
    kept = [seg for seg in clauses if seg.status != "replaced"]
    title = ""
    for position, seg in enumerate(kept):
        english = re.sub(r"\.$", "", seg.output.strip())
        if position and seg.lead == "; ":  # a clause inside a sentence: 'the digital shift', not 'The'
            english = _lower_opening(english, names)
        title += (seg.lead if position else "") + english
    return title[:1].upper() + title[1:], False


def _lower_opening(english: str, names: set[str] | frozenset[str]) -> str:
    """A clause's first word in lower case after a semicolon ('the digital shift', 'localizing hiring'),
    unless it is a word of one of the article's names (`names`, lower case) or no ordinary English word."""
    from ..dictionary import load_dictionary

    first = re.match(r"[A-Z][a-z]+(?=[\s,])", english)
    if not first or (word := first.group(0).lower()) in names:
        return english
    stems = {word, word.removesuffix("s"), word.removesuffix("ed"), word.removesuffix("ing"),
             word.removesuffix("ing") + "e"}  # localizing: localize
    return word + english[first.end():] if stems & load_dictionary().ordinary_words else english
