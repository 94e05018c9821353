"""`newsbrief eval figures|entities|ner|mt`: measuring against gold files and public test sets."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from ..errors import NewsbriefError
from ..files import write_atomic
from ..output.terminal import make_console
from .app import eval_app
from .common import ModelOption, err, fail


def _print_report(report, show_errors: bool) -> None:
    from ..output import report_table

    console = make_console()
    console.print(report_table(report))
    if show_errors:
        for title, items in (("missed", report.missed), ("spurious", report.spurious)):
            for item in items:
                console.print(f"{title}: {item}", markup=False)


def _print_spurious(breakdown, top: int = 8) -> None:  # breakdown: pipeline.eval.ner.SpuriousBreakdown
    unscored, unlabelled = breakdown.on_unscored, breakdown.unlabelled
    by_type = ", ".join(f"{label} {n}" for label, n in unscored.most_common())
    common = ", ".join(f"{surface} {n}" for surface, n in unlabelled.most_common(top))
    console = make_console()
    for line in (f"spurious spans: {unscored.total() + breakdown.against_gold + unlabelled.total()}",
                 f"  on entities of types not scored: {unscored.total()}" + (f" ({by_type})" if by_type else ""),
                 f"  overlapping a gold span (other bounds or type): {breakdown.against_gold}",
                 f"  on text with no annotation: {unlabelled.total()}"
                 + (f" (most often: {common})" if common else "")):
        console.print(line, markup=False)


def _eval_gold(gold_files: list[Path], errors: bool, *scorer_names: str) -> list:
    from ..eval import gold
    from ..nlp import Pipeline

    try:
        nlp = Pipeline()
        golds = [gold.load_gold(path) for path in gold_files]
        pairs = [(nlp.brief_file(g.article), g.data) for g in golds]
    except NewsbriefError as exc:
        raise fail(str(exc)) from None
    for scorer_name in scorer_names:
        _print_report(getattr(gold, scorer_name)(pairs), errors and scorer_name == scorer_names[0])
    return pairs


GoldFiles = Annotated[list[Path], typer.Argument(help="Gold JSON files (format of ../shared/gold/).")]
ShowErrors = Annotated[bool, typer.Option("--errors", help="List what was missed and what is spurious.")]


@eval_app.command("figures")
def eval_figures(
    gold_files: Annotated[list[Path] | None, typer.Argument(help="Gold JSON files (format of ../shared/gold/).")]
    = None,
    errors: ShowErrors = False,
    cases: Annotated[Path | None, typer.Option(
        "--cases", help="A file of figure wordings (format of tests/cases/figures.txt): rates per family of "
                        "right, flagged, missed and wrong.")] = None,
    subjects: Annotated[Path | None, typer.Option(
        "--subjects", help="A file of figures and what they measure (format of tests/cases/subjects.txt): how many "
                           "subjects are right, and put into English.")] = None,
) -> None:
    """Precision, recall and F1 of figure extraction, per kind, then per family (signs, Chinese numerals,
    cumulative periods, Traditional script, other currencies); with --cases, each wording case judged."""
    if not gold_files and cases is None and subjects is None:
        raise fail("give gold files, --cases FILE or --subjects FILE")
    if gold_files:
        _eval_gold(gold_files, errors, "score_figures", "score_figure_families")
    if cases is not None:
        from ..eval.cases import describe_failure, load_cases, score_cases
        from ..output import case_table

        try:
            report = score_cases(load_cases(cases))
        except NewsbriefError as exc:
            raise fail(str(exc)) from None
        console = make_console()
        console.print(case_table(report))
        if errors:
            for failure in report.failures:
                console.print(describe_failure(*failure), markup=False)
    if subjects is not None:
        _eval_subjects(subjects, errors)


def _eval_subjects(path: Path, errors: bool) -> None:
    from ..eval.cases import load_subject_cases, score_subjects

    try:
        report = score_subjects(load_subject_cases(path))
    except NewsbriefError as exc:
        raise fail(str(exc)) from None
    console = make_console()
    total = report.cases or 1
    console.print(f"subjects right: {report.right} of {report.cases} ({100 * report.right / total:.1f}%), "
                  f"of which in English: {report.english}; wrong: {len(report.wrong)}; "
                  f"figure not found: {len(report.missed_figure)}", markup=False)
    if errors:
        for case, subject, english in report.wrong:
            console.print(f"wrong: line {case.line} {case.span}: expected {'/'.join(case.subjects) or '-'}, "
                          f"got {subject or '-'} ({english or 'no English'})", markup=False)
        for case in report.missed_figure:
            console.print(f"no figure: line {case.line} {case.span}", markup=False)


@eval_app.command("entities")
def eval_entities(gold_files: GoldFiles, errors: ShowErrors = False) -> None:
    """Precision, recall and F1 of entities (type and English name must agree), per type; and how many
    entities' English is pinyin (flagged: no dictionary, gazetteer or rule gave English)."""
    pairs = _eval_gold(gold_files, errors, "score_entities")
    entities = [e for brief, _ in pairs for e in brief.entities]
    pinyin = [e for e in entities if e.english_source == "pinyin"]
    make_console().print(f"English in pinyin: {len(pinyin)} of {len(entities)} entities "
                         f"({100 * len(pinyin) / max(1, len(entities)):.1f}%)", markup=False)
    if errors:
        for entity in pinyin:
            make_console().print(f"pinyin: {entity.text} ({entity.type}) -> {entity.english}", markup=False)


