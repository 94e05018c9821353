"""Names listed beside names: in 网易暴雪、完美世界、盛趣游戏等, the items between the list's marks are
of the kind of the names already found in the list. On MSRA train (gold names as the anchors), 93%
of the items between two 、 marks of a list holding a name are names of the list's type."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence

from ..spans import split_spans

# A run of items joined by 、, the last one closed by 等 (or 、 ending the run).
_ITEM_CHARS = "\u4e00-\u9fffA-Za-z0-9·&"
_LIST = re.compile(rf"(?:[{_ITEM_CHARS}]{{1,12}}、)+[{_ITEM_CHARS}]{{1,12}}?(?=等|$|[^{_ITEM_CHARS}])")
_LIST_TYPES = ("ORG", "GPE", "LOC", "PERSON")
_ITEM = re.compile(r"[\u4e00-\u9fff][\u4e00-\u9fff·]{1,7}")


def coordinated_names(text: str, found: Sequence[tuple[int, int, str]], is_common: Callable[[str], bool]
                      ) -> list[tuple[int, int, str]]:
    """(start, end, type) for list items between two marks (or a mark and 等) that are no name yet, in
    lists where another item is a name found as a whole (`found`: start, end, type); an item the
    dictionary knows as a common word (经济、贸易) is not taken. All-Han items of 2-8 characters."""
    exact = {(start, end): label for start, end, label in found}
    covered = sorted((start, end) for start, end, _ in found)
    new: list[tuple[int, int, str]] = []
    for m in _LIST.finditer(text):
        items = split_spans(text, m.start(), m.end(), "、")
        types = Counter(exact[item] for item in items if exact.get(item) in _LIST_TYPES)
        if len(types) != 1:
            continue  # no name in the list, or names of two kinds
        label = next(iter(types))
        closed_by_etc = text.startswith("等", m.end())
        for index, (start, end) in enumerate(items):
            last = index == len(items) - 1
            if index == 0 or (last and not closed_by_etc) or (start, end) in exact:
                continue
            item = text[start:end]
            if not _ITEM.fullmatch(item) or is_common(item) or any(s < end and start < e for s, e in covered):
                continue
            new.append((start, end, label))
    return new
