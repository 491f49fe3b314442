"""A pager view: Previous / More buttons that only the asker can use, disabled on timeout.

Other components may share the message (the feedback buttons): they are rendered with the
pager and left as they are when it times out."""
from __future__ import annotations

from typing import Callable

import discord

PAGE_TIMEOUT = 300.0


class Pager(discord.ui.View):
    """Pages of embeds for one user. ``render(page)`` returns the embeds of a page."""

    def __init__(self, owner_id: int, pages: int, render: Callable[[int], list[discord.Embed]],
                 timeout: float = PAGE_TIMEOUT):
        super().__init__(timeout=timeout)
        self.owner_id, self.pages, self.render, self.page = owner_id, pages, render, 0
        self.message: discord.Message | None = None          # chat replies
        self.interaction: discord.Interaction | None = None  # slash-command replies
        self._sync_buttons()

    def _sync_buttons(self) -> None:
        self.previous.disabled = self.page == 0
        self.more.disabled = self.page >= self.pages - 1

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        if interaction.user.id != self.owner_id:
            await interaction.response.send_message(
                "Only the person who asked can page these results. Ask your own with `/ask`.",
                ephemeral=True, allowed_mentions=discord.AllowedMentions.none())
            return False
        return True

    async def _show(self, interaction: discord.Interaction, page: int) -> None:
        self.page = max(0, min(self.pages - 1, page))
        self._sync_buttons()
        await interaction.response.edit_message(embeds=self.render(self.page), view=self,
                                                allowed_mentions=discord.AllowedMentions.none())

    @discord.ui.button(label="Previous", style=discord.ButtonStyle.secondary)
    async def previous(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        await self._show(interaction, self.page - 1)

    @discord.ui.button(label="More results", style=discord.ButtonStyle.primary)
    async def more(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        await self._show(interaction, self.page + 1)

    async def on_timeout(self) -> None:
        # only the pager's own buttons: feedback buttons on the same message keep working
        for item in (self.previous, self.more):
            item.disabled = True
        try:
            if self.interaction is not None:
                await self.interaction.edit_original_response(view=self)
            elif self.message is not None:
                await self.message.edit(view=self, allowed_mentions=discord.AllowedMentions.none())
        except discord.HTTPException:
            pass  # the message is gone or the token expired: nothing left to disable
