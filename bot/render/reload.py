"""The report of a reload, for Discord and the console alike: counts in words, errors as
``file:line: message``."""
from __future__ import annotations

from bot.render.limits import CONTENT_MAX, RELOAD_ERRORS_SHOWN
from bot.render.safe_text import code
from index.live import ReloadReport
from index.text.cut import cut

# (key in Index.counts, singular, plural)
_COUNTED = (("sources", "source", "sources"), ("passages", "passage", "passages"),
            ("timeline", "timeline entry", "timeline entries"), ("entities", "entity", "entities"))


def counts_text(counts: dict[str, int]) -> str:
    """``3 sources, 42 passages, 10 timeline entries, 25 entities`` (what the counts hold)."""
    parts = [f"{counts[key]} {one if counts[key] == 1 else many}" for key, one, many in _COUNTED if key in counts]
    return ", ".join(parts) or "nothing loaded"


def reload_report(report: ReloadReport, markdown: bool = False) -> str:
    """What a moderator is told after ``/reload``; ``markdown`` for Discord (errors in code
    spans, the whole within a message's length), plain text for the console."""
    if report.ok:
        return (f"Reloaded in {report.seconds:.2f} s.\nBefore: {counts_text(report.before)}\n"
                f"After: {counts_text(report.after)}")
    shown = report.errors[:RELOAD_ERRORS_SHOWN]
    more = len(report.errors) - len(shown)
    tail = [f"…and {more} more"] if more > 0 else []
    if not markdown:
        return "\n".join([*shown, *tail, "Reload failed: still serving the previous corpus "
                                         f"({counts_text(report.before)})."])
    head = f"**Reload failed; still serving the previous corpus** ({counts_text(report.before)})."
    return cut("\n".join([head, *(code(e) for e in shown), *tail]), CONTENT_MAX)
