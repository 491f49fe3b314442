"""The short replies the Discord cogs send, as text (markdown, safe to send as is)."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from bot.render.discord_embeds import entry_line
from bot.render.labels import timeline_hint
from bot.render.limits import CONTENT_MAX, QUERY_SHOWN, THREAD_NAME_MAX, TOPIC_SHOWN
from bot.render.safe_text import defuse, escape, safe
from bot.timeline_steps import step_line
from index.corpus.model import TimelineEntry
from index.dates.spans import DateSpan
from index.text.cut import cut
from index.text.verbatim import normalize_ws

if TYPE_CHECKING:
    from bot.asking_more import Asked
    from bot.store.records import GuildSettings

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
    lines.append(timeline_hint(lambda example: f"`{example}`") + ".")
    return cut("\n".join(lines), CONTENT_MAX)


def synced_text(names: Sequence[str], scope: str) -> str:
    return f"Synced {len(names)} commands ({scope})."


# Conversations, feedback, and the commands over what the bot stores
VOTE_UP, VOTE_DOWN = "👍", "👎"
NO_TEXT_TO_ASK = "That message has no text I can ask about."
REASON_PROMPT = f"Noted {VOTE_DOWN}. What was wrong? (optional, helps the moderators fix the sources)"
PICK_A_REASON = "Please pick one of the listed reasons."
VOTE_UP_SAVED = f"Thanks: your {VOTE_UP} is saved. You can change it any time."
VOTE_NOT_SAVED = "Sorry, I couldn't save your vote right now; please try later."
REASON_NOT_SAVED = "Sorry, I couldn't save that right now; please try later."
RECORDS_UNREADABLE = "Sorry, I can't read the stored records right now."
SETTINGS_NOT_SAVED = "Sorry, I couldn't save the settings right now; nothing changed."
FORGET_FAILED = "Sorry, I couldn't delete your data right now; please try again later."
NAME_CHANNELS = "Name channels as #channel mentions (or `all` for every channel)."


def topic_assumed(name: str) -> str:
    """The line above an answer to a follow-up: which topic the bot took from the conversation."""
    return f"*About **{safe(name, TOPIC_SHOWN)}** (from earlier in this conversation).*"


def more_shown(asked: Asked) -> str:
    """The line above the next quotes of a question, shown for a request for more."""
    return f"*More on “{safe(asked.question, QUERY_SHOWN)}”: its quotes after the first {asked.shown}.*"


def step_shown(direction: str, dates: Sequence[DateSpan]) -> str:
    """The line above a step along the timeline ("what happened next?")."""
    return f"*{escape(step_line(direction, dates))}*"


def thread_name(question: str) -> str:
    """A thread named after the question (plain text: a thread name renders no markdown)."""
    return cut(defuse(normalize_ws(question)), THREAD_NAME_MAX)


def reason_saved(label: str) -> str:
    return f"Thanks: your {VOTE_DOWN} and its reason (“{escape(label)}”) are saved."


def forgotten_text(votes: int, questions: int) -> str:
    return f"Done: deleted {votes} votes and {questions} logged questions of yours."


def not_channels_text(channel_ids: Sequence[int]) -> str:
    return "These are not channels of this server: " + ", ".join(f"<#{i}>" for i in channel_ids)


def stricter_cooldown_text(rate: int, seconds: float) -> str:
    return (f"A server's cooldown can only be stricter than the global one: at most {rate} "
            f"questions per at least {seconds:g} s.")


def settings_text(s: GuildSettings, rate: int, per: float, saved: bool) -> str:
    """A server's settings, with the global cooldown they narrow."""
    channels = ("every channel" if s.mention_channels is None
                else ", ".join(f"<#{c}>" for c in sorted(s.mention_channels)))
    own_per = s.cooldown_seconds if s.cooldown_seconds is not None else per
    return (f"{'Settings saved.' if saved else 'Settings of this server:'}\n"
            f"**Mentions answered in:** {channels}\n"
            f"**Thread mode** (answers open a thread for follow-ups): {'on' if s.thread_mode else 'off'}\n"
            f"**Question logging:** {'on' if s.log_questions else 'off'} (records kept {s.retention_days} days)\n"
            f"**Cooldown per user:** {s.cooldown_rate or rate} questions per {own_per:g} s "
            f"(global: {rate} per {per:g} s)")
