"""Pinyin names, flagged as such: the last resort for a name with no English of its own."""

from __future__ import annotations

from .vocabulary import EntityVocabulary


def chinese_name_pinyin(name: str, vocabulary: EntityVocabulary) -> str:
    """王晓寒 -> 'Wang Xiaohan'; 欧阳娜娜 -> 'Ouyang Nana' (surname first, each part capitalised)."""
    from pypinyin import Style, lazy_pinyin

    surname_len = 2 if name[:2] in vocabulary.compound_surnames or name[:2] in vocabulary.surname_readings \
        else 1
    surname, given = name[:surname_len], name[surname_len:]
    surname_en = vocabulary.surname_readings.get(surname) or "".join(
        lazy_pinyin(surname, style=Style.NORMAL, v_to_u=True))
    given_en = "".join(lazy_pinyin(given, style=Style.NORMAL, v_to_u=True))
    return f"{surname_en.capitalize()} {given_en.capitalize()}".strip()


def org_pinyin(name: str, vocabulary: EntityVocabulary) -> str:
    """湖南智六网络科技有限公司 -> 'Hunan Zhiliu Network Technology Co., Ltd.' (suffixes translated)."""
    from pypinyin import Style, lazy_pinyin

    suffix_en: list[str] = []
    stem = name
    changed = True
    while changed:
        changed = False
        for suffix in sorted(vocabulary.org_suffix_english, key=len, reverse=True):
            if stem.endswith(suffix) and len(stem) > len(suffix):
                suffix_en.insert(0, vocabulary.org_suffix_english[suffix])
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
