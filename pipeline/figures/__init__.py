"""Key figures: find every number an analyst would quote, normalise it, anchor it to the
article's own date, and render it in English deterministically.

Numbers are pulled from the raw cleaned text with rules (not from tokens): jieba splits
1741亿美元 and 9月12日 into pieces. Every figure keeps its exact source span and offsets.

Rooms: ``vocabulary`` (words the rules read), ``patterns`` (number patterns, the rule registry),
``amounts`` and ``dates`` (the rules), ``candidates`` (running them), ``extractor`` (qualifiers,
subjects, periods, salience) and ``english`` (the value in English).
"""

from .english import core_english
from .extractor import FigureExtractor
from .patterns import Anchor
from .vocabulary import COMPARISON_ENGLISH, COUNT_UNITS, CURRENCIES, MEASURE_UNITS

__all__ = ["COMPARISON_ENGLISH", "COUNT_UNITS", "CURRENCIES", "MEASURE_UNITS", "Anchor", "FigureExtractor",
           "core_english"]
