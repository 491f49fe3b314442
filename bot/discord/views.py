"""A pager view over ``Pages``: Previous / More buttons that only the asker can use, disabled
on timeout."""
from __future__ import annotations

import discord

from bot.render.limits import PAGE_TIMEOUT
from bot.render.pages import Pages
from bot.render.replies import ONLY_THE_ASKER

# Sends below rely on the client's allowed_mentions (AllowedMentions.none(), set in QuoteBot):
# discord.py merges it into interaction responses, follow-ups and message sends, but not into a
# message edit without content, which is the one place that passes it again.
_NO_PINGS = discord.AllowedMentions.none()


class Pager(discord.ui.View):
    """The pages of embeds of one reply, for the user ``owner_id``."""

    def __init__(self, owner_id: int, pages: Pages, timeout: float = PAGE_TIMEOUT):
        super().__init__(timeout=timeout)
        self.owner_id, self.pages, self.page = owner_id, pages, 0
        self.message: discord.Message | None = None          # chat replies
        self.interaction: discord.Interaction | None = None  # slash-command replies
        self._sync_buttons()

    def _sync_buttons(self) -> None:
        self.previous.disabled = self.page == 0
        self.more.disabled = self.page >= self.pages.count - 1

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        if interaction.user.id != self.owner_id:
            await interaction.response.send_message(ONLY_THE_ASKER, ephemeral=True)
            return False
        return True

    async def _show(self, interaction: discord.Interaction, page: int) -> None:
        self.page = max(0, min(self.pages.count - 1, page))
        self._sync_buttons()
        await interaction.response.edit_message(embeds=self.pages.show(self.page), view=self)

    @discord.ui.button(label="Previous", style=discord.ButtonStyle.secondary)
    async def previous(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        await self._show(interaction, self.page - 1)

    @discord.ui.button(label="More results", style=discord.ButtonStyle.primary)
    async def more(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        await self._show(interaction, self.page + 1)

    async def on_timeout(self) -> None:
        for item in self.children:
            item.disabled = True
        try:
            if self.interaction is not None:
                await self.interaction.edit_original_response(view=self)
            elif self.message is not None:
                await self.message.edit(view=self, allowed_mentions=_NO_PINGS)
        except discord.HTTPException:
            pass  # the message is gone or the token expired: nothing left to disable


def first_page(owner_id: int, pages: Pages) -> tuple[list[discord.Embed], Pager | None]:
    """The first page's embeds, and a pager when there is more than one page."""
    return pages.show(0), (Pager(owner_id, pages) if pages.count > 1 else None)
