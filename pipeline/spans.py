"""A sorted index of non-overlapping character spans: which of them overlap a range is a binary
search, not a scan, so a long article (or a page of product codes) stays linear."""

from __future__ import annotations

import bisect
from typing import Generic, NamedTuple, Protocol, TypeVar


class HasSpan(Protocol):
    start: int
    end: int


class Interval(NamedTuple):
    start: int
    end: int


T = TypeVar("T", bound=HasSpan)


def split_spans(text: str, start: int, end: int, separator: str) -> list[tuple[int, int]]:
    """The (start, end) of each piece of `text[start:end]` between `separator`s, in text offsets."""
    pieces, position = [], start
    for piece in text[start:end].split(separator):
        pieces.append((position, position + len(piece)))
        position += len(piece) + len(separator)
    return pieces


def tiles(pieces: list[HasSpan], start: int, end: int) -> bool:
    """Whether two or more spans, in order, cover [start, end) exactly, end to end."""
    position = start
    for piece in pieces:
        if piece.start != position:
            return False
        position = piece.end
    return len(pieces) >= 2 and position == end


class SpanIndex(Generic[T]):
    """Items with `start`/`end` that never overlap, kept sorted by start (hence by end too)."""

    def __init__(self, items: list[T] | None = None) -> None:
        self.items: list[T] = []
        self._ends: list[int] = []
        for item in sorted(items or [], key=lambda i: i.start):
            self.add(item)

    def overlapping(self, start: int, end: int) -> list[T]:
        i = bisect.bisect_right(self._ends, start)  # the first item ending after `start`
        found = []
        while i < len(self.items) and self.items[i].start < end:
            found.append(self.items[i])
            i += 1
        return found

    def overlaps(self, start: int, end: int) -> bool:
        i = bisect.bisect_right(self._ends, start)
        return i < len(self.items) and self.items[i].start < end

    def add(self, item: T) -> None:
        """Add an item that overlaps none of the index's."""
        i = bisect.bisect_right(self._ends, item.start)
        self.items.insert(i, item)
        self._ends.insert(i, item.end)

    def remove(self, item: T) -> None:
        # Spans never overlap, so ends are sorted too: a binary search, not a scan of every item.
        i = bisect.bisect_left(self._ends, item.end)
        while i < len(self.items) and self.items[i] is not item and self._ends[i] == item.end:
            i += 1
        if i >= len(self.items) or self.items[i] is not item:
            i = self.items.index(item)  # an equal item that is not this object: as before
        del self.items[i], self._ends[i]