@eval_app.command("ner")
def eval_ner(
    test_file: Annotated[Path, typer.Argument(help="Char-level BIO file (MSRA format: char TAB tag), or CLUENER "
                                                   "JSON lines (.jsonl; name, company, organization, government, "
                                                   "address scored as PER/ORG/LOC).")],
    limit: Annotated[int | None, typer.Option(help="Only the first N sentences.")] = None,
    errors: Annotated[bool, typer.Option("--errors", help="List some missed and spurious spans, and where the "
                                                          "spurious ones lie.")] = False,
    head: Annotated[list[str] | None, typer.Option(
        "--head", help="Recogniser head(s) to run: msra, cluener (repeat for both; default: the stage's).")] = None,
    recogniser_only: Annotated[bool, typer.Option(
        "--recogniser-only", help="Only the trained recogniser, without gazetteer, rules and tags.")] = False,
    raw: Annotated[bool, typer.Option(
        "--raw", help="The recogniser's spans as the model decodes them, before the stage's evidence checks "
                      "(script, dictionary glosses, surnames) type or drop them.")] = False,
    recogniser_model: Annotated[Path | None, typer.Option(
        "--recogniser-model", help="Another trained recogniser (.npz from scripts/train_ner.py).")] = None,
) -> None:
    """Span-level P/R/F1 of the entity stage on a general-news NER test set (PER/LOC/ORG), per type,
    and the confusion between types."""
    from rich.progress import Progress

    from ..components import EntitiesConfig
    from ..entities import EntityExtractor
    from ..eval.ner import entity_spans, model_spans, read_test_set, score_ner, spurious_breakdown
    from ..output import confusion_table
    from ..resources import default_resources

    for path in (test_file, recogniser_model):
        if path is not None and not path.exists():
            raise fail(f"{path}: no such file")
        if path is not None and path.is_dir():
            raise fail(f"{path}: a folder, not a file")
    try:
        config = EntitiesConfig(**({"recogniser_heads": tuple(head)} if head else {}),
                                **({"recogniser_model": str(recogniser_model)} if recogniser_model else {}),
                                **({"sources": ("newsbrief_recogniser",)} if recogniser_only else {}))
    except ValueError as exc:
        raise fail(f"--head {' '.join(head or [])}: expected msra or cluener ({exc.errors()[0]['msg']})") from None
    try:
        sentences, unscored = (found[:limit] for found in read_test_set(test_file))
    except NewsbriefError as exc:
        raise fail(str(exc)) from None
    resources = default_resources()
    if raw:
        from ..entities.recogniser import load_recogniser
        from ..settings import packaged_recogniser

        model = load_recogniser(Path(config.recogniser_model) if config.recogniser_model else packaged_recogniser())
        heads = tuple(config.recogniser_heads)

        def tag(sentence: str) -> list[tuple[int, int, str]]:
            return model_spans(sentence, model, heads, resources)
    else:
        extractor = EntityExtractor(resources, tuple(config.sources), recogniser={
            "heads": ",".join(config.recogniser_heads), "model_path": config.recogniser_model})

        def tag(sentence: str) -> list[tuple[int, int, str]]:
            return entity_spans(extractor(sentence))
    predicted = []
    with Progress(console=err, transient=True) as progress:
        task = progress.add_task("tagging", total=len(sentences))
        for sentence, _ in sentences:
            predicted.append(tag(sentence))
            progress.advance(task)
    report = score_ner(sentences, predicted)
    report.title = f"NER (span level): {test_file.name}, heads {', '.join(config.recogniser_heads)}" + (
        ", the model's own spans" if raw else ", recogniser only" if recogniser_only else "")
    _print_report(report, errors)
    make_console().print(confusion_table(report))
    if errors:
        _print_spurious(spurious_breakdown(sentences, predicted, unscored))


