"""/corpus: moderators add, replace and remove sources, replace timeline.yaml or entities.yaml,
and see, diff and roll back the corpus versions. Every change is validated, shown as a private
preview (Confirm / Cancel), written as a new version and swapped in with the live reload."""
from __future__ import annotations

import asyncio
import io
import logging

import discord
from discord import app_commands
from discord.ext import commands

from bot.corpusedit.preview import render_counts, render_preview
from bot.corpusedit.proposals import (Proposal, propose_file, propose_removal, propose_rollback,
                                      propose_source)
from bot.corpusedit.uploads import PageFields, UploadError, check_upload, extension, source_upload
from bot.discord.cogs.admin import is_moderator
from bot.render.discord_embeds import code, cut, defuse, escape
from index.corpus.errors import CorpusError
from index.corpus.sources import ID_RE
from index.corpus.vdiff import render_diff, version_diff
from index.corpus.versions import Author, CorpusChanged, CorpusRepo, GitError

log = logging.getLogger(__name__)
NONE = discord.AllowedMentions.none()
YAML_FILES = ("timeline.yaml", "entities.yaml")


def allowed(interaction: discord.Interaction, config) -> bool:
    """The moderator check (the same as /reload's), in one place."""
    return is_moderator(interaction, config.moderator_role_ids)


def error_text(exc: Exception) -> str:
    if isinstance(exc, CorpusError):
        issues = [str(i) for i in exc.issues] or [str(exc)]
        more = f"\n…and {len(issues) - 15} more" if len(issues) > 15 else ""
        return cut("**Not changed: the corpus would not be valid.**\n" + "\n".join(code(i) for i in issues[:15]) + more, 2000)
    return cut(f"**Not changed:** {defuse(str(exc))}", 2000)


class SourceModal(discord.ui.Modal):
    """What the file does not say. Fields left empty are taken from the file's front matter."""

    def __init__(self, cog: "CorpusCog", attachment: discord.Attachment, source_id: str | None, replace: bool,
                 defaults: PageFields = PageFields()):
        super().__init__(title="Replace source" if replace else "New source", timeout=600)
        self.cog, self.attachment, self.source_id, self.replace = cog, attachment, source_id, replace
        self.title_ = discord.ui.TextInput(label="Title (for a page)", default=defaults.title or None, required=False, max_length=200)
        self.kind = discord.ui.TextInput(label="Kind: article, book, blog-post, film-page…", default=defaults.kind or None, required=False, max_length=40)
        self.publisher = discord.ui.TextInput(label="Publisher, as the document names it", default=defaults.publisher or None, required=False, max_length=200)
        self.attribution = discord.ui.TextInput(label="Attribution (optional)", default=defaults.attribution or None, required=False, max_length=300)
        self.context = discord.ui.TextInput(label="Context note shown with quotes (optional)", style=discord.TextStyle.paragraph,
                                            default=defaults.context or None, required=False, max_length=1000)
        for item in (self.title_, self.kind, self.publisher, self.attribution, self.context):
            self.add_item(item)

    async def on_submit(self, interaction: discord.Interaction) -> None:
        fields = PageFields(self.title_.value, self.kind.value, self.publisher.value, self.attribution.value, self.context.value)
        await self.cog.source_flow(interaction, self.attachment, fields, self.source_id, self.replace)


