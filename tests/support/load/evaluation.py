"""Evaluating a finished load run: every action checked, every answer traced to its snapshot.

An answer shows its snapshot's tag (``SNAP00``...) in each quote's footer and note, and a "not
in my sources" reply lists that snapshot's titles (``tests.support.load.versions``). An answer
with two tags, a marker quote under a tag whose corpus has no marker, or a list of titles of the
wrong version is "mixed"; one whose tag was not being served at some moment between the
question and the reply (or was never valid) is "stale", and mixed too. Also checked: the
initial response within Discord's 3 s window, paging by the asker only, reloads accepted or
refused as they should be (a refusal pointing at ``file:line``), and the flooders' cooldowns.
"""
from __future__ import annotations

import logging
import re
import time
from pathlib import Path
from typing import TYPE_CHECKING

from bot.render.safe_text import escape
from tests.support.fake_discord.records import (
    CB_CHANNEL_MESSAGE,
    CB_DEFERRED_CHANNEL_MESSAGE,
    CB_UPDATE_MESSAGE,
    Callback,
)
from tests.support.load.report import ACK_WINDOW, Action, Report
from tests.support.load.versions import MARKER_QUESTION, MARKER_WORD, TAG_RE, Version

if TYPE_CHECKING:  # load_scenario runs the evaluation
    from tests.support.load.scenario import LoadRun

FILE_LINE = re.compile(r"`corpus(?:/[\w.-]+)*:\d+: ")


def message_text(message: dict) -> str:
    parts = [message.get("content") or ""]
    for e in message.get("embeds") or []:
        parts += [e.get("title") or "", e.get("description") or "", (e.get("footer") or {}).get("text", "")]
        parts += [f"{f.get('name', '')} {f.get('value', '')}" for f in e.get("fields", [])]
    return "\n".join(parts)


def classify(message: dict) -> str:
    text = message_text(message)
    if message.get("embeds"):
        return "quotes"
    if "Try again in" in text:
        return "cooldown warning"
    if "Still cooling down" in text:
        return "still cooling down"
    if "Not in my sources" in text:
        return "not in my sources"
    if "Please ask a question" in text or "Ask me a question" in text:
        return "asked to ask"
    return "other"


def tags_of(message: dict) -> set[str]:
    return {f"SNAP{m}" for m in TAG_RE.findall(message_text(message))}


