"""Named entities with trustworthy English names.

No Chinese NER model can be installed here, so the stage combines sources it owns, as
spaCy components over the jieba-segmented Doc (all write candidate spans; nothing guesses):

- ``entity_ruler``: spaCy's EntityRuler fed by the project gazetteer (corpus/gazetteer/);
- ``newsbrief_latin_names``: Latin-script name spans (Sandie Hawkins, The RealReal, TikTok Shop);
- ``newsbrief_entity_patterns``: titles next to person names (总经理周受资), organisation
  suffixes (…科技有限公司), place suffixes (…州/省/市);
- ``newsbrief_pos_names``: jieba part-of-speech tags (nr, nrt, ns, nt).

:class:`EntityExtractor` then merges the candidates (gazetteer first), names them in English
(gazetteer, Latin as written, or pinyin flagged ``english_source="pinyin"``; never invented),
finds stated roles, merges mentions of the same entity and ranks them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING

from .resources import Resources, read_lines, read_tsv, split_aliases
from .schema import Entity, Mention
from .segment import pos_tags
from .spacy_import import import_spacy

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc as SpacyDoc
else:  # the factories below register at import time, so spaCy is needed now
    _spacy = import_spacy()
    Language, SpacyDoc = _spacy.language.Language, _spacy.tokens.Doc

# --------------------------------------------------------------------------- gazetteer


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
        entries += [e for e in iso_countries() if not known.intersection(e.forms)]
        by_form: dict[str, GazetteerEntry] = {}
        for entry in entries:
            for form in entry.forms:
                by_form.setdefault(form, entry)
                if not _HAN.search(form):
                    by_form.setdefault(form.lower(), entry)
        return cls(tuple(entries), by_form)

    def lookup(self, text: str) -> GazetteerEntry | None:
        return self.by_form.get(text) or (self.by_form.get(text.lower()) if not _HAN.search(text) else None)


_STATE_FORMS = (
    "伊斯兰共和国",
    "人民民主共和国",
    "民主共和国",
    "联合共和国",
    "联邦共和国",
    "多民族国",
    "共和国",
    "王国",
    "联邦",
    "大公国",
    "公国",
    "合众国",
)


@cache
def iso_countries() -> tuple[GazetteerEntry, ...]:
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
        if name_zh == country.name or not _HAN.search(name_zh):
            continue
        forms = [name_zh]
        for state_form in _STATE_FORMS:
            if name_zh.endswith(state_form) and len(name_zh) - len(state_form) >= 2:
                forms.append(name_zh[: -len(state_form)])
                break
        english = getattr(country, "common_name", None) or country.name
        entries.append(GazetteerEntry(name_zh, english, "GPE", tuple(forms)))
    return tuple(entries)


@cache
def load_gazetteer(resources: Resources) -> Gazetteer:
    return Gazetteer.load(resources)


# --------------------------------------------------------------------------- vocabulary

_HAN = re.compile(r"[\u4e00-\u9fff]")

# Titles (Chinese -> English), longest first when matched. Compound titles stay whole.
TITLES: dict[str, str] = {
    "首席执行官": "chief executive officer",
    "首席财务官": "chief financial officer",
    "首席运营官": "chief operating officer",
    "首席技术官": "chief technology officer",
    "首席营销官": "chief marketing officer",
    "首席增长官": "chief growth officer",
    "联合创始人": "co-founder",
    "创始人": "founder",
    "董事长": "chairman",
    "副董事长": "vice chairman",
    "总裁": "president",
    "副总裁": "vice president",
    "高级副总裁": "senior vice president",
    "总经理": "general manager",
    "副总经理": "deputy general manager",
    "市场总监": "marketing director",
    "运营总监": "operations director",
    "销售总监": "sales director",
    "总监": "director",
    "负责人": "head",
    "运营主管": "head of operations",
    "主管": "head",
    "销售经理": "sales manager",
    "经理": "manager",
    "合伙人": "partner",
    "创始合伙人": "founding partner",
    "管理合伙人": "managing partner",
    "主席": "chairman",
    "部长": "minister",
    "副部长": "vice minister",
    "司长": "director-general",
    "局长": "director",
    "发言人": "spokesperson",
    "分析师": "analyst",
    "研究员": "researcher",
    "记者": "reporter",
    "首席记者": "chief reporter",
    "作者": "author",
    "CEO": "CEO",
    "CFO": "CFO",
    "COO": "COO",
    "CTO": "CTO",
    "CGO": "CGO",
    "总编辑": "editor-in-chief",
}
# Words allowed inside a role between organisation and title, with English.
ROLE_SCOPES: dict[str, tuple[str, str]] = {  # word -> (English, kind): kind geo|line|function
    "美国": ("US", "geo"),
    "中国": ("China", "geo"),
    "中国区": ("China", "geo"),
    "全球": ("global", "geo"),
    "亚太区": ("Asia-Pacific", "geo"),
    "东南亚": ("Southeast Asia", "geo"),
    "欧洲": ("European", "geo"),
    "英国": ("UK", "geo"),
    "国际": ("international", "geo"),
    "海外": ("overseas", "geo"),
    "电商": ("e-commerce", "line"),
    "电子商务": ("e-commerce", "line"),
    "跨境电商": ("cross-border e-commerce", "line"),
    "直播电商": ("live-commerce", "line"),
    "广告": ("advertising", "line"),
    "支付": ("payments", "line"),
    "物流": ("logistics", "line"),
    "市场": ("marketing", "function"),
    "运营": ("operations", "function"),
    "合作": ("partnerships", "function"),
    "销售": ("sales", "function"),
    "产品": ("product", "function"),
    "技术": ("technology", "function"),
    "财务": ("finance", "function"),
    "人口和就业统计司": ("", "unit"),
}
FORMER_MARKERS = ("曾担任", "曾任", "前任", "前", "原")
PERSON_VERBS = (
    "表示",
    "称",
    "说",
    "指出",
    "认为",
    "介绍",
    "透露",
    "告诉",
    "离职",
    "加入",
    "担任",
    "出任",
    "接替",
    "先生",
    "女士",
    "创立",
    "创办",
    "坦言",
    "强调",
    "回应",
    "主持",
    "宣布",
)
LATIN_ORG_WORDS = {
    "inc",
    "ltd",
    "llc",
    "co",
    "corp",
    "group",
    "capital",
    "partners",
    "ventures",
    "holdings",
    "technologies",
    "technology",
    "tech",
    "commerce",
    "shop",
    "store",
    "works",
    "pay",
    "live",
    "media",
    "labs",
    "bank",
    "fund",
    "network",
    "networks",
    "global",
    "international",
    "studio",
    "studios",
    "games",
    "music",
    "cloud",
    "mall",
    "market",
    "markets",
    "collective",
    "express",
    "logistics",
    "messenger",
    "news",
    "times",
    "post",
    "journal",
}
COMPOUND_SURNAMES = (
    "欧阳",
    "司马",
    "上官",
    "诸葛",
    "东方",
    "皇甫",
    "尉迟",
    "公孙",
    "慕容",
    "长孙",
    "令狐",
    "宇文",
    "夏侯",
    "端木",
    "司徒",
    "申屠",
)
SURNAME_READINGS = {
    "单": "Shan",
    "曾": "Zeng",
    "解": "Xie",
    "仇": "Qiu",
    "朴": "Piao",
    "查": "Zha",
    "区": "Ou",
    "覃": "Qin",
    "盖": "Ge",
    "缪": "Miao",
    "乐": "Yue",
    "翟": "Zhai",
    "尉迟": "Yuchi",
    "长孙": "Zhangsun",
    "万俟": "Moqi",
    "召": "Shao",
    "员": "Yun",
    "句": "Gou",
}
ORG_SUFFIX_EN = {
    "创投": "Ventures",
    "股份有限公司": "Co., Ltd.",
    "有限责任公司": "Co., Ltd.",
    "有限公司": "Co., Ltd.",
    "集团": "Group",
    "公司": "Company",
    "科技": "Technology",
    "网络": "Network",
    "控股": "Holdings",
    "银行": "Bank",
    "资本": "Capital",
    "基金": "Fund",
    "研究院": "Research Institute",
    "研究中心": "Research Center",
}
ORG_HEADS_EN = {
    "政府": "government",
    "法院": "court",
    "海关": "customs",
    "国会": "Congress",
    "议会": "parliament",
    "央行": "central bank",
    "财政部": "Ministry of Finance",
    "外交部": "Ministry of Foreign Affairs",
    "商务部": "Ministry of Commerce",
    "监管机构": "regulators",
    "军队": "armed forces",
}
ORG_SUFFIXES = (
    "股份有限公司",
    "有限责任公司",
    "有限公司",
    "集团",
    "公司",
    "控股",
    "银行",
    "资本",
    "基金",
    "研究院",
    "研究中心",
    "委员会",
    "协会",
    "联合会",
    "交易所",
    "大学",
    "学院",
    "研究所",
    "中心",
    "创投",
    "科技",
    "专委会",
    "联盟",
    "报社",
    "电视台",
    "法院",
)
GENERIC_ORG_WORDS = {
    "电商",
    "电子商务",
    "科技",
    "互联网",
    "物流",
    "投资",
    "金融",
    "网络",
    "技术",
    "服务",
    "咨询",
    "管理",
    "贸易",
    "支付",
    "软件",
    "传媒",
    "文化",
    "数据",
    "游戏",
    "上市",
    "母",
    "子",
    "这家",
    "该",
    "一家",
    "多家",
    "各",
    "大",
    "小",
    "新",
    "外资",
    "国有",
    "民营",
    "跨境电商",
    "平台",
    "品牌",
    "公司",
    "中国",
    "美国",
    "本土",
    "海外",
    "国内",
    "全球",
    "其",
    "我们",
    "他们",
    "创业",
    "初创",
    "研究",
    "机构",
    "营销",
    "快递",
    "电动",
    "滑板",
    "家具",
    "相关",
    "参展",
    "成员",
    "会员",
    "知名",
    "头部",
    "中小",
    "电商平台",
    "云",
    "信息",
    "分享",
    "经济",
    "研究机构",
    "第三方",
    "运营",
    "广告",
}
NOT_PLACES = {
    "两国",
    "各国",
    "我国",
    "本国",
    "该国",
    "全国",
    "外国",
    "他国",
    "邻国",
    "贵国",
    "大国",
    "强国",
    "小国",
    "两岸",
    "国内",
    "国外",
    "海外",
    "境外",
    "境内",
    "当地",
    "本地",
    "外地",
    "各地",
    "异地",
    "内地",
}
PLACE_SUFFIXES = ("省", "市", "州", "县", "区", "镇")
PLACE_STOP_STEMS = {
    "其他",
    "各",
    "该",
    "全",
    "本",
    "外",
    "每",
    "多",
    "各个",
    "城",
    "地",
    "景",
    "社",
    "园",
    "新",
    "一",
    "两",
    "三",
    "几",
    "这",
    "那",
    "小",
    "大",
    "周边",
    "城市",
    "主城",
    "市",
    "省",
    "州",
    "县",
}

_LATIN_NAME = re.compile(
    r"(?<![A-Za-z0-9&])"
    r"(?:[A-Z][A-Za-z0-9&'!\-]*|[a-z]+[A-Z][A-Za-z0-9&'!\-]*)"
    r"(?:[ ·](?:[A-Z][A-Za-z0-9&'!\-]*|[a-z]+[A-Z][A-Za-z0-9&'!\-]*"
    r"|(?:de|da|di|van|von|der|le|la|du|dos|del)(?= [A-Z])))*"
    r"(?![A-Za-z0-9&])"
)


def _latin_stopwords(resources: Resources) -> frozenset[str]:
    path = resources.corpus_dir / "lexicon" / "latin_stopwords.txt"
    return frozenset(w.lower() for w in read_lines(path)) if path.is_file() else frozenset()


@cache
def _surnames(resources: Resources) -> frozenset[str]:
    return frozenset(read_lines(resources.require(resources.corpus_dir / "lexicon" / "surnames.txt")))


def _title_alternation() -> str:
    return "|".join(sorted(TITLES, key=len, reverse=True))


_TITLE_RE = _title_alternation()
_NAME_END = (
    r"(?=表示|称|说|指出|认为|介绍|透露|告诉|也|在|从|于|将|和|与|及|的|、|，|。|：|:|（|\(|是|对|为|已|曾|就|等"
    r"|$|\s|[A-Za-z])"
)
_TITLED_NAME = re.compile(rf"(?P<title>{_TITLE_RE})\s?[:：]?\s?(?P<name>[\u4e00-\u9fff]{{2,4}}?){_NAME_END}")


# --------------------------------------------------------------------------- spaCy components

CANDIDATE_KEYS = ("latin", "pattern", "inner", "pos")


def _add_span(doc: SpacyDoc, key: str, start: int, end: int, label: str, kb_id: str = "") -> None:
    span = doc.char_span(start, end, label=label, kb_id=kb_id, alignment_mode="expand")
    if span is not None:
        doc.spans.setdefault(key, []).append(span)
        # Keep exact character offsets: jieba may glue a name to the next word.
        span_chars = doc.user_data.setdefault(("nb_chars", key), [])
        span_chars.append((start, end, label, kb_id))


@Language.factory("newsbrief_latin_names", default_config={"corpus_dir": ""})
def make_latin_names(nlp: Language, name: str, corpus_dir: str):
    from pathlib import Path

    stopwords = _latin_stopwords(Resources(Path(corpus_dir))) if corpus_dir else frozenset()

    def latin_names(doc: SpacyDoc) -> SpacyDoc:
        text = doc.text
        for m in _LATIN_NAME.finditer(text):
            words = m.group(0).split()
            # Drop stop acronyms (GMV, CEO) at either end: "CEO Rex" -> "Rex".
            while words and words[0].lower() in stopwords:
                words.pop(0)
            while words and words[-1].lower() in stopwords:
                words.pop()
            if not words:
                continue
            phrase = " ".join(words)
            start = m.start() + m.group(0).index(words[0])
            end = start + len(phrase)
            if len(phrase) < 2 or phrase.isdigit():
                continue
            _add_span(doc, "latin", start, end, _latin_type(text, start, end, words))
        return doc

    return latin_names


def _latin_type(text: str, start: int, end: int, words: list[str]) -> str:
    before, after = text[max(0, start - 8) : start], text[end : end + 4]
    titled = re.search(rf"({_TITLE_RE})(兼\s?\S+)?\s?$", before) is not None
    if any(w.lower().strip(".") in LATIN_ORG_WORDS for w in words) or words[0] == "The":
        return "ORG"
    personal = after.startswith(PERSON_VERBS) or titled
    title_case = all(
        re.fullmatch(r"[A-Z][a-z'\-]+|de|da|di|van|von|der|le|la|du|dos|del|Le|La|De|Van|Von", w) for w in words
    )
    if title_case and (personal or 2 <= len(words) <= 4):
        return "PERSON"
    return "ORG"


@Language.factory("newsbrief_entity_patterns", default_config={"corpus_dir": ""})
def make_entity_patterns(nlp: Language, name: str, corpus_dir: str):
    from pathlib import Path

    surnames = _surnames(Resources(Path(corpus_dir)))

    gazetteer = load_gazetteer(Resources(Path(corpus_dir)))
    inner = _inner_gazetteer_pattern(gazetteer)

    def entity_patterns(doc: SpacyDoc) -> SpacyDoc:
        text = doc.text
        # Gazetteer names inside longer jieba words (邓小平理论, 中华人民共和国香港特别行政区).
        for m in inner.finditer(text):
            entry = gazetteer.by_form[m.group(0)]
            _add_span(doc, "inner", m.start(), m.end(), entry.type, entry.name)
        # 品牌无疆跨境（BOUNDLESS）: a Chinese name right before its Latin name in brackets.
        for m in _APPOSITION_BEFORE.finditer(text):
            start = _name_start_before(doc, m.start())
            if start is not None and m.start() - start >= 2:
                _add_span(doc, "pattern", start, m.start(), "ORG")
        # One-character country abbreviations: 中美关系, 访华, 港澳台.
        for m in _ABBREVIATION_PAIR.finditer(text):
            for group in ("a", "b"):
                entry = gazetteer.lookup(ABBREVIATIONS[m.group(group)])
                if entry:
                    _add_span(doc, "inner", m.start(group), m.end(group), entry.type, entry.name)
        for m in _ABBREVIATION_AFTER_VERB.finditer(text):
            entry = gazetteer.lookup(ABBREVIATIONS[m.group("a")])
            if entry:
                _add_span(doc, "inner", m.start("a"), m.end("a"), entry.type, entry.name)
        for m in _TITLED_NAME.finditer(text):
            name_text = _person_name(m.group("name"), surnames)
            if name_text:
                start = m.start("name")
                _add_span(doc, "pattern", start, start + len(name_text), "PERSON")
        for token in doc:
            word = token.text
            suffix = next((s for s in ORG_SUFFIXES if word.endswith(s)), None)
            if suffix is not None:
                span = _org_before(doc, token.i, suffix)
                if span:
                    _add_span(doc, "pattern", span[0], span[1], "ORG")
            elif (
                3 <= len(word) <= 6
                and word.endswith(PLACE_SUFFIXES)
                and word[:-1] not in PLACE_STOP_STEMS
                and not word.endswith(("地区", "行政区", "自治区", "特区", "城区", "园区", "社区", "景区", "新区"))
                and all(_HAN.match(ch) for ch in word)
            ):
                _add_span(doc, "pattern", token.idx, token.idx + len(word), "GPE")
        return doc

    return entity_patterns


_APPOSITION = re.compile(r"\s*[（(]\s*(?P<latin>[A-Za-z][A-Za-z0-9 .&'!\-]{1,40}?)\s*[)）]")
ABBREVIATIONS = {
    "中": "中国",
    "美": "美国",
    "日": "日本",
    "俄": "俄罗斯",
    "英": "英国",
    "法": "法国",
    "德": "德国",
    "加": "加拿大",
    "韩": "韩国",
    "朝": "朝鲜",
    "印": "印度",
    "欧": "欧洲",
    "非": "非洲",
    "亚": "亚洲",
    "华": "中国",
    "港": "香港",
    "澳": "澳门",
    "台": "台湾",
    "京": "北京",
    "沪": "上海",
    "越": "越南",
    "泰": "泰国",
    "意": "意大利",
    "西": "西班牙",
    "巴": "巴西",
    "墨": "墨西哥",
    "新": "新加坡",
    "马": "马来西亚",
}
_ABBR_CHARS = "中美日俄英法德加韩朝印欧非亚越泰意墨"
_ABBREVIATION_PAIR = re.compile(
    rf"(?<![\u4e00-\u9fff])(?P<a>[{_ABBR_CHARS}港澳台])(?P<b>[{_ABBR_CHARS}港澳台])"
    r"(?=关系|两国|双方|合作|贸易|首脑|会谈|会晤|峰会|友好|联合|建交|之间|战略|经贸|关税|贸易战|[、台])"
)
_ABBREVIATION_AFTER_VERB = re.compile(
    r"(?<=访|来|驻|赴|抵|离|旅|留|进|返)(?P<a>[华美日俄英法德港台京沪澳])(?=[，。、；：,\s期间后前时的人]|$)"
)


_APPOSITION_BEFORE = re.compile(r"(?<=[\u4e00-\u9fff])\s*[（(]\s*[A-Z][A-Za-z0-9 .&'!\-]{1,40}?\s*[)）]")


def _name_start_before(doc: SpacyDoc, end: int) -> int | None:
    """Start of the name that ends at `end`: up to three jieba tokens, stopping at descriptors."""
    span = doc.char_span(0, end, alignment_mode="contract")
    if span is None or not len(span):
        return None
    start = None
    for token in reversed(list(span)[-3:]):
        if (
            not _HAN.search(token.text)
            or token.text in _ORG_LEFT_STOPS
            or token.text in GENERIC_ORG_WORDS
            or token.text.endswith(("品牌", "平台", "公司", "企业", "机构", "集团"))
            or _dictionary_tag(token.text)[:1] in ("v", "d", "p", "c", "u", "r", "m", "q", "a")
        ):
            break
        start = token.idx
    return start


_ORDINAL_BEFORE = re.compile(r"第[一二三四五六七八九十百零〇\d]+[届次]$")


def _inner_gazetteer_pattern(gazetteer: Gazetteer) -> re.Pattern[str]:
    forms = sorted((f for f in gazetteer.by_form if _HAN.search(f) and len(f) >= 2), key=len, reverse=True)
    return re.compile("|".join(re.escape(f) for f in forms))


def _person_name(candidate: str, surnames: frozenset[str]) -> str | None:
    """A Chinese name at the start of `candidate`: surname (1-2 chars) + 1-2 given-name chars."""
    for surname_len in (2, 1):
        surname = candidate[:surname_len]
        if surname in surnames or (surname_len == 2 and surname in COMPOUND_SURNAMES):
            given = candidate[surname_len:]
            if 1 <= len(given) <= 2:
                return candidate
    return None


_ORG_LEFT_STOPS = {
    "的",
    "和",
    "与",
    "及",
    "是",
    "为",
    "在",
    "由",
    "将",
    "从",
    "对",
    "向",
    "被",
    "把",
    "了",
    "等",
    "获",
    "家",
    "个",
    "这",
    "该",
    "其",
    "各",
    "旗下",
    "投资",
    "成立",
    "收购",
    "入股",
    "股东",
    "老股东",
    "投资方",
    "投资人",
    "领投",
    "跟投",
    "以及",
    "包括",
    "品牌",
    "平台",
}


def _dictionary_tag(word: str) -> str:
    import jieba.posseg

    return jieba.posseg.dt.word_tag_tab.get(word, "")


def _org_before(doc: SpacyDoc, index: int, suffix: str) -> tuple[int, int] | None:
    """Extend an organisation suffix token leftwards over name-like tokens."""
    end_token = doc[index]
    start = index
    while start > 0 and index - start < 4:
        previous = doc[start - 1]
        if previous.is_punct or previous.is_space or (not _HAN.search(previous.text) and not previous.text.isalpha()):
            break
        if previous.text in _ORG_LEFT_STOPS or _dictionary_tag(previous.text)[:1] in (
            "v",
            "d",
            "p",
            "c",
            "u",
            "r",
            "m",
            "q",
        ):
            break
        start -= 1
    words = [t.text for t in doc[start : index + 1]]
    stem_words = words[:-1] if words[-1] == suffix else [*words[:-1], words[-1][: -len(suffix)]]
    stem_words = [w for w in stem_words if w]
    if not stem_words or all(w in GENERIC_ORG_WORDS for w in stem_words):
        return None
    # Doc.text joins every token, so look at the next token rather than the text.
    following = "" if end_token.whitespace_ or end_token.i + 1 >= len(doc) else end_token.nbor(1).text[:1]
    if following and re.match(r"[A-Za-z「“《]", following):
        return None  # 美国电子商务公司Etsy: a description in apposition, not a name
    return doc[start].idx, end_token.idx + len(end_token.text)


@Language.factory("newsbrief_pos_names", default_config={"corpus_dir": ""})
def make_pos_names(nlp: Language, name: str, corpus_dir: str):
    from pathlib import Path

    resources = Resources(Path(corpus_dir))
    surnames = _surnames(resources)

    def pos_names(doc: SpacyDoc) -> SpacyDoc:
        import jieba

        position = 0
        text = doc.text  # Doc.text joins every token: read it once
        for word, flag in pos_tags(text, resources):
            start = text.find(word, position)
            if start < 0:
                continue
            position = start + len(word)
            if not _HAN.search(word) or len(word) < 2:
                continue
            # jieba's dictionary tags many common words as names (文明/nr, 城市/ns): a frequent
            # dictionary word needs more than its tag to count as a name.
            frequency = jieba.dt.FREQ.get(word, 0)
            after = text[position : position + 2]
            if flag in ("nr", "nrfg") and len(word) <= 4 and _person_name(word, surnames):
                if len(word) >= 3 or frequency < 100 or after.startswith(PERSON_VERBS):
                    _add_span(doc, "pos", start, position, "PERSON")
            elif flag == "nrt" and len(word) >= 2 and (frequency < 200 or after.startswith(PERSON_VERBS)):
                _add_span(doc, "pos", start, position, "PERSON")
            elif (
                flag == "ns"
                and len(word) >= 2
                and word not in NOT_PLACES
                and frequency < 800
                and ((frequency > 0 and len(word) <= 3) or word.endswith((*PLACE_SUFFIXES, "国", "岛", "湾", "港")))
            ):
                _add_span(doc, "pos", start, position, "GPE" if word.endswith((*PLACE_SUFFIXES, "国")) else "LOC")
            elif flag == "nt" and len(word) >= 2 and not word.endswith(("关系", "问题")):
                # 第十五次全国代表大会: an ordinal in front belongs to the organisation's name.
                ordinal = _ORDINAL_BEFORE.search(text, max(0, start - 8), start)
                _add_span(doc, "pos", ordinal.start() if ordinal else start, position, "ORG")
        return doc

    return pos_names


ENTITY_PIPES = ("entity_ruler", "newsbrief_latin_names", "newsbrief_entity_patterns", "newsbrief_pos_names")


def ensure_entity_pipes(nlp: Language, resources: Resources, sources: tuple[str, ...] = ENTITY_PIPES) -> None:
    """Add the entity components to the shared jieba pipeline, once."""
    corpus = str(resources.corpus_dir)
    for name in sources:
        if name in nlp.pipe_names:
            continue
        if name == "entity_ruler":
            ruler = nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": "ORTH", "overwrite_ents": True})
            patterns = []
            for entry in load_gazetteer(resources).entries:
                for form in entry.forms:
                    patterns.append({"label": entry.type, "pattern": form, "id": entry.name})
            with nlp.select_pipes(enable=[]):
                ruler.add_patterns(patterns)
        else:
            nlp.add_pipe(name, config={"corpus_dir": corpus})


# --------------------------------------------------------------------------- extraction


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


_SOURCE_RANK = {"gazetteer": 0, "latin": 1, "pattern": 2, "inner": 4, "pos": 5}


class EntityExtractor:
    """Runs the entity components on a segmented Doc and builds typed, merged entities."""

    def __init__(self, resources: Resources, sources: tuple[str, ...] = ENTITY_PIPES) -> None:
        from .segment import chinese_nlp

        self.resources = resources
        self.nlp = chinese_nlp(resources)
        ensure_entity_pipes(self.nlp, resources, sources)
        self.sources = sources
        self.gazetteer = load_gazetteer(resources)

    def __call__(self, doc: SpacyDoc | str, *, title: str = "", exclude: tuple[str, ...] = ()) -> list[Entity]:
        if isinstance(doc, str):
            doc = self.nlp.make_doc(doc)
        for name in self.sources:
            doc = self.nlp.get_pipe(name)(doc)
        candidates = self._candidates(doc)
        chosen = self._resolve(candidates)
        text = doc.text  # Doc.text joins every token: read it once
        repeated = self._repeat_mentions(text, chosen)
        if repeated:
            chosen = self._resolve(candidates + repeated)
        clusters = self._cluster(text, chosen, exclude)
        self._apply_appositions(text, clusters)
        for cluster in clusters.values():
            # Show the form the article uses most (eBay, not the gazetteer's 易贝).
            surfaces = [m.text for m in cluster.mentions]
            cluster.text = max(dict.fromkeys(surfaces), key=surfaces.count)
        known_orgs = {m.text: c.english for c in clusters.values() if c.type == "ORG" for m in c.mentions}
        entities = [self._entity(text, c, title, known_orgs) for c in clusters.values()]
        entities.sort(key=lambda e: (-e.salience, e.mentions[0].start))
        return entities

    # -- candidates

    def _candidates(self, doc: SpacyDoc) -> list[_Candidate]:
        text = doc.text
        found = [_Candidate(e.start_char, e.end_char, e.label_, "gazetteer", e.ent_id_) for e in doc.ents]
        for key in CANDIDATE_KEYS:
            for start, end, label, kb_id in doc.user_data.get(("nb_chars", key), []):
                entry = self.gazetteer.lookup(text[start:end])
                if key == "inner":
                    found.append(_Candidate(start, end, label, "inner", kb_id))
                elif entry is not None:
                    found.append(_Candidate(start, end, entry.type, "gazetteer", entry.name))
                else:
                    found.append(_Candidate(start, end, label, key, kb_id))
        return found

    @staticmethod
    def _repeat_mentions(text: str, chosen: list[_Candidate]) -> list[_Candidate]:
        """A name found once by a pattern (无疆跨境（BOUNDLESS）) is the same name everywhere else in
        the article, even where jieba cuts it differently (无疆/跨境)."""
        extra = []
        for c in chosen:
            if c.source not in ("pattern", "latin") or c.end - c.start < 2:
                continue
            surface = text[c.start : c.end]
            position = text.find(surface)
            while position >= 0:
                if position != c.start:
                    extra.append(_Candidate(position, position + len(surface), c.label, c.source, c.key))
                position = text.find(surface, position + 1)
        return extra

    @staticmethod
    def _resolve(candidates: list[_Candidate]) -> list[_Candidate]:
        """Non-overlapping spans: gazetteer first, then Latin, patterns; then POS organisations
        (中国致公党 contains 中国), gazetteer names inside longer words, other POS spans."""

        def order(c: _Candidate) -> tuple[int, int, int]:
            rank = _SOURCE_RANK[c.source]
            if c.source == "pos" and c.label == "ORG":
                rank = _SOURCE_RANK["inner"] - 1
            return rank, -(c.end - c.start), c.start

        candidates.sort(key=order)
        chosen: list[_Candidate] = []
        for c in candidates:
            if all(c.end <= o.start or o.end <= c.start for o in chosen):
                chosen.append(c)
            elif c.source == "latin" or (c.source == "pattern" and c.label == "ORG"):
                # A Latin span that contains a gazetteer name (TikTok Shop ⊃ TikTok) wins: it is longer.
                # So does a company named after a place (湖南智六网络科技有限公司 ⊃ 湖南).
                inner = [
                    o
                    for o in chosen
                    if o.source == "gazetteer"
                    and c.start <= o.start
                    and o.end <= c.end
                    and (c.source == "latin" or o.label in ("GPE", "LOC"))
                ]
                if inner and all(c.end <= o.start or o.end <= c.start for o in chosen if o not in inner):
                    for o in inner:
                        chosen.remove(o)
                    chosen.append(c)
        chosen.sort(key=lambda c: c.start)
        return chosen

    # -- merging and naming

    def _cluster(self, text: str, chosen: list[_Candidate], exclude: tuple[str, ...]) -> dict[str, _Cluster]:
        clusters: dict[str, _Cluster] = {}
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
                for other in clusters.values():
                    if (
                        c.label == "PERSON"
                        and other.type == "PERSON"
                        and " " in other.text
                        and other.text.split()[-1] == surface
                    ):
                        key = other.key
                        break
                cluster = clusters.get(key) or self._new_cluster(key, surface, c.label)
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
        if not _HAN.search(surface):
            return _Cluster(key, surface, label, surface, "latin")
        if label == "ORG":
            # 美国政府 -> "United States government": a gazetteer place plus a known institution word.
            for head, head_en in ORG_HEADS_EN.items():
                place = self.gazetteer.lookup(surface[: -len(head)]) if surface.endswith(head) else None
                if place is not None and place.type in ("GPE", "LOC"):
                    return _Cluster(key, surface, label, f"{place.english} {head_en}", "gazetteer")
        pinyin = chinese_name_pinyin(surface) if label == "PERSON" else org_pinyin(surface)
        return _Cluster(key, surface, label, pinyin, "pinyin", pinyin=pinyin)

    def _entity(self, text: str, cluster: _Cluster, title: str, known_orgs: dict[str, str]) -> Entity:
        role, role_en = (None, None)
        if cluster.type == "PERSON":
            for mention in cluster.mentions:
                role, role_en = self.role_of(text, mention.start, known_orgs)
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

    # -- roles

    def role_of(
        self, text: str, person_start: int, known_orgs: dict[str, str] | None = None
    ) -> tuple[str | None, str | None]:
        """The role stated right before a person: TikTok美国电商总经理Sandie Hawkins."""
        left = text[max(0, person_start - 40) : person_start]
        left = re.split(r"[，,。；;：:！？!?\n、]", left)[-1].rstrip()
        m = re.search(rf"({_TITLE_RE})(兼\s?[A-Za-z\u4e00-\u9fff]+)?的?$", left)
        if m is None:
            return None, None
        title = m.group(1)
        head = left[: m.start()]
        former = False
        # Walk back over organisation names and scope words; stop at anything else.
        parts: list[tuple[str, str]] = []  # (kind, English)
        position = len(head)
        while position > 0:
            piece = head[:position]
            entry_match = self._trailing_entity(piece, known_orgs or {})
            if entry_match:
                form, english = entry_match
                parts.append(("org", english))
                position -= len(form)
                continue
            scope = next((w for w in sorted(ROLE_SCOPES, key=len, reverse=True) if piece.endswith(w)), None)
            if scope:
                parts.append((ROLE_SCOPES[scope][1], ROLE_SCOPES[scope][0]))
                position -= len(scope)
                continue
            if piece.endswith(("与", "和", "的")):
                position -= 1
                continue
            marker = next((w for w in FORMER_MARKERS if piece.endswith(w)), None)
            former = marker is not None  # 曾担任/前: the English says "former"; the role text omits it
            break
        role_text = head[position:] + title
        role_text = role_text.lstrip("与和的")
        if not any(kind == "org" for kind, _ in parts) and not parts:
            return role_text, ("former " if former else "") + TITLES[title]
        return role_text, _role_english(TITLES[title], list(reversed(parts)), former)

    def _trailing_entity(self, piece: str, known_orgs: dict[str, str]) -> tuple[str, str] | None:
        for length in range(min(20, len(piece)), 1, -1):
            form = piece[-length:]
            if form in known_orgs:
                return form, known_orgs[form]
            entry = self.gazetteer.lookup(form)
            if entry is not None and entry.type == "ORG":
                return form, entry.english
        m = re.search(r"[A-Za-z][A-Za-z0-9&.\- ]*$", piece)
        if m and len(m.group(0).strip()) >= 2:
            return m.group(0), m.group(0).strip()
        return None


def _role_english(title: str, parts: list[tuple[str, str]], former: bool) -> str | None:
    orgs = [english for kind, english in parts if kind == "org"]
    if len(orgs) > 1:
        return None
    geo = " ".join(english for kind, english in parts if kind == "geo")
    line = " ".join(english for kind, english in parts if kind == "line")
    function = " and ".join(english for kind, english in parts if kind == "function")
    prefix = "former " if former else ""
    if not orgs:
        return None
    org = orgs[0]
    if function:
        where = f" at {org}" + (f" {geo}" if geo else "")
        return f"{prefix}{title} of {function}{where}"
    if geo or line:
        business = " ".join(p for p in (geo, line) if p)
        return f"{prefix}{title} of {org}'s {business} business"
    return f"{prefix}{title} of {org}"


# --------------------------------------------------------------------------- pinyin


def chinese_name_pinyin(name: str) -> str:
    """王晓寒 -> 'Wang Xiaohan'; 欧阳娜娜 -> 'Ouyang Nana' (surname first, each part capitalised)."""
    from pypinyin import Style, lazy_pinyin

    surname_len = 2 if name[:2] in COMPOUND_SURNAMES or name[:2] in SURNAME_READINGS else 1
    surname, given = name[:surname_len], name[surname_len:]
    surname_en = SURNAME_READINGS.get(surname) or "".join(lazy_pinyin(surname, style=Style.NORMAL, v_to_u=True))
    given_en = "".join(lazy_pinyin(given, style=Style.NORMAL, v_to_u=True))
    return f"{surname_en.capitalize()} {given_en.capitalize()}".strip()


def org_pinyin(name: str) -> str:
    """湖南智六网络科技有限公司 -> 'Hunan Zhiliu Network Technology Co., Ltd.' (suffixes translated)."""
    from pypinyin import Style, lazy_pinyin

    suffix_en: list[str] = []
    stem = name
    changed = True
    while changed:
        changed = False
        for suffix in sorted(ORG_SUFFIX_EN, key=len, reverse=True):
            if stem.endswith(suffix) and len(stem) > len(suffix):
                suffix_en.insert(0, ORG_SUFFIX_EN[suffix])
                stem = stem[: -len(suffix)]
                changed = True
                break
    import jieba

    pieces: list[str] = []
    run = ""  # runs of single characters (智/六) are one made-up name: Zhiliu, not Zhi Liu
    for word in (w.strip() for w in jieba.cut(stem, HMM=False)):
        if len(word) == 1:
            run += word
            continue
        if run:
            pieces.append(run)
            run = ""
        if word:
            pieces.append(word)
    if run:
        pieces.append(run)
    words = ["".join(lazy_pinyin(p, style=Style.NORMAL, v_to_u=True)).capitalize() for p in pieces]
    return " ".join([*words, *suffix_en])