@eval_app.command("mt")
def eval_mt(
    source: Annotated[Path, typer.Argument(help="Chinese sentences, one per line.")],
    reference: Annotated[Path, typer.Argument(help="English references, one per line.")],
    limit: Annotated[int, typer.Option(help="Only the first N sentences.")] = 200,
    model: ModelOption = None,
    substitute: Annotated[bool, typer.Option(help="Replace figures and entity names by their English first.")] = True,
    batch_size: Annotated[int, typer.Option(help="Sentences per generation batch.")] = 8,
    hints: Annotated[bool, typer.Option(help="Give the prompt rare words' dictionary English (CC-CEDICT).")] = False,
    save: Annotated[Path | None, typer.Option(help="Write the translations to this file.")] = None,
) -> None:
    """Translate N sentences with the writer's translation path; chrF, BLEU, speed, numbers kept."""
    from ..eval.mt import translate_sentences

    for path in (source, reference):
        if not path.is_file():
            raise fail(f"{path}: no such file")
    sources = source.read_text(encoding="utf-8").splitlines()[:limit]
    references = reference.read_text(encoding="utf-8").splitlines()[:limit]
    if len(sources) != len(references):
        raise fail(f"{source} and {reference} have different numbers of lines")
    try:
        result = translate_sentences(sources, references, model=model, substitute=substitute,
                                     batch_size=batch_size, hints=hints)
    except NewsbriefError as exc:
        raise fail(str(exc)) from None
    table = Table(title=f"Translation of {len(sources)} sentences ({result.model}"
                        + (", with word hints)" if hints else ")"), title_justify="left")
    for column in ("chrF", "BLEU", "s/sentence", "numbers all kept", "Chinese left", "shipped"):
        table.add_column(column, justify="right")
    table.add_row(f"{result.chrf:.1f}", f"{result.bleu:.1f}", f"{result.seconds_per_sentence:.2f}",
                  f"{result.numbers_kept:.1%}", f"{result.chinese_left}", f"{result.shipped:.1%}")
    make_console().print(table)
    if save:
        write_atomic(save, "\n".join(result.hypotheses) + "\n")


@eval_app.command("english")
def eval_english(
    files: Annotated[list[Path], typer.Argument(help="Article files to brief with the model.", show_default=False)],
    model: ModelOption = None,
    fresh: Annotated[bool, typer.Option("--fresh", help="Generate afresh instead of reusing cached English.")]
    = False,
    errors: Annotated[bool, typer.Option("--errors", help="List every finding, not only the counts.")] = False,
) -> None:
    """Brief the files with the model and check the English a reader gets, per article: Chinese
    characters in English fields, names without a source, bullet numbers that are not figures of
    their own sentence, figure relations turned round, figure subjects in English, sentences
    dropped, seconds; and totals."""
    import time

    from ..api import brief_path
    from ..eval.english import check_english
    from ..nlp import Pipeline
    from ..writer import default_writer

    try:
        with err.status("loading the model and the pipeline"):
            writer = default_writer(model, use_cache=not fresh)
            nlp = Pipeline()
        checks = []
        for path in files:
            with err.status(f"briefing {path.name}"):
                started = time.perf_counter()
                brief = brief_path(path, nlp)[0]
                writer.write([brief])
                checks.append(check_english(path.name, brief, writer.common_words, time.perf_counter() - started,
                                            writer.glossary))
    except NewsbriefError as exc:
        raise fail(str(exc)) from None
    # Chinese characters in English fields; names without a source; bullet numbers not of their own
    # sentence (of all); figure relations turned round; subjects in English; sentences dropped; titles rebuilt.
    columns = ("article", "Chinese", "names", "numbers", "relations", "subjects", "dropped", "rebuilt", "s")
    table = Table(title=f"English of {len(checks)} article{'s' if len(checks) != 1 else ''} "
                        f"({writer.generator.label})", title_justify="left")
    for column in columns:
        table.add_column(column, justify="left" if column == "article" else "right", overflow="fold",
                         min_width=12 if column == "article" else None)
    for c in checks:
        table.add_row(c.name, str(c.chinese_chars), str(len(c.untraceable_names)),
                      f"{len(c.numbers_untraceable)}/{c.bullet_numbers}", str(len(c.relations_broken)),
                      f"{c.subjects_en}/{c.subjects}", str(c.sentences_dropped), str(c.titles_rebuilt),
                      f"{c.seconds:.1f}")
    subjects, subjects_en = sum(c.subjects for c in checks), sum(c.subjects_en for c in checks)
    table.add_row("total", str(sum(c.chinese_chars for c in checks)),
                  str(sum(len(c.untraceable_names) for c in checks)),
                  f"{sum(len(c.numbers_untraceable) for c in checks)}/{sum(c.bullet_numbers for c in checks)}",
                  str(sum(len(c.relations_broken) for c in checks)),
                  f"{subjects_en}/{subjects} ({subjects_en / max(1, subjects):.0%})",
                  str(sum(c.sentences_dropped for c in checks)), str(sum(c.titles_rebuilt for c in checks)),
                  f"{sum(c.seconds for c in checks):.1f}", style="bold")
    console = make_console()
    console.print(table)
    console.print(checks_table(checks))
    console.print("Chinese: Chinese characters in English fields; names: names in the title and bullets that trace "
                  "to no entity or word of the source; numbers: bullet numbers that are no figure of their own "
                  "sentence (of all); relations: figures turned round; subjects: figures with an English subject "
                  "(of those with a subject); dropped/rebuilt: sentences left out, titles rebuilt from rules.",
                  style="newsbrief.muted", markup=False)
    if errors:
        for c in checks:
            for kind, items in (("Chinese", c.chinese_fields), ("name", c.untraceable_names),
                                ("number", c.numbers_untraceable), ("relation", c.relations_broken)):
                for item in items:
                    console.print(f"{c.name}: {kind}: {item}", markup=False)


