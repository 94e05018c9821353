"""Chinese number parsing and English number wording. Owned by us: the product is numbers.

    parse_number("1741亿") == 174_100_000_000
    parse_number("一千七百四十一") == 1741
    english_amount(174.1e9) == "174.1 billion"
"""

from __future__ import annotations

import re

CN_DIGITS = {
    "零": 0, "〇": 0, "○": 0, "一": 1, "壹": 1, "二": 2, "贰": 2, "两": 2, "三": 3, "叁": 3, "四": 4, "肆": 4,
    "五": 5, "伍": 5, "六": 6, "陆": 6, "七": 7, "柒": 7, "八": 8, "捌": 8, "九": 9, "玖": 9,
}
CN_SMALL_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
CN_BIG_UNITS = {"万": 10**4, "亿": 10**8}
MAGNITUDES = {**CN_SMALL_UNITS, **CN_BIG_UNITS}

CN_DIGIT_CHARS = "".join(CN_DIGITS)
CN_UNIT_CHARS = "".join(MAGNITUDES)

# Full-width forms map one-to-one onto ASCII, so offsets survive the translation.
# Traditional numerals and currency characters fold to the simplified ones (Hong Kong and Taiwan
# outlets: 營收達12.5億港元), and minus signs to ASCII: one character for one, so offsets survive.
_FULLWIDTH = str.maketrans({**{chr(0xFF10 + i): str(i) for i in range(10)}, "％": "%", "．": ".", "＄": "$",
                            "億": "亿", "萬": "万", "兩": "两", "幣": "币", "臺": "台", "－": "-", "−": "-",
                            "點": "点", "歐": "欧", "鎊": "镑", "圓": "圆", "韓": "韩", "﹒": "."})


def ascii_digits(text: str) -> str:
    """Full-width digits, ％, ．, ＄, minus signs to ASCII and Traditional numerals (億, 萬, 兩) to
    simplified ones; the result has the same length as the input."""
    return text.translate(_FULLWIDTH)


_NUMERAL_TOKEN = re.compile(r"\d+(?:\.\d+)?|.", re.DOTALL)
_ZEROS = "零〇○"


def parse_chinese_integer(text: str) -> float:
    """一千七百四十一 -> 1741; 三千五百亿 -> 350_000_000_000; 二〇二三 -> 2023.

    Colloquial forms drop the last magnitude: the digit after it is one step below (四万二 is 42,000,
    一千三 is 1,300, 一百二亿 is 12 billion); a 零 keeps the place (一千零三 is 1,003). Digits may
    stand for the Chinese ones (3万2千5百 is 32,500, 200万五千 is 2,005,000). Two digits side by side
    without a magnitude between them (六七千, six or seven thousand) are no one number: ValueError.
    """
    if not text:
        raise ValueError("empty number")
    if all(ch in CN_DIGITS for ch in text):
        # Digit by digit, as in years (二〇二三), or a single digit; 两三 (two or three) is no 23.
        if len(text) not in (1, 4) and not any(ch in _ZEROS for ch in text):
            raise ValueError(f"neighbouring digits are a range, not a number: {text!r}")
        return int("".join(str(CN_DIGITS[ch]) for ch in text))
    total = section = 0.0
    pending: float | None = None  # a digit not yet multiplied by a magnitude
    last_magnitude, zero_since = 0, False
    for token in _NUMERAL_TOKEN.findall(text):
        if token[0].isdigit() or (token in CN_DIGITS and token not in _ZEROS):
            if pending is not None:
                raise ValueError(f"two numbers without a magnitude between them in {text!r}")
            pending = float(token) if token[0].isdigit() else CN_DIGITS[token]
        elif token in _ZEROS:
            zero_since = True
        elif token in CN_SMALL_UNITS:
            section += (1 if pending is None else pending) * CN_SMALL_UNITS[token]
            pending, last_magnitude, zero_since = None, CN_SMALL_UNITS[token], False
        elif token in CN_BIG_UNITS:
            section += _colloquial(pending, last_magnitude, zero_since)
            if token == "万":
                total += (section or 1) * 10**4  # 万 alone (as in 万亿) means one 万
            else:
                total = (total + section or 1) * 10**8
            section, pending, last_magnitude, zero_since = 0.0, None, CN_BIG_UNITS[token], False
        else:
            raise ValueError(f"not a Chinese numeral: {token!r}")
    total += section + _colloquial(pending, last_magnitude, zero_since)
    return int(total) if total == int(total) else total


def _colloquial(pending: float | None, last_magnitude: int, zero_since: bool) -> float:
    """A digit left after a magnitude: one step below it (四万二: 2 thousands), unless a 零 came
    between (一千零三: 3 ones) or the magnitude is 十 (二十五)."""
    if pending is None:
        return 0.0
    if last_magnitude > 10 and not zero_since and pending < 10:
        return pending * last_magnitude / 10
    return pending


def parse_chinese_decimal(text: str) -> float:
    """十二点五 -> 12.5; 零点三 -> 0.3."""
    whole, sep, fraction = text.partition("点")
    value = float(parse_chinese_integer(whole)) if whole else 0.0
    if sep and whole and whole[-1] in CN_BIG_UNITS:
        raise ValueError(f"a decimal point after a magnitude in {text!r}")
    if sep:
        if not fraction or any(ch not in CN_DIGITS for ch in fraction):
            raise ValueError(f"bad decimal part in {text!r}")
        value += float("0." + "".join(str(CN_DIGITS[ch]) for ch in fraction))
    return value


