"""Repairs: Chinese the model copied into its English put into English (from the fact sheet, or
translated span by span), and the rule title that replaces a model title that failed."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from ..figures import COMPARISON_ENGLISH, core_english
from ..figures.vocabulary import APPROX_ENGLISH, CURRENCY_ENGLISH, CURRENCY_SYMBOLS
from ..numbers import SCALE_WORDS
from ..resources import Resources
from ..schema import Brief, Figure
from ..terms import TermEnglish
from .checks import BY_BEFORE, COMPARED, HAN, latin_words, number_places, numbers_in, same_number
from .prepare import char_pairs, spaced

# What belongs to a number before a comparison can follow it: its unit, and a noun of change.
_NUMBER_TAIL = re.compile(r"(?:\s?(?:%|per ?cent\b|percentage points?\b|points?\b|times\b|-?fold\b))?"
                          r"(?:\s(?:increase|rise|growth|gain|jump|decline|drop|fall|decrease|reduction)s?\b)?", re.I)
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
        return spaced(output, match.start(), match.end(), found)

    return " ".join(_CHINESE_RUN.sub(english, output).split())


def _said_once(output: str, figure: Figure) -> tuple[int, int] | None:
    """Where the English says the figure's number, when it says it exactly once: a rule may then
    mend what stands around it."""
    wanted = numbers_in(core_english(figure))
    places = number_places(output, wanted[0]) if wanted else []
    return places[0] if len(places) == 1 else None


def comparisons_put_back(output: str, figures: list[Figure]) -> str:
    """A figure its source compares year on year (quarter on quarter, month on month) whose English
    lost the comparison gets it back, right after the figure: 'rose 11% to 985,000' -> 'rose 11% year
    on year to 985,000', 'an 11% rise' -> 'an 11% rise year on year'. Only where nothing in the English
    compares so and the figure's number is said once; the checks run on the result. A retry (seconds
    of decoding) often lost the comparison again (the seed's dropped sentence)."""
    inserts = set()
    for figure in figures:
        words = COMPARISON_ENGLISH.get(figure.comparison or "")
        if not words or COMPARED[figure.comparison].search(output):
            continue
        if place := _said_once(output, figure):
            inserts.add((_NUMBER_TAIL.match(output, place[1]).end(), f" {words}"))
    for at, words in sorted(inserts, reverse=True):
        output = output[:at] + words + output[at:]
    return output


# How English says each qualifier a figure can have (不到30% is under 30%, 多达42% up to 42%), and the
# vaguer words a model puts in their place ('approximately 30%' for 不到30%).
_QUALIFIER_SAID = {
    "over": r"over|more than|above|exceed\w*|in excess of|upwards of|at least|beyond",
    "under": r"under|less than|below|fewer than|short of|nearly|almost|just under",
    "nearly": r"nearly|almost|close to|approach\w*|just under|about|around|approximately|roughly|near",
    "at_least": r"at least|no less than|no fewer than|over|more than|a minimum of",
    "up_to": r"up to|as (?:much|many|high|large) as|at most|no more than|a maximum of|a high of",
}
_ANY_QUALIFIER = re.compile(r"\b(?:" + "|".join(_QUALIFIER_SAID.values()) + r"|about|around|approximately|roughly"
                            r"|some|an estimated)\s+$", re.I)
# What may stand between a qualifier and the number: a currency ('over US$3 million', 'under RMB 5 million').
_CURRENCY_SIGN = "(?:" + "|".join(re.escape(sign.strip()) for sign in sorted(
    {*CURRENCY_ENGLISH.values(), *CURRENCY_SYMBOLS}, key=len, reverse=True)) + r"|[A-Z]{3})"
_CURRENCY_BEFORE = re.compile(_CURRENCY_SIGN + r"\s?$")
_MORE_AFTER = re.compile(r"\+|\s(?:or more|plus)\b")


def change_start_said_from(output: str, figures: list[Figure]) -> str:
    """A change whose start the English says as its size, with its end after it: 'reduced profit by
    US$380 million compared to the previous year, to US$270 million' -> 'from US$380 million' (从3.8亿
    美元缩减至2.7亿美元). Only where each end is said once; the relations check reads the result."""
    for figure in figures:
        change = figure.change
        if not change or change.from_value is None or change.to_value is None \
                or not same_number(float(figure.value), change.from_value):  # type: ignore[arg-type]
            continue
        start, ends = _said_once(output, figure), number_places(output, change.to_value)
        if start is None or len(ends) != 1 or ends[0][0] < start[1]:
            continue
        by = BY_BEFORE.search(output, max(0, start[0] - 12), start[0])
        if by:
            output = output[:by.start()] + "from" + output[by.start() + 2:]
    return output


# Qualifiers that only qualify a number, which the model adds where the source has none ('nearly US$5
# million' for 500万美元); not 'over' or 'exceeding', which also say 'during' and 'to pass'.
_ADDED_QUALIFIER = re.compile(r"\b(?:nearly|almost|about|approximately|roughly|around|more than|less than|"
                              r"fewer than|close to|at least|at most|up to)\s+$", re.I)


def qualifiers_put_back(output: str, figures: list[Figure]) -> str:
    """A figure its source qualifies (超过, 不到, 近, 至少, 最高) whose English lost the qualifier, or says
    another ('approximately 30%' for 不到30%), gets the fact sheet's, right before the figure: 'the
    remaining approximately 30%' -> 'the remaining under 30%'; a qualifier the source does not give is
    taken out: 'a nearly US$5 million round' -> 'a US$5 million round' for 500万美元. Only where the
    figure's number is said once. 约 (about) is left alone: a number without it is no different claim."""
    edits: list[tuple[int, int, str]] = []
    for figure in figures:
        said = _QUALIFIER_SAID.get(figure.approx or "")
        plain = not figure.approx and figure.kind in ("money", "percent", "count") and figure.low is None
        place = _said_once(output, figure) if said or plain else None
        if place is None:
            continue
        start, end = place
        currency = _CURRENCY_BEFORE.search(output, 0, start)
        lead = currency.start() if currency else start
        if plain:
            if added := _ADDED_QUALIFIER.search(output[max(0, lead - 40):lead]):
                edits.append((lead - len(added.group(0)), lead, ""))
            continue
        before = _ANY_QUALIFIER.search(output[max(0, lead - 40):lead])
        if before and re.fullmatch(rf"(?:{said})\s+", before.group(0), re.I):
            continue
        if figure.approx == "over" and _MORE_AFTER.match(output, end):
            continue  # '500+ species', '30 or more'
        qualifier = APPROX_ENGLISH[figure.approx or ""]
        edits.append((lead - len(before.group(0)) if before else lead, lead, qualifier))
    for begin, end, qualifier in sorted(edits, reverse=True):
        output = output[:begin] + qualifier + output[end:]
    return output


# A vague amount (数千万元: 'tens of millions of yuan') said as one round number of its lower bound: 'a
# ten million yuan round', '10 million yuan'. The lower bound's multiple of its scale, in words or digits.
_ROUND_MULTIPLE = {1: "(?i:a|one|1)", 10: "(?i:ten|10)", 100: "(?i:a hundred|one hundred|100)"}


def vague_amounts_put_back(output: str, figures: list[Figure]) -> str:
    """A figure the source gives only as an order of magnitude (数千万元, 上千万用户) that the English says as
    one round number ('has received a ten million yuan angel round') gets the fact sheet's words back:
    'has received tens of millions of yuan angel round'. Only where that number is said once. The
    numbers check allows a range's bounds, so the collapsed number would otherwise ship."""
    for figure in figures:
        vague = core_english(figure)
        if figure.value is not None or not figure.low or figure.high != figure.low * 10 or vague in output:
            continue
        scale, word = next(((size, name) for size, name in SCALE_WORDS if figure.low >= size), (0, ""))
        multiple = _ROUND_MULTIPLE.get(round(figure.low / scale)) if scale else None
        if multiple is None:
            continue
        number = rf"{multiple}[\s-]{word}s?\b"
        unit = vague.split(" of ")[-1] if vague.count(" of ") > 1 else ""  # 'yuan', 'users'
        # The number with its unit ('ten million yuan', 'RMB 10 million'), never bare: another figure
        # may share it ('ten million more').
        article, sign = r"(?:\b(?i:an?)\s+)?", rf"(?<![A-Za-z]){_CURRENCY_SIGN}\s?"
        said = list(re.finditer(rf"{article}(?:{sign})?\b{number}[\s-](?:of\s+)?{re.escape(unit)}\b",
                                output)) if unit else []
        if not said and figure.kind == "money":
            said = list(re.finditer(rf"{article}{sign}{number}", output))
        # 'over ten million users' (上千万) may be what the source means: the numbers check decides.
        if len(said) == 1 and not _ANY_QUALIFIER.search(output[max(0, said[0].start() - 40):said[0].start()]):
            start = said[0].start()
            output = output[:start] + (vague[0].upper() + vague[1:] if start == 0 else vague) + output[said[0].end():]
    return output


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


# Chinese left in an output: from a Chinese character to the last one before any Latin letter,
# with the brackets and quotes around it (`the热血竞技秀《运动吧少年》 officially` -> one span).
_LEFT_SPAN = re.compile(r"[《“「『]?[\u4e00-\u9fff](?:[^A-Za-z]*[\u4e00-\u9fff])?[》”」』]?[。！？]?")
# Chinese punctuation around a span put into English.
_PUNCTUATION = str.maketrans({"，": ", ", "。": ". ", "；": "; ", "：": ": ", "！": "! ", "？": "? ", "（": " (",
                              "）": ") ", "、": ", ", "“": '"', "”": '"', "《": '"', "》": '"'})


def chinese_left(output: str) -> list[str]:
    """The spans of Chinese an output still has after the retry and :func:`fill_chinese`, each to be
    translated on its own (the model copies a span it skipped inside a sentence, or a whole
    sentence after an English dateline, `China News Service 26 July 电 据外媒报道，…`)."""
    return list(dict.fromkeys(m.group(0).strip() for m in _LEFT_SPAN.finditer(output)))


def put_in(output: str, english: dict[str, str]) -> str:
    """`output` with each span of :func:`chinese_left` that has an English replaced by it, spaced from
    letters and digits, and the Chinese punctuation around made English."""
    for span, words in english.items():
        start = output.find(span)
        if start < 0 or not words:
            continue
        end = start + len(span)
        if end < len(output) and span[-1] not in "。！？":  # a clause inside the sentence: no full stop of its own
            words = words.rstrip(".")
        output = output[:start] + spaced(output, start, end, words) + output[end:]
    output = " ".join(output.translate(_PUNCTUATION).split())
    return re.sub(r" ([,.;:!?)])", r"\1", output)


def _ends_in(subject: str, title: str) -> bool:
    """Whether the headline names what a subject measures: its last two or more characters (公司净亏损: 净亏损)."""
    return any(subject[-k:] in title for k in range(2, len(subject) + 1))


def rule_title(brief: Brief, lead: str = "", title_figures: Sequence[Figure] = ()) -> str:
    """A title from checked English: the lead bullet when it is short enough for a headline, else the
    entity the headline names with the headline's figure (or the lead sentence's), both already in
    English, else the first bullet; never a figure from elsewhere in the article, which would headline
    a side story (a film festival's brief titled with a count of coronavirus cases).
    `lead`: the rule-made dateline the lead bullet opens with (``Segment.lead``), which a headline
    leaves out; `title_figures`: the headline's own figures (the title segment's). Where the headline
    names no organisation or person with a figure, a key fact about what it names (stated by rule, no
    model) comes before the first bullet."""
    first = min((s for s in brief.sentences if len(s.text) >= 12), key=lambda s: s.index, default=None)
    if brief.summary_en and brief.summary_sources and first and brief.summary_sources[0] == first.index \
            and len(brief.summary_en[0].split()) <= 25:
        return brief.summary_en[0].removeprefix(lead).rstrip(".")
    title = brief.meta.title or ""
    # Who the news is about: the organisation or person the headline names first, else any entity it
    # names (the most salient entity of the article may be an investor, a reporter or a place; 客优云
    # comes before its investor 「光云科技」 in its headline).
    at = {id(e): min((title.find(m.text) for m in e.mentions if m.text in title), default=-1)
          for e in brief.entities}
    named = sorted((e for e in brief.entities if at[id(e)] >= 0), key=lambda e: at[id(e)])
    entity = ([e for e in named if e.type in ("ORG", "PERSON")] or named or [None])[0]
    figures = [f for f in brief.figures if f.kind not in ("date", "period")]
    # The headline's own figures (500万美元, where the lead says 近500万美元), with the fact sheet's
    # subject where the body states the same figure.
    said = [f for f in title_figures if f.kind not in ("date", "period")]
    headline = [next((b for b in figures if (b.text, b.value, b.approx) == (f.text, f.value, f.approx)), f)
                for f in said] or [f for f in figures if first and first.start <= f.start < first.end]
    parts = [entity.english] if entity else []
    if headline:
        top = headline[0] if said else max(headline, key=lambda f: f.salience)  # a headline's first figure
        what = top.subject_en or ""
        if entity and entity.english in what:
            what = ""  # 'Ke Youyun: tens of millions of yuan', not the name twice
        parts.append(f"{what} {top.english}".strip())
    if entity and headline:
        return ": ".join(parts)
    # A key fact about what the headline names (净亏损 in 第二季度净亏损收窄): stated by rule, checked parts only.
    fact = next((f.text for f in brief.key_facts if f.kind == "figure" and any(
        _ends_in(brief.figures[i].subject or "", title) for i in f.figures)), None)
    if fact:
        return fact
    # The checked bullet short enough for a headline that best repeats the headline's words.
    pairs = char_pairs(title)
    short = [(len(pairs & char_pairs(brief.sentences[index].text)), -position, bullet)
             for position, (bullet, index) in enumerate(zip(brief.summary_en, brief.summary_sources, strict=False))
             if len(bullet.split()) <= 30 and index < len(brief.sentences)]
    if short:
        _, position, bullet = max(short)
        return bullet.removeprefix(lead if position == 0 else "").rstrip(".")
    return parts[0] if parts else "Untitled article"  # a bare name only where nothing says what happened


# A headline's news said as future ('TikTok Shop will add three countries' for TikTok小店再添三国): headline
# English states it in the present. Only verbs of business news, whose third person is regular.
_HEADLINE_FUTURE = re.compile(r"\b(?:will|is set to|is going to)\s+(add|launch|open|close|cut|raise|acquire|buy|sell|"
                              r"enter|exit|expand|list|hire|join|sign|win|lose|reach|hit|top|ban|suspend|resume|end|"
                              r"start|invest|build|release|complete|pass|approve|reject|double|halve|quit|drop)\b")


def headline_present(title: str) -> str:
    """The title with a future that the headline does not say put in the present ('will add' -> 'adds')."""
    return _HEADLINE_FUTURE.sub(lambda m: m.group(1) + ("es" if m.group(1).endswith(("sh", "ch", "ss", "x")) else "s"),
                                title)


# A sentence that opens with who learned of the news (36氪出海获悉，…) said as that one's claim.
_LEARNED_SAID = re.compile(r"^((?:[A-Z0-9][\w.&'’-]*)(?:\s[A-Z0-9][\w.&'’-]*){0,3})\s+(?:has\s|have\s)?"
                           r"(?:announced|said|stated|revealed|disclosed)\s+that\b")


def learned_not_said(output: str) -> str:
    """'36Kr has announced that BOUNDLESS …' -> '36Kr learned that BOUNDLESS …', for a source that says
    only that 36Kr learned of it (the caller knows: SentenceNames.learned)."""
    return _LEARNED_SAID.sub(lambda m: f"{m.group(1)} learned that", output, count=1)


_TITLE_CASED = re.compile(r"^[A-Z][a-z]+(?:-[A-Za-z]+)*$")
# Capitalised in any sentence, and read by the dates check: never put in lower case.
_CALENDAR = frozenset(("january", "february", "march", "april", "may", "june", "july", "august", "september",
                       "october", "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday",
                       "saturday", "sunday"))


def sentence_case(title: str, known: set[str]) -> str:
    """A headline the model wrote in title case ('Festival Reveals Unusual Industry Confidence') in sentence
    case, so that its ordinary words are not taken for names; the first word, names of the article
    (`known`), words in capitals and words that are no ordinary English stay as written."""
    from ..dictionary import load_dictionary

    words = re.findall(r"[A-Za-z][A-Za-z'’-]*", title)
    long = [w for w in words if len(w) >= 4]
    if len(long) < 3 or sum(w[0].isupper() for w in long) < 0.7 * len(long):
        return title
    names, ordinary = {n.casefold() for n in known}, load_dictionary().ordinary_words

    def lower(m: re.Match[str]) -> str:
        word = m.group(0)
        stem = word.split("-")[0].lower()
        forms = {stem, stem.removesuffix("s"), stem.removesuffix("es"), stem.removesuffix("ed"), stem.removesuffix("d")}
        if m.start() == 0 or not _TITLE_CASED.match(word) or word.casefold() in names or not forms & ordinary \
                or stem in _CALENDAR:
            return word
        return word.lower()

    return re.sub(r"(?<![\w'’-])[A-Za-z][A-Za-z'’-]*", lower, title)
