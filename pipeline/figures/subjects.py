"""What a figure measures: the noun phrase it counts or prices, read from the sentence around it.

Three places hold it, tried in this order:
- after the figure, the noun it counts or prices (3000名员工, 1亿元B轮融资, 12%的股份): read from jieba's
  part-of-speech tags when the segmenter has run, since only they tell a noun from a verb there;
- before it, the noun phrase of its clause, with the predicate that leads to the number cut off
  (全年实现销售额3000万元 is 销售额, 深圳卖家占全国卖家总数的三成 is 深圳卖家);
- for a clause that only goes on (增长了20%，达到500万人), the subject of the figure before it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

_PARENTHETICAL = re.compile(r"（[^（）]*）|\([^()]*\)")
_TRAILING_FILLER = re.compile(r"(不超过|不低于|不少于|不多于|一举|一度|再次|首次|分别|报收|收报|报|"
                              r"了|约|大约|近|将近|接近|达到?|为|是|超过|超|逾|至|到|共|合计|总计|仅|只有|高达|多达|"
                              r"最高|最多|至少|不到|不足|低于|高于|同比|环比|增长|下降|增加|减少|提升|提高|上升|下滑|"
                              r"缩减|降低|下跌|上涨|拥有|有|获得|完成|实现|突破|占比?|的|在|将|预计|可能|或|"
                              r"增至|降至|升至|扩大|缩小|增|减|超出|高出|只|仅|才|就|也|都|还|已|会|由|从)$")
_SUBJECT_START = re.compile(
    r"^(而|但|并|且|其|另外|此外|同时|其中|据|数据显示|显示|报告显示|目前|今年|去年|此前|截至|全年|共|累计|将|由于)+"
)
# Verbs that lead from an actor to the figure's noun (公司实现销售额…, 平台拥有…): the subject is what
# follows the last of them, never the actor before it.
_PREDICATES = re.compile(r"实现|完成|拥有|获得|录得|创下|达成|新增|召回|生产|吸引|发放|收取|持有|开设|查获|投入|"
                         r"斩获|卖出|售出|销售了|带来|贡献|产生|出售|收购|购买|回购|引入|接获|公告")
_SHARE_NOUN = re.compile(r"股权|股份|市场份额|份额|权益")
# Nouns after a figure that say how it is measured, not what: 52%的同比增长, 百元范围, 一天的GMV体量.
_NOT_THE_THING = re.compile(r"增长|下降|增幅|涨幅|跌幅|降幅|增速|同比|环比"
                            r"|(范围|区间|水平|体量|底气|时间|左右|以上|以下|之间|幅度)$")
# A clause that only goes on from the one before: 增长了20%，达到500万人.
_CONTINUATION = re.compile(r"^(并|且|已|再|进一步)?(达到?|至|增至|升至|降至|为|共计|合计|总计|突破|超过)?了?$")

PosTags = Sequence[tuple[str, str]]
# jieba tags of words that can name what is counted (nouns, nominal verbs, place and Latin words).
_NOUNISH = frozenset({"n", "nz", "ns", "nt", "nl", "ng", "nr", "nrt", "vn", "an", "eng", "s", "j", "b"})
_MAX_SUBJECT = 16


@dataclass(frozen=True)
class TaggedWords:
    """The text's words with their offsets and part-of-speech tags, for looking up what follows a figure."""

    starts: dict[int, int]  # character offset -> index of the word that starts there
    words: list[tuple[int, int, str]]  # start, end, tag
    ends: dict[int, str]  # character offset -> tag of the word that ends there

    @classmethod
    def of(cls, text: str, tags: PosTags) -> TaggedWords:
        words, position = [], 0
        for word, tag in tags:
            start = text.find(word, position)
            if start < 0:
                continue  # a word the tagger rewrote: skip it, keep the rest aligned
            words.append((start, start + len(word), tag))
            position = start + len(word)
        return cls({start: i for i, (start, _, _) in enumerate(words)}, words,
                   {end: tag for _, end, tag in words})


def noun_after(text: str, end: int, kind: str, tagged: TaggedWords | None, duration: bool = False) -> str | None:
    """The noun right after a figure that names what it counts or prices: 3000名员工 -> 员工,
    1亿元B轮融资 -> B轮融资, 12%的股份 -> 股份 (a percentage needs the 的). Not after a length of time
    (十年的时间, 一天的GMV), nor a noun cut short (1.3亿元的产品质量相关损失 is no 产品质量)."""
    if tagged is None or duration or kind not in ("count", "quantity", "money", "percent", "fraction"):
        return None
    position = end
    if text.startswith("的", position):
        position += 1
    elif kind in ("percent", "fraction") and not _SHARE_NOUN.match(text, position):
        return None  # 35%，: a percentage names its noun through 的 (12%的股份), or is a stake (29.4%股权)
    index = tagged.starts.get(position)
    if index is None:
        return None
    phrase_end, taken = position, 0
    for start, word_end, tag in tagged.words[index:index + 4]:
        if start != phrase_end or tag not in _NOUNISH or word_end - position > 10:
            break
        phrase_end, taken = word_end, taken + 1
    phrase = text[position:phrase_end]
    if len(phrase) < 2 or not taken or _NOT_THE_THING.search(phrase):
        return None
    tags = [tag for _, _, tag in tagged.words[index:index + taken]]
    if tags[-1] in ("s", "b") or set(tags) == {"ns"}:
        return None  # 小额, 海外, 英国 alone: a modifier or a place, not the thing counted
    rest = tagged.words[index + taken:index + taken + 2]
    if len(rest) == 2 and rest[0][0] == phrase_end and rest[0][2] in ("a", "b") \
            and rest[1][2] in _NOUNISH and rest[1][0] == rest[0][1]:
        return None  # the noun phrase goes on past what the tags let us read
    return phrase


