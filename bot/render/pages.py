"""Pages built from items: a list, how many items a page holds, and how to render one page.

``/ask`` pages through quotes and ``/timeline`` through entries with the same ``Pages``; the
Discord view (``bot.discord.views.Pager``) only moves between page numbers.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")


@dataclass(frozen=True)
class Pages(Generic[T, R]):
    """``render(items_of_the_page, page_number, page_count)`` makes one page (0-based)."""

    items: Sequence[T]
    per_page: int
    render: Callable[[Sequence[T], int, int], R]

    def __post_init__(self) -> None:
        if self.per_page < 1:
            raise ValueError(f"per_page must be at least 1, not {self.per_page}")

    @property
    def count(self) -> int:
        """How many pages (at least one, even with no items)."""
        return max(1, -(-len(self.items) // self.per_page))

    def items_of(self, page: int) -> Sequence[T]:
        start = page * self.per_page
        return self.items[start:start + self.per_page]

    def show(self, page: int) -> R:
        """Page ``page`` (clamped to the pages there are), rendered."""
        page = max(0, min(self.count - 1, page))
        return self.render(self.items_of(page), page, self.count)