_ARABIC_WITH_MAGNITUDE = re.compile(rf"(\d+(?:,\d{{3}})*(?:\.\d+)?)\s?([{CN_UNIT_CHARS}]*)")


def parse_number(text: str) -> float:
    """Parse Arabic (with 万/亿/千 multipliers), Chinese and mixed forms to a float.

    1.5亿 -> 1.5e8; 8270万 -> 8.27e7; 3千万 -> 3e7; 1,234.5 -> 1234.5; 三千五百亿 -> 3.5e11.
    """
    text = ascii_digits(text.strip())
    m = _ARABIC_WITH_MAGNITUDE.fullmatch(text)
    if m:
        value = float(m.group(1).replace(",", ""))
        for ch in m.group(2):
            value *= MAGNITUDES[ch]
        return _tidy(value)
    return _tidy(parse_chinese_decimal(text))


def _tidy(value: float) -> float:
    # 8.27 * 1e7 is 82700000.00000001 in binary floating point; the source meant 82700000.
    return float(round(value, 6)) if abs(value) < 1e15 else value


# --------------------------------------------------------------------------- English

# English scale words, largest first. Amounts are written with the first three (985,000, never
# '985 thousand'); a number spelt in words is read with any of them ('five thousand').
SCALE_WORDS = ((1e12, "trillion"), (1e9, "billion"), (1e6, "million"), (1e3, "thousand"))
_AMOUNT_SCALES = SCALE_WORDS[:3]


def format_decimal(value: float, max_decimals: int = 3) -> str:
    """1741.0 -> '1,741'; 82.70 -> '82.7'; 0.125 -> '0.125'."""
    text = f"{value:,.{max_decimals}f}".rstrip("0").rstrip(".")
    return text if text not in ("-0", "") else "0"


def english_amount(value: float) -> str:
    """174.1e9 -> '174.1 billion'; 985000 -> '985,000'; 1.7e6 -> '1.7 million'."""
    for scale, word in _AMOUNT_SCALES:
        if abs(value) >= scale:
            scaled = value / scale
            # Keep every significant digit the source gave (8270万 = 82.7 million, 1741亿 = 174.1 billion).
            return f"{format_decimal(scaled, 4)} {word}"
    return format_decimal(value, 3)


_CARDINALS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
              "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen")
_ORDINALS = ("zeroth", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
             "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth",
             "eighteenth", "nineteenth")
# Fractions' nouns: the ordinals, but 'half' and 'quarter'.
_ORDINAL_SINGULARS = {**{n: _ORDINALS[n] for n in range(3, 11)}, 2: "half", 4: "quarter"}
_ORDINAL_PLURALS = {n: "halves" if n == 2 else f"{word}s" for n, word in _ORDINAL_SINGULARS.items()}


def english_fraction(numerator: int, denominator: int) -> str:
    """(2, 5) -> 'two fifths'; (1, 3) -> 'one third'; (3, 100) -> '3/100'."""
    if denominator in _ORDINAL_PLURALS and 0 < numerator <= 10:
        noun = _ORDINAL_SINGULARS[denominator] if numerator == 1 else _ORDINAL_PLURALS[denominator]
        return f"{_CARDINALS[numerator]} {noun}" if not (numerator == 1 and denominator == 2) else "one half"
    return f"{numerator}/{denominator}"


def ordinal(n: int) -> str:
    """1 -> '1st', 22 -> '22nd', 13 -> '13th', 30 -> '30th'."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


_TENS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
_NUMBER_WORDS = {**{w: n for n, w in enumerate(_CARDINALS)}, **{w: n for n, w in enumerate(_ORDINALS)},
                 **{w: 20 + 10 * n for n, w in enumerate(_TENS)},
                 **{w.replace("y", "ieth"): 20 + 10 * n for n, w in enumerate(_TENS)}}
_ENGLISH_NUMBER_WORD = re.compile(r"\b([a-z]+)(?:-([a-z]+))?\b")


def number_word_value(word: str) -> int | None:
    """The number an English word names, cardinal or ordinal, up to ninety: 'third' -> 3, 'forty' -> 40."""
    return _NUMBER_WORDS.get(word.lower())


def english_number_words(text: str) -> list[tuple[int, int, int]]:
    """(value, start, end) of each number a text spells in lower-case English words, two to ninety-nine,
    cardinal or ordinal ('three years', 'the twenty-third edition'), times a scale word after it ('five
    million'). Not 'one' or 'first' (mostly no number: 'one of', 'for the first time'), nor a
    capitalised word, which starts a name or a sentence ('Five-Year Plan', 'Group of Seven')."""
    found = []
    for m in _ENGLISH_NUMBER_WORD.finditer(text):
        tens, unit = _NUMBER_WORDS.get(m.group(1)), _NUMBER_WORDS.get(m.group(2) or "")
        if tens is None:
            continue
        if unit is not None and tens >= 20 and tens % 10 == 0 and 0 < unit < 10:
            value, end = tens + unit, m.end()  # twenty-three, twenty-third
        else:
            value, end = tens, m.end(1)
        if value >= 2:
            scale = _SCALE_AFTER.match(text, end)  # 'five million': read as digits are ('5 million')
            if scale:
                value, end = value * _SCALE_OF[scale.group(1)], scale.end()
            found.append((value, m.start(), end))
    return found


_SCALE_OF = {word: int(size) for size, word in SCALE_WORDS}
_SCALE_AFTER = re.compile(rf"[\s-]({'|'.join(_SCALE_OF)})s?\b")