def _peak_rss() -> int | None:
    """The process' peak resident set size in bytes (Linux), else None."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return None


class Evaluation:
    """Checks the actions of a finished ``run`` and counts what went wrong in ``report``."""

    def __init__(self, run: LoadRun) -> None:
        self.run = run
        self.report = Report(run.cfg, run.actions, cooldown_rate=run.cooldown_rate)
        # when a follow-up or a reply was sent: the fake records the request that created it
        self._followup_at: dict[str, float] = {}
        self._reply_at: dict[int, float] = {}
        for r in run.fake.rest.requests:
            if r.method != "POST":
                continue
            if r.path.startswith("/webhooks/"):
                self._followup_at.setdefault(r.path.split("/")[3], r.at)
            elif r.path.endswith("/messages") and isinstance(r.json, dict) and r.json.get("message_reference"):
                self._reply_at.setdefault(int(r.json["message_reference"]["message_id"]), r.at)

    def evaluate(self, records: list[logging.LogRecord], loop_errors: list[str]) -> Report:
        """Check every action; ``records``: the WARNING+ log records of the run."""
        report = self.report
        run = self.run
        for a in run.actions:
            a.problem = self._evaluate_interaction(a) if a.ix is not None else self._evaluate_mention(a)
        self._check_flooders()
        for rec in records:
            report.errors.append(f"{rec.levelname} {rec.name}: {rec.getMessage()[:300]}")
        report.errors += loop_errors
        report.errors += [f"fake Discord: {e!r}" for e in run.fake.rest.handler_errors]
        report.errors += [f"unknown route {r.method} {r.path}" for r in run.fake.rest.unknown_requests]
        report.big = dict(run.big)
        report.peak_rss = _peak_rss()
        if run.running is not None:
            report.errors += [f"discord.py: {r.getMessage()}" for r in run.running.errors
                              if r not in records]
        return report

    def _check_flooders(self) -> None:
        """Each flooder gets exactly its cooldown budget of answers and one warning."""
        report, run = self.report, self.run
        flooders = {a.user.id for a in run.actions if a.flooder}
        for uid in flooders:
            mine = [a for a in run.actions if a.user.id == uid and a.kind in ("ask", "mention")]
            warnings = sum(a.outcome == "cooldown warning" for a in mine)
            answers = sum(a.outcome in ("quotes", "not in my sources", "asked to ask") for a in mine)
            report.flooder_warnings[uid], report.flooder_answers[uid] = warnings, answers
            if warnings != (1 if len(mine) > run.cooldown_rate else 0):
                mine[-1].problem = mine[-1].problem or f"a flooder got {warnings} cooldown warnings"
            if answers != min(len(mine), run.cooldown_rate):
                mine[-1].problem = mine[-1].problem or (
                    f"a flooder got {answers} answers for {len(mine)} questions (cooldown {run.cooldown_rate})")

    def _allowed(self, start: float, end: float) -> set[str]:
        """Tags of the corpus versions served at some moment in [start, end]."""
        return {v.tag for since, until, v in self.run.served if since <= end and (until is None or until >= start)}

    def _version(self, tag: str) -> Version | None:
        return next((v for v in self.run.versions if v.tag == tag), None)

    def _check_answer(self, a: Action, message: dict, end: float) -> str | None:
        kind = classify(message)
        a.outcome = kind
        tags = tags_of(message)
        if kind in ("quotes", "not in my sources"):
            if len(tags) != 1:
                self.report.mixed += 1
                return f"mixed answer: tags {sorted(tags)}"
            a.tag = tag = next(iter(tags))
            version = self._version(tag)
            if tag not in self._allowed(a.sent_at, end) or version is None or version.fault:
                self.report.stale += 1
                self.report.mixed += 1
                return f"answer from {tag}, not a snapshot served during the question"
            quoted = any(MARKER_WORD in (e.get("description") or "").replace("*", "").lower()
                         for e in message.get("embeds") or [])
            if a.question == MARKER_QUESTION and quoted != version.marker:
                self.report.mixed += 1
                return f"marker quote {'present' if quoted else 'absent'} in an answer tagged {tag}"
            if kind == "not in my sources":
                rest = message_text(message).split("I know about: ", 1)[-1]
                expected = "; ".join(f"*{escape(t)}*" for t in version.titles)
                listed, whole = (rest.split(".\n", 1)[0], True) if ".\n" in rest else (rest.removesuffix(" …"), False)
                if listed != expected if whole else not expected.startswith(listed.rstrip()):
                    self.report.mixed += 1
                    return f"the sources listed are not those of {tag}: {listed[:200]}"
        elif tags:
            return f"unexpected snapshot tags in a {kind} reply"
        if kind in ("cooldown warning", "still cooling down") and not a.flooder:
            return "an ordinary user was cooled down"
        if kind == "other":
            return f"unexpected reply: {message_text(message)[:200]!r}"
        return None

    def _evaluate_interaction(self, a: Action) -> str | None:
        ix = a.ix
        assert ix is not None
        cb = ix.response
        if cb is None:
            self.report.late += 1
            return "no initial response within the 3 s window"
        a.first = cb.at - ix.created_at
        if a.first > ACK_WINDOW:
            self.report.late += 1
            return f"initial response after {a.first:.2f} s"
        if a.kind == "click":
            return self._evaluate_click(a, cb)
        if cb.type == CB_DEFERRED_CHANNEL_MESSAGE:
            if not ix.followups:
                return "deferred, then never followed up"
            message = ix.followups[0]
            end = self._followup_at.get(ix.token, time.monotonic())
        else:
            message = ix.original or {"content": cb.data.get("content"), "embeds": cb.data.get("embeds")}
            end = cb.at
        if a.kind == "reload":
            return self._check_reload(a, message)
        if a.kind == "pretend":
            return self._check_pretend(a, message)
        return self._check_answer(a, message, end)

    def _evaluate_click(self, a: Action, cb: Callback) -> str | None:
        """A "More results" click: the asker's turns the page in place, anyone else's is refused."""
        own = cb.type == CB_UPDATE_MESSAGE
        refused = cb.type == CB_CHANNEL_MESSAGE and "Only the person who asked" in (cb.data.get("content") or "")
        a.outcome = "page turned" if own else "paging refused" if refused else "other"
        if a.expect_own and not own:
            return f"the asker could not turn the page: {cb.type} {cb.data}"
        if not a.expect_own and not refused:
            return f"someone else turned the asker's page: {cb.type}"
        if own:
            tags = tags_of(cb.data)
            if tags != {a.origin_tag}:
                self.report.mixed += 1
                return f"page 2 of an answer tagged {a.origin_tag} shows {sorted(tags)}"
        return None

    def _check_pretend(self, a: Action, message: dict) -> str | None:
        a.outcome = "refused" if "moderators only" in message_text(message) else "other"
        if a.outcome == "refused":
            self.report.pretenders_refused += 1
            return None
        return "a member without Manage Server could reload"

    def _check_reload(self, a: Action, message: dict) -> str | None:
        text = a.detail = message_text(message)
        assert a.version is not None
        if a.version.fault is None:
            a.outcome = "reloaded" if "Reloaded in" in text else "other"
            if a.outcome == "reloaded":
                self.report.reloads_done += 1
                return None
            return f"a valid corpus was refused: {text[:300]}"
        a.outcome = "refused" if "still serving the previous corpus" in text else "other"
        if a.outcome != "refused":
            return f"a broken corpus ({a.version.fault}) was not refused: {text[:300]}"
        self.report.reloads_refused += 1
        if not FILE_LINE.search(text):
            return f"the refusal of a broken corpus ({a.version.fault}) has no file:line: {text[:300]}"
        return None

    def _evaluate_mention(self, a: Action) -> str | None:
        assert a.message_id is not None
        reply = self.run.reply_to(a.message_id)
        if reply is None:
            a.outcome = "silenced"
            return None if a.flooder else "never answered"
        end = self._reply_at.get(a.message_id, time.monotonic())
        a.first = end - a.sent_at
        return self._check_answer(a, reply, end)
