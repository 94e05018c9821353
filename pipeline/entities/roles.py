"""Roles stated next to a person: TikTok美国电商总经理Sandie Hawkins -> "general manager of
TikTok's US e-commerce business". English only when every part of the role is known."""

from __future__ import annotations

import re

from .gazetteer import Gazetteer
from .vocabulary import EntityVocabulary


def role_of(
    text: str,
    person_start: int,
    vocabulary: EntityVocabulary,
    gazetteer: Gazetteer,
    known_orgs: dict[str, str] | None = None,
) -> tuple[str | None, str | None]:
    """The role stated right before a person: TikTok美国电商总经理Sandie Hawkins."""
    left = text[max(0, person_start - 40) : person_start]
    left = re.split(r"[，,。；;：:！？!?\n、]", left)[-1].rstrip()
    m = re.search(rf"({vocabulary.title_pattern})(兼\s?[A-Za-z\u4e00-\u9fff]+)?的?$", left)
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
        entry_match = _trailing_entity(piece, known_orgs or {}, gazetteer)
        if entry_match:
            form, english = entry_match
            parts.append(("org", english))
            position -= len(form)
            continue
        scope = next((w for w in sorted(vocabulary.role_scopes, key=len, reverse=True) if piece.endswith(w)), None)
        if scope:
            parts.append((vocabulary.role_scopes[scope][1], vocabulary.role_scopes[scope][0]))
            position -= len(scope)
            continue
        if piece.endswith(("与", "和", "的")):
            position -= 1
            continue
        marker = next((w for w in vocabulary.former_markers if piece.endswith(w)), None)
        former = marker is not None  # 曾担任/前: the English says "former"; the role text omits it
        break
    role_text = head[position:] + title
    role_text = role_text.lstrip("与和的")
    if not any(kind == "org" for kind, _ in parts) and not parts:
        return role_text, ("former " if former else "") + vocabulary.titles[title]
    return role_text, _role_english(vocabulary.titles[title], list(reversed(parts)), former)

def _trailing_entity(piece: str, known_orgs: dict[str, str], gazetteer: Gazetteer) -> tuple[str, str] | None:
    for length in range(min(20, len(piece)), 1, -1):
        form = piece[-length:]
        if form in known_orgs:
            return form, known_orgs[form]
        entry = gazetteer.lookup(form)
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
