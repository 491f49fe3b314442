"""👍 / 👎 under every answer, and a reason for a 👎: persistent, so they work after a restart.

The answer's id is in each component's ``custom_id`` (``fb:<answer id>:up``); the bot registers
``FeedbackButton`` and ``ReasonSelect`` with ``add_dynamic_items`` at start, and discord.py routes
any click whose ``custom_id`` matches to them, whatever message or process sent it. Messages carry
*static* copies of these components (rendered, never stored in discord.py's view store): a view
holding a DynamicItem unregisters its template when the view times out, which would silence the
buttons of every other answer.
"""
from __future__ import annotations

import asyncio
import logging
import secrets

import discord

from bot.render.replies import (
    PICK_A_REASON,
    REASON_NOT_SAVED,
    REASON_PROMPT,
    VOTE_DOWN,
    VOTE_NOT_SAVED,
    VOTE_UP,
    VOTE_UP_SAVED,
    reason_saved,
)
from bot.store.records import REASONS

log = logging.getLogger(__name__)
ACK_WITHIN = 1.5   # seconds: Discord wants an answer within 3; a slow store gets a deferral first


async def _save(interaction: discord.Interaction, saving, update: bool = False) -> tuple[bool, bool]:
    """Run the store call; defer the response if it is slow. Returns (saved, deferred)."""
    task = asyncio.ensure_future(saving)
    done, _ = await asyncio.wait({task}, timeout=ACK_WITHIN)
    if not done:
        if update:
            await interaction.response.defer()
        else:
            await interaction.response.defer(ephemeral=True, thinking=True)
    return await task, not done


def new_answer_id() -> str:
    return secrets.token_hex(8)


class StaticButton(discord.ui.Button):
    """A button that is only rendered; its clicks go to the registered DynamicItem."""

    def is_dispatchable(self) -> bool:
        return False


class StaticSelect(discord.ui.Select):
    def is_dispatchable(self) -> bool:
        return False


def feedback_buttons(answer_id: str, row: int = 1) -> list[discord.ui.Item]:
    return [StaticButton(emoji=emoji, style=discord.ButtonStyle.secondary, custom_id=f"fb:{answer_id}:{vote}", row=row)
            for emoji, vote in ((VOTE_UP, "up"), (VOTE_DOWN, "down"))]


def reason_select(answer_id: str) -> StaticSelect:
    options = [discord.SelectOption(label=label, value=value) for value, label in REASONS.items()]
    return StaticSelect(custom_id=f"fbr:{answer_id}", placeholder="Why? (optional)", options=options)


def feedback_view(answer_id: str) -> discord.ui.View:
    """The components of an answer that has no pager."""
    view = discord.ui.View(timeout=None)
    for item in feedback_buttons(answer_id, row=0):
        view.add_item(item)
    return view


class FeedbackButton(discord.ui.DynamicItem[discord.ui.Button],
                     template=r"fb:(?P<answer>[0-9a-f]{16}):(?P<vote>up|down)"):
    def __init__(self, answer_id: str, vote: str):
        emoji = VOTE_UP if vote == "up" else VOTE_DOWN
        super().__init__(discord.ui.Button(emoji=emoji, custom_id=f"fb:{answer_id}:{vote}"))
        self.answer_id, self.vote = answer_id, vote

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Item, match, /):
        return cls(match["answer"], match["vote"])

    async def callback(self, interaction: discord.Interaction) -> None:
        value = 1 if self.vote == "up" else -1
        store = interaction.client.store
        saved, deferred = await _save(interaction, store.vote(self.answer_id, interaction.user.id, value))
        log.info("vote answer=%s value=%+d saved=%s", self.answer_id, value, saved)
        kwargs: dict = {"ephemeral": True}
        if not saved:
            kwargs["content"] = VOTE_NOT_SAVED
        elif value > 0:
            kwargs["content"] = VOTE_UP_SAVED
        else:
            kwargs["content"], kwargs["view"] = REASON_PROMPT, discord.ui.View(timeout=None)
            kwargs["view"].add_item(reason_select(self.answer_id))
        if deferred:
            await interaction.followup.send(**kwargs)
        else:
            await interaction.response.send_message(**kwargs)


class ReasonSelect(discord.ui.DynamicItem[discord.ui.Select], template=r"fbr:(?P<answer>[0-9a-f]{16})"):
    def __init__(self, answer_id: str):
        options = [discord.SelectOption(label=v, value=k) for k, v in REASONS.items()]
        super().__init__(discord.ui.Select(custom_id=f"fbr:{answer_id}", options=options))
        self.answer_id = answer_id

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Item, match, /):
        return cls(match["answer"])

    async def callback(self, interaction: discord.Interaction) -> None:
        reason = self.item.values[0] if self.item.values else None
        if reason not in REASONS:
            await interaction.response.send_message(PICK_A_REASON, ephemeral=True)
            return
        saved, deferred = await _save(interaction, interaction.client.store.vote(
            self.answer_id, interaction.user.id, -1, reason), update=True)
        text = reason_saved(REASONS[reason]) if saved else REASON_NOT_SAVED
        if deferred:
            await interaction.edit_original_response(content=text, view=None)
        else:
            await interaction.response.edit_message(content=text, view=None)
