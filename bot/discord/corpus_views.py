"""The /corpus modal (what an uploaded file does not say) and the preview's Confirm / Cancel
buttons. They hold no logic of their own: what happens next is the callback they are given.
Sends rely on the client's allowed_mentions (none), as every interaction response does."""
from __future__ import annotations

from collections.abc import Awaitable, Callable

import discord

from bot.corpusedit.proposals import Proposal
from bot.corpusedit.uploads import PageFields
from bot.discord.checks import moderates
from bot.render import corpus as text

MODAL_TIMEOUT = 600.0      # seconds to fill the modal in
PREVIEW_TIMEOUT = 900.0    # seconds Confirm / Cancel stay live

# (interaction, attachment, fields, source id or None, replace?)
SubmitFlow = Callable[[discord.Interaction, discord.Attachment, PageFields, "str | None", bool], Awaitable[None]]
ConfirmFlow = Callable[[discord.Interaction, Proposal], Awaitable[None]]


def _field(label: str, default: str, max_length: int, paragraph: bool = False) -> discord.ui.TextInput:
    style = discord.TextStyle.paragraph if paragraph else discord.TextStyle.short
    return discord.ui.TextInput(label=label, default=default or None, required=False, max_length=max_length,
                                style=style)


class SourceModal(discord.ui.Modal):
    """Title, kind, publisher, attribution and context. Fields left empty are taken from the
    file's front matter (a file in the corpus format needs none)."""

    def __init__(self, attachment: discord.Attachment, source_id: str | None, replace: bool, flow: SubmitFlow,
                 defaults: PageFields | None = None):
        super().__init__(title="Replace source" if replace else "New source", timeout=MODAL_TIMEOUT)
        self.attachment, self.source_id, self.replace, self.flow = attachment, source_id, replace, flow
        d = defaults or PageFields()
        self.title_ = _field("Title (for a page)", d.title, 200)
        self.kind = _field("Kind: article, book, blog-post, film-page…", d.kind, 40)
        self.publisher = _field("Publisher, as the document names it", d.publisher, 200)
        self.attribution = _field("Attribution (optional)", d.attribution, 300)
        self.context = _field("Context note shown with quotes (optional)", d.context, 1000, paragraph=True)
        for item in (self.title_, self.kind, self.publisher, self.attribution, self.context):
            self.add_item(item)

    async def on_submit(self, interaction: discord.Interaction) -> None:
        fields = PageFields(self.title_.value, self.kind.value, self.publisher.value, self.attribution.value,
                            self.context.value)
        await self.flow(interaction, self.attachment, fields, self.source_id, self.replace)


class PreviewView(discord.ui.View):
    def __init__(self, proposal: Proposal, owner_id: int, confirm: ConfirmFlow):
        super().__init__(timeout=PREVIEW_TIMEOUT)
        self.proposal, self.owner_id, self.on_confirm = proposal, owner_id, confirm

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        if interaction.user.id != self.owner_id or not moderates(interaction):
            await interaction.response.send_message(text.ONLY_THE_AUTHOR, ephemeral=True)
            return False
        return True

    @discord.ui.button(label="Confirm", style=discord.ButtonStyle.success)
    async def confirm(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        self.stop()
        await self.on_confirm(interaction, self.proposal)

    @discord.ui.button(label="Cancel", style=discord.ButtonStyle.secondary)
    async def cancel(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        self.stop()
        await interaction.response.edit_message(content=text.cancelled_text(self.proposal.title), view=None)
