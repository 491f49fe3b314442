"""A proposal as text for the private preview (markdown-light; the cog escapes what needs it)."""
from __future__ import annotations

from typing import Callable

from bot.corpusedit.proposals import Proposal

__all__ = ["render_counts", "render_preview"]


def render_counts(c: dict[str, int]) -> str:
    return f"{c.get('sources', 0)} sources, {c.get('passages', 0)} passages, {c.get('timeline', 0)} timeline entries"


def _short(text: str, n: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1].rsplit(" ", 1)[0] + "…"


def render_preview(p: Proposal, esc: Callable[[str], str] = lambda s: s) -> str:
    """The preview; ``esc`` escapes text that comes from the upload or the corpus."""
    lines = [f"**Preview: {p.title}** (on version `{p.base.short}`)",
             f"Before: {render_counts(p.before)}", f"After: {render_counts(p.after)}"]
    if p.first_passages:
        lines.append("First passages:")
        lines += [f"> {esc(_short(t))}" for t in p.first_passages]
    if p.timeline:
        lines.append(f"Proposed timeline entries ({len(p.timeline)}):")
        for e in p.timeline[:8]:
            inferred = ", year inferred" if e.get("year_inferred") else ""
            lines.append(f"• {e['date']} ({esc(e['date_text'])}{inferred}): {esc(_short(e['text'], 90))}")
        if len(p.timeline) > 8:
            lines.append(f"• …and {len(p.timeline) - 8} more")
    warnings = list(p.warnings)
    if p.removed:
        listed = "; ".join(f"[{r.reason}] {esc(_short(r.text, 60))}" for r in p.removed[:10])
        more = f"; …and {len(p.removed) - 10} more" if len(p.removed) > 10 else ""
        warnings.insert(0, f"{len(p.removed)} blocks proposed as clutter and left out: {listed}{more}")
    if warnings:
        lines.append("Warnings:")
        lines += [f"• {w}" for w in warnings]
    lines.append("**Confirm** writes a new corpus version and puts it live; **Cancel** changes nothing.")
    return "\n".join(lines)
