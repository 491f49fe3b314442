"""One answer from question to message, for /ask, chat and the context menu: resolve a follow-up
against its conversation, build the answer off the event loop, compose the message (the topic
assumed, the quotes, the pager and the feedback buttons), remember the conversation and record
what was answered."""
from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

import discord

from bot.answering.answers import Answer
from bot.asking_more import Asked
from bot.conversation import Resolution, answer_resolved, pointed_entities, quote_entities, resolve
from bot.discord.feedback import feedback_buttons, feedback_view, new_answer_id
from bot.discord.views import Pager, first_page
from bot.render.discord_embeds import answer_embeds, not_found_text
from bot.render.limits import ANSWER_PAGES, CONTENT_MAX
from bot.render.pages import Pages
from bot.render.replies import more_shown, step_shown, topic_assumed
from bot.store.records import AnswerRecord, GuildSettings
from bot.timeline_steps import quoted_dates
from index.dates.spans import DateSpan
from index.engine import Index
from index.text.cut import cut

log = logging.getLogger(__name__)


@dataclass
class Reply:
    question: str
    answer: Answer
    resolution: Resolution
    index: Index              # the snapshot that answered (its corpus version is recorded)
    id: str
    dates: tuple[DateSpan, ...] = ()   # what the answer quoted of the timeline (``timeline_steps.quoted_dates``)

    @property
    def about(self) -> str | None:
        """The line above the answer: the topic assumed, or the question whose next quotes these are."""
        topic, continues = self.resolution.topic, self.resolution.continues
        if topic:
            return topic_assumed(topic.name)
        if self.resolution.step is not None and self.answer.answered:
            return step_shown(self.resolution.step, continues.dates)
        if continues and self.answer.answered:
            return more_shown(continues)
        return None


def _resolve_and_answer(index: Index, question: str, remembered: list[str], last: Asked | None, page: int
                        ) -> tuple[Resolution, Answer, tuple[DateSpan, ...]]:
    """Up to ANSWER_PAGES pages of ``page`` quotes: those after the first page only while they are
    about the question (the pager's pages and "tell me more" end at the same quote); and the
    dates a step along the timeline would go on from (its first page's: the pager holds the rest)."""
    resolution = resolve(index.tokenizer, index.corpus.entity_by_id, question, remembered,
                         pointed_entities(index, question), index.names_as_read, last)
    answer = answer_resolved(index, resolution, page * ANSWER_PAGES, first_page=page)
    return resolution, answer, quoted_dates(index, answer, page, walked=resolution.step is not None)


class Replier:
    def __init__(self, bot):
        self.bot = bot

    async def prepare(self, question: str, key: str | None) -> Reply:
        """Read the question in its conversation and search, on a worker thread (reading a
        5,000-character question takes milliseconds), on the snapshot current when it arrived."""
        index = self.bot.live.current
        remembered = self.bot.conversations.entities(key) if key else []
        last = self.bot.conversations.last(key) if key else None
        page = self.bot.config.quotes_per_answer
        resolution, answer, dates = await asyncio.to_thread(_resolve_and_answer, index, question, remembered, last,
                                                            page)
        return Reply(question, answer, resolution, index, new_answer_id(), dates)

    def message(self, reply: Reply, owner_id: int) -> tuple[dict, Pager | None]:
        """The keyword arguments of the message, and its pager (when there is more than a page)."""
        answer, about = reply.answer, reply.about
        if not answer.answered:
            text = not_found_text(answer, reply.question)
            content = cut(f"{about}\n{text}", CONTENT_MAX) if about else text
            if answer.chat:   # a greeting: nothing was looked up, nothing to vote on
                return {"content": content}, None
            return {"content": content, "view": feedback_view(reply.id)}, None
        pages = Pages(answer.quotes, self.bot.config.quotes_per_answer,
                      lambda quotes, _page, _count: answer_embeds(answer, quotes))
        embeds, pager = first_page(owner_id, pages)
        kwargs: dict = {"embeds": embeds}
        if about:
            kwargs["content"] = about
        if pager is None:
            kwargs["view"] = feedback_view(reply.id)
            return kwargs, None
        for item in feedback_buttons(reply.id):
            pager.add_item(item)
        kwargs["view"] = pager
        return kwargs, pager

    def remember(self, reply: Reply, key: str) -> None:
        """The conversation's entities after this answer (before it is sent: a quick follow-up
        must find them)."""
        top = quote_entities(reply.index.tokenizer, reply.answer)
        # a request for more (a step along the timeline) moves on by the page shown first (the pager holds the rest)
        self.bot.conversations.remember(key, reply.resolution, top, reply.answer, self.bot.config.quotes_per_answer,
                                        reply.dates)

    def link(self, message_id: int | None, key: str) -> None:
        """A reply to this answer message continues its conversation."""
        if message_id is not None:
            self.bot.conversations.link(message_id, key)

    async def record(self, reply: Reply, *, via: str, guild_id: int | None, channel_id: int | None, user_id: int,
                     settings: GuildSettings | None) -> None:
        """Store what was answered; the question and its asker only where the server logs questions."""
        if reply.answer.chat:
            return   # a greeting or thanks is not a question the sources could not answer
        logged = settings is not None and settings.log_questions
        topic = reply.resolution.topic
        entities = ([topic.id] if topic else []) + list(reply.resolution.entities)
        await self.bot.store.record_answer(AnswerRecord(
            id=reply.id, created_at=self.bot.store.clock(), guild_id=guild_id, channel_id=channel_id, via=via,
            corpus_hash=reply.index.corpus.content_hash, passage_ids=tuple(q.passage_id for q in reply.answer.quotes),
            declined=not reply.answer.answered, topic=topic.id if topic else None,
            entities=tuple(dict.fromkeys(entities)),
            top_quote=reply.answer.quotes[0].text if reply.answer.quotes else None,
            question=reply.question if logged else None, user_id=user_id if logged else None))


def conversation_key(channel, in_dm: bool, referenced: int | None, memory) -> str | None:
    """The conversation a question continues: its DM, its thread, or the answer it replies to."""
    if in_dm:
        return f"dm:{channel.id}"
    if isinstance(channel, discord.Thread):
        return f"thread:{channel.id}"
    if referenced is not None:
        return memory.conversation_of(referenced)
    return None
