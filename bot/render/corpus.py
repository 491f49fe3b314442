"""What /corpus says: the private preview of a proposed change, its outcome, the versions and
what one changed. Text from an upload or the corpus is escaped; everything fits a message."""
from __future__ import annotations

from collections.abc import Sequence

from bot.corpusedit.proposals import Proposal
from bot.render.limits import CHOICE_CHARS_MAX, CONTENT_MAX
from bot.render.reload import counts_text
from bot.render.safe_text import code, defuse, escape
from index.corpus.errors import CorpusError
from index.corpus.versions import Version
from index.live import ReloadReport
from index.text.cut import cut
from index.text.verbatim import normalize_ws

ISSUES_SHOWN = 15           # file:line issues listed when a change would break the corpus
TIMELINE_SHOWN = 8          # proposed timeline entries listed in a preview
CLUTTER_SHOWN = 10          # blocks proposed as clutter listed in a preview
ONLY_THE_AUTHOR = "Only the moderator who made this preview can confirm or cancel it."
CONFIRM_HINT = "**Confirm** writes a new corpus version and puts it live; **Cancel** changes nothing."


def _short(text: str, limit: int) -> str:
    return escape(cut(normalize_ws(text), limit))


def error_text(exc: Exception) -> str:
    """Why nothing changed: the corpus issues as ``file:line: message``, or the reason."""
    if isinstance(exc, CorpusError):
        issues = [str(i) for i in exc.issues] or [str(exc)]
        more = [f"…and {len(issues) - ISSUES_SHOWN} more"] if len(issues) > ISSUES_SHOWN else []
        lines = ["**Not changed: the corpus would not be valid.**", *(code(i) for i in issues[:ISSUES_SHOWN]), *more]
        return cut("\n".join(lines), CONTENT_MAX)
    return cut(f"**Not changed:** {defuse(str(exc))}", CONTENT_MAX)  # our own messages: no markdown to escape


def unavailable_text(reason: str | None) -> str:
    return cut(f"Corpus versions are not available here: {escape(reason or 'unknown reason')}", CONTENT_MAX)


def no_source_text(target: str) -> str:
    return cut(f"There is no source {code(target)}: pick one from the list.", CONTENT_MAX)


def cancelled_text(title: str) -> str:
    return cut(f"Cancelled: {title}. Nothing changed.", CONTENT_MAX)


def writing_text(title: str) -> str:
    return cut(f"Writing: {title}…", CONTENT_MAX)


def _timeline_lines(entries: Sequence[dict]) -> list[str]:
    lines = [f"Proposed timeline entries ({len(entries)}):"]
    for e in entries[:TIMELINE_SHOWN]:
        inferred = ", year inferred" if e.get("year_inferred") else ""
        lines.append(f"• {e['date']} ({_short(e['date_text'], 60)}{inferred}): {_short(e['text'], 90)}")
    if len(entries) > TIMELINE_SHOWN:
        lines.append(f"• …and {len(entries) - TIMELINE_SHOWN} more")
    return lines


def preview_text(p: Proposal, note: str = "") -> str:
    """The whole preview, uncut (the cog attaches it as a file when it is longer than a message);
    ``note`` goes first (why a fresh preview is shown)."""
    lines = [f"**Preview: {p.title}** (on version `{p.base.short}`)",
             f"Before: {counts_text(p.before)}", f"After: {counts_text(p.after)}"]
    if p.first_passages:
        lines.append("First passages:")
        lines += [f"> {_short(t, 160)}" for t in p.first_passages]
    if p.timeline:
        lines += _timeline_lines(p.timeline)
    warnings = [escape(w) for w in p.warnings]
    if p.removed:
        listed = "; ".join(f"[{r.reason}] {_short(r.text, 60)}" for r in p.removed[:CLUTTER_SHOWN])
        more = f"; …and {len(p.removed) - CLUTTER_SHOWN} more" if len(p.removed) > CLUTTER_SHOWN else ""
        warnings.insert(0, f"{len(p.removed)} blocks proposed as clutter and left out: {listed}{more}")
    if warnings:
        lines.append("Warnings:")
        lines += [f"• {w}" for w in warnings]
    lines.append(CONFIRM_HINT)
    return defuse(note + "\n".join(lines))


def stale_note(current: Version) -> str:
    """Said before a fresh preview when another version was written since the first one."""
    return (f"**The corpus changed since that preview** (now version `{current.short}` by "
            f"{escape(current.author)}: {escape(current.summary)}). Nothing was written. A fresh preview:\n\n")


def live_text(version: Version, title: str, report: ReloadReport) -> str:
    status = (f"After: {counts_text(report.after)}" if report.ok else
              "but the reload failed: " + "; ".join(report.errors[:3]))
    return cut(defuse(f"Version `{version.short}` is live ({title}). {status}"), CONTENT_MAX)


def history_text(versions: Sequence[Version]) -> str:
    lines = [f"`{v.short}` {v.when[:16].replace('T', ' ')} **{escape(v.author)}** — {escape(v.summary)}"
             for v in versions]
    return cut("**Corpus versions** (newest first)\n" + "\n".join(lines), CONTENT_MAX)


def diff_reply(diff: str) -> tuple[str, bool]:
    """(the message, whether the whole diff goes as an attached file): a short diff in a code
    block; a long one's first line, the rest attached."""
    if len(diff) <= CONTENT_MAX - 100:
        return "```\n" + defuse(diff.replace("```", "ˋˋˋ")) + "```", False
    head = escape(diff.split("\n", 1)[0])
    return cut(f"{head}\nThe changes are in the attached file.", CONTENT_MAX), True


def version_choice(v: Version) -> str:
    """A version as an autocomplete choice's label."""
    return cut(normalize_ws(f"{v.short} {v.author}: {v.summary}"), CHOICE_CHARS_MAX)