def checks_table(checks) -> Table:  # checks: list[pipeline.eval.english.EnglishCheck]
    """How often each of the writer's checks fired on a first answer, was mended by the retry, and dropped
    an output (a title rebuilt by rule counts as dropped), over every article."""
    totals: dict[str, list[int]] = {}
    for c in checks:
        for name, tally in c.checks.items():
            counts = totals.setdefault(name, [0, 0, 0])
            counts[0], counts[1], counts[2] = counts[0] + tally.fired, counts[1] + tally.repaired, \
                counts[2] + tally.dropped
    table = Table(title="The writer's checks on titles and sentences", title_justify="left")
    for column in ("check", "fired", "repaired by the retry", "dropped"):
        table.add_column(column, justify="left" if column == "check" else "right")
    for name, (fired, repaired, dropped) in sorted(totals.items(), key=lambda item: -item[1][0]):
        table.add_row(name, str(fired), str(repaired), str(dropped))
    if not totals:
        table.add_row("none fired", "0", "0", "0")
    return table


@eval_app.command("meaning")
def eval_meaning(
    source: Annotated[Path, typer.Argument(help="Chinese sentences, one per line.")],
    reference: Annotated[Path, typer.Argument(help="Their correct English (human references), one per line.")],
    limit: Annotated[int | None, typer.Option(help="Only the first N pairs.")] = None,
    start: Annotated[int, typer.Option(help="Begin at this line (1-based).")] = 1,
    errors: Annotated[bool, typer.Option("--errors", help="List every pair a check flags.")] = False,
) -> None:
    """False alarms of the writer's meaning checks (polarity, direction, modality, coverage, attribution,
    qualifier): the share of correct pairs, a source and its human reference, that each check flags (no model
    needed)."""
    from ..eval.meaning import false_alarms

    for path in (source, reference):
        if not path.is_file():
            raise fail(f"{path}: no such file")
    sources = source.read_text(encoding="utf-8").splitlines()
    references = reference.read_text(encoding="utf-8").splitlines()
    if len(sources) != len(references):
        raise fail(f"{source} and {reference} have different numbers of lines")
    end = None if limit is None else start - 1 + limit
    sources, references = sources[start - 1:end], references[start - 1:end]
    try:
        with err.status(f"checking {len(sources)} pairs"):
            alarms = false_alarms(sources, references, first_line=start)
    except NewsbriefError as exc:
        raise fail(str(exc)) from None
    table = Table(title=f"False alarms of the meaning checks on {len(sources)} correct pairs ({source.name}, lines "
                        f"{start}-{start + len(sources) - 1})", title_justify="left")
    for column in ("check", "pairs flagged", "share"):
        table.add_column(column, justify="left" if column == "check" else "right")
    for alarm in alarms:
        table.add_row(alarm.check, f"{len(alarm.flagged)} of {alarm.pairs}", f"{alarm.share:.1%}")
    console = make_console()
    console.print(table)
    if errors:
        for alarm in alarms:
            for line, problem in alarm.flagged:
                console.print(f"line {line}: {problem}", markup=False)
