"""The short replies the Discord cogs send, as text (markdown, safe to send as is)."""
from __future__ import annotations

from collections.abc import Callable, Sequence

from bot.render.discord_embeds import entry_line
from bot.render.limits import CONTENT_MAX, QUERY_SHOWN
from bot.render.safe_text import escape, safe
from index.corpus.model import TimelineEntry
from index.text.cut import cut

ASK_EMPTY = "Please ask a question, e.g. `/ask Who was John Rabe?`"
MENTION_EMPTY = ("Ask me a question about the Nanking Massacre, e.g. “Who was John Rabe?”. "
                 "Type `/help` for commands.")
STILL_COOLING = "Still cooling down."
SORRY = "Something went wrong on my side; it has been logged. Please try again."
NOT_HERE = "You can't use this command here."
ONLY_THE_ASKER = "Only the person who asked can page these results. Ask your own with `/ask`."


def cooldown_text(wait: float, warn: bool) -> str:
    """The one friendly warning of a cooldown window; "" for the silence after it."""
    return f"You're asking quickly. Try again in {wait:.0f} s." if warn else ""


def timeline_not_found(query: str | None, error: str | None, suggestions: Sequence[TimelineEntry],
                       title_of: Callable[[str], str]) -> str:
    """Why nothing matched a timeline query, the nearest entries, and what to try."""
    lines = [escape(error) if error else f"No timeline entry matches “{safe(query or '', QUERY_SHOWN)}”."]
    if suggestions:
        lines.append("Nearest dates:")
        lines += [entry_line(e, title_of(e.source_id)) for e in suggestions]
    lines.append("Try a date such as `Dec 13`, `December 1937`, `1946`, or words such as `safety zone`.")
    return cut("\n".join(lines), CONTENT_MAX)


def synced_text(names: Sequence[str], scope: str) -> str:
    return f"Synced {len(names)} commands ({scope})."