def subject_before(text: str, clause_start: int, fig_start: int, previous_end: int, kind: str,
                   duration: bool = False, tagged: TaggedWords | None = None) -> str | None:
    """The noun phrase before the figure in its clause, fillers and the predicate before it stripped.
    A length of time measures only a span named so (生产周期2-3个月), not whatever came before it; a
    phrase that still ends in a verb (将发售, 加征) or points back (这一数量) is no subject."""
    left = max(clause_start, previous_end)
    phrase = _PARENTHETICAL.sub("", text[left:fig_start]).strip()
    phrase = phrase.lstrip("）)」”、，,:： ")
    phrase = re.split(r"[（(「“]", phrase)[-1]  # an unclosed bracket opens the phrase
    phrase = phrase.split("从")[0] if "从" in phrase[1:] else phrase  # 净亏损从1年前的… -> 净亏损
    if kind in ("percent", "fraction") and re.search(r"占(?!比)", phrase):
        phrase = re.split(r"占(?!比)", phrase)[0]  # 深圳卖家占全国卖家总数的三成: the share is Shenzhen sellers'
    for _ in range(6):
        stripped = _TRAILING_FILLER.sub("", phrase).rstrip()
        if stripped == phrase:
            break
        phrase = stripped
    predicates = list(_PREDICATES.finditer(phrase))
    if predicates:
        phrase = phrase[predicates[-1].end():]
    copula = list(re.finditer(r"为|是", phrase))
    if copula and copula[-1].start() >= 2 and len(phrase) - copula[-1].end() >= 2:
        phrase = phrase[:copula[-1].start()]  # 发售价区间为每股发售股份8.68港元: what is stated is the range
    if re.match(r"这一|这些|此|其中", phrase) or _ends_in_verb(text, fig_start, phrase, tagged):
        return None
    phrase = _SUBJECT_START.sub("", phrase).strip(" 的了")
    if len(phrase) < 2 or not re.search(r"[\u4e00-\u9fffA-Za-z]", phrase) or re.fullmatch(r"每.", phrase):
        return None  # 每单 (per order) says what the figure is counted by, not what it measures
    if len(phrase) > _MAX_SUBJECT:
        cuts = [m.end() for m in re.finditer(r"[和与及、，]", phrase) if len(phrase) - m.end() >= 2]
        phrase = phrase[cuts[-1]:] if cuts else phrase[-_MAX_SUBJECT:]
        phrase = re.sub(r"^[A-Za-z]+(?=[^A-Za-z])", "", phrase) if not cuts else phrase  # no half Latin words
    if duration and not re.search(r"(周期|期限|时间|时长|工期|期)$", phrase):
        return None
    return phrase.strip() or None


def _ends_in_verb(text: str, fig_start: int, phrase: str, tagged: TaggedWords | None) -> bool:
    """Whether the phrase, as jieba tags the text, ends in a verb (将发售, 对中国货物加征): the figure is
    its object, and the phrase says what is done, not what is measured."""
    if tagged is None or not phrase:
        return False
    end = text.rfind(phrase, 0, fig_start + 1)
    if end < 0:
        return False
    end += len(phrase)
    last = tagged.ends.get(end)
    return last is not None and last.startswith("v") and last != "vn"


# A figure that restates the one before in another currency or unit: 5.53亿港元 in （约合5.53亿港元）.
_CONVERSION = re.compile(r"(约合|折合|合|相当于|约为)(人民币|美元|港元|港币|新台币|新台幣|欧元|日元)?$")


def restates_previous(text: str, previous_end: int, fig_start: int) -> bool:
    """Whether a figure only converts the figure right before it (…美元（约合5.53亿港元）, 约合新台币…)."""
    between = text[previous_end:fig_start].strip("（( ，,")
    return bool(_CONVERSION.search(between)) and len(between) <= 8


def continues_subject(text: str, clause_start: int, fig_start: int) -> bool:
    """The clause before the figure says nothing but how it goes on (，达到500万人): it measures what
    the figure before it does."""
    return bool(_CONTINUATION.match(_PARENTHETICAL.sub("", text[clause_start:fig_start]).strip()))