class PreviewView(discord.ui.View):
    def __init__(self, cog: "CorpusCog", proposal: Proposal, owner_id: int):
        super().__init__(timeout=900)
        self.cog, self.proposal, self.owner_id = cog, proposal, owner_id

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        if interaction.user.id != self.owner_id or not allowed(interaction, self.cog.bot.config):
            await interaction.response.send_message("Only the moderator who made this preview can confirm or cancel it.",
                                                    ephemeral=True, allowed_mentions=NONE)
            return False
        return True

    @discord.ui.button(label="Confirm", style=discord.ButtonStyle.success)
    async def confirm(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        self.stop()
        await self.cog.confirm(interaction, self.proposal)

    @discord.ui.button(label="Cancel", style=discord.ButtonStyle.secondary)
    async def cancel(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        self.stop()
        await interaction.response.edit_message(content=f"Cancelled: {self.proposal.title}. Nothing changed.",
                                                view=None, allowed_mentions=NONE)


class CorpusCog(commands.Cog):
    corpus = app_commands.Group(name="corpus", description="Moderators: change the corpus (previewed, every version kept)",
                                guild_only=True, default_permissions=discord.Permissions(manage_guild=True))

    def __init__(self, bot):
        self.bot = bot
        self.repo = CorpusRepo(bot.live.root)
        self.unavailable: str | None = None

    async def cog_load(self) -> None:
        """A versioned folder: recover and record hand edits now. An unversioned one becomes a
        repository only when a moderator first uses /corpus (a plain start writes nothing)."""
        if self.repo.is_repo():
            await self.start_versions()

    async def start_versions(self) -> bool:
        try:
            await asyncio.to_thread(self.repo.ensure)
        except (GitError, OSError) as exc:
            self.unavailable = str(exc)
            log.warning("corpus versions unavailable, /corpus is off: %s", exc)
            return False
        self.unavailable = None
        return True

    # ------------------------------------------------------------------ shared steps
    async def gate(self, interaction: discord.Interaction) -> bool:
        if not allowed(interaction, self.bot.config):
            await interaction.response.send_message("Sorry, /corpus is for moderators only.", ephemeral=True, allowed_mentions=NONE)
            return False
        if (self.unavailable or not self.repo.is_repo()) and not await self.start_versions():
            await interaction.response.send_message(cut(f"Corpus versions are not available here: {defuse(self.unavailable)}", 2000),
                                                    ephemeral=True, allowed_mentions=NONE)
            return False
        return True

    def before(self) -> dict[str, int]:
        return dict(self.bot.live.current.counts)

    async def download(self, attachment: discord.Attachment) -> bytes:
        cfg = self.bot.config
        check_upload(attachment.filename, attachment.size, cfg.upload_max_bytes, cfg.upload_extensions)
        try:
            data = await attachment.read()
        except (discord.HTTPException, discord.NotFound) as exc:
            raise UploadError(f"could not download the file from Discord ({exc}); try again") from None
        if len(data) > cfg.upload_max_bytes:
            raise UploadError(f"the file is larger than {cfg.upload_max_bytes} bytes (setting upload_max_bytes)")
        return data

    async def preview(self, interaction: discord.Interaction, make, note: str = "") -> None:
        """Build a proposal off the event loop and show it privately with Confirm / Cancel."""
        try:
            proposal: Proposal = await asyncio.to_thread(make)
        except (UploadError, CorpusError, ValueError, GitError) as exc:
            await interaction.followup.send(error_text(exc), ephemeral=True, allowed_mentions=NONE)
            return
        text = note + render_preview(proposal, escape)
        kwargs = {}
        if len(text) > 2000:
            kwargs["file"] = discord.File(io.BytesIO(text.encode("utf-8")), filename="preview.txt")
        await interaction.followup.send(cut(defuse(text), 2000), view=PreviewView(self, proposal, interaction.user.id),
                                        ephemeral=True, allowed_mentions=NONE, **kwargs)

    async def source_flow(self, interaction, attachment, fields: PageFields, source_id, replace: bool) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        try:
            data = await self.download(attachment)
        except UploadError as exc:
            await interaction.followup.send(error_text(exc), ephemeral=True, allowed_mentions=NONE)
            return
        before = self.before()
        await self.preview(interaction, lambda: propose_source(
            self.repo, before, source_upload(data, attachment.filename, fields, source_id), replace))

    async def confirm(self, interaction: discord.Interaction, proposal: Proposal) -> None:
        await interaction.response.edit_message(content=f"Writing: {proposal.title}…", view=None, allowed_mentions=NONE)
        author = Author(interaction.user.name, str(interaction.user.id))
        try:
            version = await asyncio.to_thread(self.repo.commit, proposal.changes, author, proposal.summary, proposal.base.id)
        except CorpusChanged as exc:
            note = (f"**The corpus changed since that preview** (now version `{exc.current.short}` by "
                    f"{escape(exc.current.author)}: {escape(exc.current.summary)}). Nothing was written. A fresh preview:\n\n")
            await self.preview(interaction, proposal.rebuild, note)
            return
        except (CorpusError, GitError, OSError) as exc:
            await interaction.followup.send(error_text(exc), ephemeral=True, allowed_mentions=NONE)
            return
        report = await self.bot.live.reload_async()
        log.info("corpus version %s by user=%s guild=%s: %s (reload ok=%s)", version.short, interaction.user.id,
                 interaction.guild_id, proposal.summary, report.ok)
        status = (f"After: {render_counts(report.after)}" if report.ok else
                  "but the reload failed: " + "; ".join(report.errors[:3]))
        await interaction.followup.send(cut(defuse(f"Version `{version.short}` is live ({proposal.title}). {status}"), 2000),
                                        ephemeral=True, allowed_mentions=NONE)

    # ------------------------------------------------------------------ commands
    @corpus.command(name="add", description="Add a source: a file in the corpus format, or a page to import")
    @app_commands.describe(file="a .md source, or a .txt / .md / .html page", id="the new source's id (default: from the title)")
    async def add(self, interaction: discord.Interaction, file: discord.Attachment, id: str | None = None) -> None:
        if not await self.gate(interaction):
            return
        cfg = self.bot.config
        try:
            check_upload(file.filename, file.size, cfg.upload_max_bytes, cfg.upload_extensions)
            if extension(file.filename) in (".yaml", ".yml"):
                raise UploadError("a YAML file replaces timeline.yaml or entities.yaml: use /corpus replace")
            if id is not None and not ID_RE.match(id):
                raise UploadError("an id is lowercase letters, digits and dashes (e.g. rabe-diary)")
        except UploadError as exc:
            await interaction.response.send_message(error_text(exc), ephemeral=True, allowed_mentions=NONE)
            return
        await interaction.response.send_modal(SourceModal(self, file, id, replace=False))

    @corpus.command(name="replace", description="Replace a source, timeline.yaml or entities.yaml with an uploaded file")
    @app_commands.describe(target="a source id, timeline.yaml or entities.yaml", file="the new file")
    async def replace(self, interaction: discord.Interaction, target: str, file: discord.Attachment) -> None:
        if not await self.gate(interaction):
            return
        sources = self.bot.live.current.corpus.source_by_id
        if target in YAML_FILES:
            await interaction.response.defer(ephemeral=True, thinking=True)
            try:
                data = await self.download(file)
            except UploadError as exc:
                await interaction.followup.send(error_text(exc), ephemeral=True, allowed_mentions=NONE)
                return
            before = self.before()
            await self.preview(interaction, lambda: propose_file(self.repo, before, target, data))
            return
        if target not in sources:
            await interaction.response.send_message(cut(f"There is no source {code(target)}: pick one from the list.", 2000),
                                                    ephemeral=True, allowed_mentions=NONE)
            return
        s = sources[target]
        defaults = PageFields(s.title, s.kind, s.publisher, "", s.context or "")
        await interaction.response.send_modal(SourceModal(self, file, target, replace=True, defaults=defaults))

    @corpus.command(name="remove", description="Remove a source (and its timeline entries)")
    async def remove(self, interaction: discord.Interaction, source: str) -> None:
        if not await self.gate(interaction):
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        before = self.before()
        await self.preview(interaction, lambda: propose_removal(self.repo, before, source))

    @corpus.command(name="history", description="The corpus versions, newest first")
    async def history(self, interaction: discord.Interaction, count: app_commands.Range[int, 1, 25] = 10) -> None:
        if not await self.gate(interaction):
            return
        versions = await asyncio.to_thread(self.repo.history, count)
        lines = [f"`{v.short}` {v.when[:16].replace('T', ' ')} **{escape(v.author)}** — {escape(v.summary)}" for v in versions]
        await interaction.response.send_message(cut("**Corpus versions** (newest first)\n" + "\n".join(lines), 2000),
                                                ephemeral=True, allowed_mentions=NONE)

    @corpus.command(name="diff", description="What a version changed: passages removed and added")
    async def diff(self, interaction: discord.Interaction, version: str) -> None:
        if not await self.gate(interaction):
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        try:
            v = await asyncio.to_thread(self.repo.resolve, version)
            text = render_diff(v, await asyncio.to_thread(version_diff, self.repo, v))
        except (ValueError, GitError) as exc:
            await interaction.followup.send(error_text(exc), ephemeral=True, allowed_mentions=NONE)
            return
        if len(text) <= 1900:
            await interaction.followup.send("```\n" + text.replace("```", "ˋˋˋ") + "```", ephemeral=True, allowed_mentions=NONE)
            return
        head = defuse(text.split("\n", 1)[0])
        await interaction.followup.send(cut(f"{head}\nThe changes are in the attached file.", 2000), ephemeral=True,
                                        allowed_mentions=NONE, file=discord.File(io.BytesIO(text.encode()), filename=f"diff-{v.short}.txt"))

    @corpus.command(name="rollback", description="Make an old version's files current again (as a new version)")
    async def rollback(self, interaction: discord.Interaction, version: str) -> None:
        if not await self.gate(interaction):
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        before = self.before()
        await self.preview(interaction, lambda: propose_rollback(self.repo, before, self.repo.resolve(version)))

    # ------------------------------------------------------------------ autocomplete
    @remove.autocomplete("source")
    async def _source_ids(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        ids = [s.id for s in self.bot.live.current.corpus.sources if current.lower() in s.id]
        return [app_commands.Choice(name=i, value=i) for i in ids[:25]]

    @replace.autocomplete("target")
    async def _targets(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        names = list(YAML_FILES) + [s.id for s in self.bot.live.current.corpus.sources]
        return [app_commands.Choice(name=n, value=n) for n in names if current.lower() in n][:25]

    @diff.autocomplete("version")
    @rollback.autocomplete("version")
    async def _versions(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        if self.unavailable:
            return []
        versions = await asyncio.to_thread(self.repo.history, 25)
        return [app_commands.Choice(name=cut(f"{v.short} {v.author}: {v.summary}", 100), value=v.short)
                for v in versions if v.short.startswith(current.lower()) or current.lower() in v.summary.lower()][:25]


async def setup(bot) -> None:
    await bot.add_cog(CorpusCog(bot))
