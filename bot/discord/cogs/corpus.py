"""/corpus: moderators add, replace and remove sources, replace timeline.yaml or entities.yaml,
and see, diff and roll back the corpus versions. Every change is validated, shown as a private
preview (Confirm / Cancel), written as a new version and swapped in with the live reload.

Every subcommand is ``moderator_only()`` (refusals answered privately by the error cog); the
Confirm / Cancel buttons answer only the moderator who made the preview. The modal and the
buttons are in ``bot.discord.corpus_views``; every text is rendered in ``bot.render.corpus``."""
from __future__ import annotations

import asyncio
import io
import logging

import discord
from discord import app_commands
from discord.ext import commands

from bot.corpusedit.proposals import Proposal, propose_file, propose_removal, propose_rollback, propose_source
from bot.corpusedit.uploads import PageFields, UploadError, check_upload, extension, source_upload
from bot.discord.checks import moderates, moderator_only
from bot.discord.corpus_views import PreviewView, SourceModal
from bot.render import corpus as text
from bot.render.limits import CHOICES_MAX, CONTENT_MAX
from index.corpus.errors import CorpusError
from index.corpus.sources import ID_RE
from index.corpus.vdiff import render_diff, version_diff
from index.corpus.versions import Author, CorpusChanged, CorpusRepo, GitError
from index.text.cut import cut

log = logging.getLogger(__name__)
YAML_FILES = ("timeline.yaml", "entities.yaml")


class CorpusCog(commands.Cog):
    corpus = app_commands.Group(name="corpus", guild_only=True,
                                description="Moderators: change the corpus (previewed, every version kept)",
                                default_permissions=discord.Permissions(manage_guild=True))

    def __init__(self, bot):
        self.bot = bot
        self.repo = CorpusRepo(bot.live.root, bot.config.max_source_bytes)
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
    async def versions_ready(self, interaction: discord.Interaction) -> bool:
        """The corpus folder is a repository (made one now if need be); else say why not."""
        if (self.unavailable or not self.repo.is_repo()) and not await self.start_versions():
            await interaction.response.send_message(text.unavailable_text(self.unavailable), ephemeral=True)
            return False
        return True

    def before(self) -> dict[str, int]:
        return dict(self.bot.live.current.counts)

    def check_upload(self, attachment: discord.Attachment) -> None:
        cfg = self.bot.config
        check_upload(attachment.filename, attachment.size, cfg.upload_max_bytes, cfg.upload_extensions)

    async def download(self, attachment: discord.Attachment) -> bytes:
        self.check_upload(attachment)
        try:
            data = await attachment.read()
        except discord.HTTPException as exc:
            raise UploadError(f"could not download the file from Discord ({exc}); try again") from None
        if len(data) > self.bot.config.upload_max_bytes:
            raise UploadError(f"the file is larger than {self.bot.config.upload_max_bytes} bytes "
                              "(setting upload_max_bytes)")
        return data

    async def preview(self, interaction: discord.Interaction, make, note: str = "") -> None:
        """Build a proposal off the event loop and show it privately with Confirm / Cancel."""
        try:
            proposal: Proposal = await asyncio.to_thread(make)
        except (UploadError, CorpusError, ValueError, GitError) as exc:
            await interaction.followup.send(text.error_text(exc), ephemeral=True)
            return
        whole = text.preview_text(proposal, note)
        kwargs = {}
        if len(whole) > CONTENT_MAX:
            kwargs["file"] = discord.File(io.BytesIO(whole.encode("utf-8")), filename="preview.txt")
        view = PreviewView(proposal, interaction.user.id, self.confirm)
        await interaction.followup.send(cut(whole, CONTENT_MAX), view=view, ephemeral=True, **kwargs)

    async def source_flow(self, interaction: discord.Interaction, attachment: discord.Attachment,
                          fields: PageFields, source_id: str | None, replace: bool) -> None:
        """The modal was sent: download, import or read the source, and preview it."""
        await interaction.response.defer(ephemeral=True, thinking=True)
        try:
            data = await self.download(attachment)
        except UploadError as exc:
            await interaction.followup.send(text.error_text(exc), ephemeral=True)
            return
        before = self.before()
        await self.preview(interaction, lambda: propose_source(
            self.repo, before, source_upload(data, attachment.filename, fields, source_id), replace))

    async def confirm(self, interaction: discord.Interaction, proposal: Proposal) -> None:
        await interaction.response.edit_message(content=text.writing_text(proposal.title), view=None)
        author = Author(interaction.user.name, str(interaction.user.id))
        try:
            version = await asyncio.to_thread(self.repo.commit, proposal.changes, author, proposal.summary,
                                              proposal.base.id)
        except CorpusChanged as exc:
            await self.preview(interaction, proposal.rebuild, text.stale_note(exc.current))
            return
        except (CorpusError, GitError, OSError) as exc:
            await interaction.followup.send(text.error_text(exc), ephemeral=True)
            return
        report = await self.bot.reload_index()
        log.info("corpus version %s by user=%s guild=%s: %s (reload ok=%s)", version.short, interaction.user.id,
                 interaction.guild_id, proposal.summary, report.ok)
        await interaction.followup.send(text.live_text(version, proposal.title, report), ephemeral=True)

    # ------------------------------------------------------------------ commands
    @corpus.command(name="add", description="Add a source: a file in the corpus format, or a page to import")
    @app_commands.describe(file="a .md source, or a .txt / .md / .html page",
                           id="the new source's id (default: from the title)")
    @moderator_only()
    async def add(self, interaction: discord.Interaction, file: discord.Attachment, id: str | None = None) -> None:
        if not await self.versions_ready(interaction):
            return
        try:
            self.check_upload(file)
            if extension(file.filename) in (".yaml", ".yml"):
                raise UploadError("a YAML file replaces timeline.yaml or entities.yaml: use /corpus replace")
            if id is not None and not ID_RE.match(id):
                raise UploadError("an id is lowercase letters, digits and dashes (e.g. rabe-diary)")
        except UploadError as exc:
            await interaction.response.send_message(text.error_text(exc), ephemeral=True)
            return
        await interaction.response.send_modal(SourceModal(file, id, False, self.source_flow))

    @corpus.command(name="replace", description="Replace a source, timeline.yaml or entities.yaml with a file")
    @app_commands.describe(target="a source id, timeline.yaml or entities.yaml", file="the new file")
    @moderator_only()
    async def replace(self, interaction: discord.Interaction, target: str, file: discord.Attachment) -> None:
        if not await self.versions_ready(interaction):
            return
        sources = self.bot.live.current.corpus.source_by_id
        if target in YAML_FILES:
            await interaction.response.defer(ephemeral=True, thinking=True)
            try:
                data = await self.download(file)
            except UploadError as exc:
                await interaction.followup.send(text.error_text(exc), ephemeral=True)
                return
            before = self.before()
            await self.preview(interaction, lambda: propose_file(self.repo, before, target, data))
            return
        if target not in sources:
            await interaction.response.send_message(text.no_source_text(target), ephemeral=True)
            return
        s = sources[target]
        defaults = PageFields(s.title, s.kind, s.publisher, "", s.context or "")
        await interaction.response.send_modal(SourceModal(file, target, True, self.source_flow, defaults))

    @corpus.command(name="remove", description="Remove a source (and its timeline entries)")
    @moderator_only()
    async def remove(self, interaction: discord.Interaction, source: str) -> None:
        if not await self.versions_ready(interaction):
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        before = self.before()
        await self.preview(interaction, lambda: propose_removal(self.repo, before, source))

    @corpus.command(name="history", description="The corpus versions, newest first")
    @moderator_only()
    async def history(self, interaction: discord.Interaction, count: app_commands.Range[int, 1, 25] = 10) -> None:
        if not await self.versions_ready(interaction):
            return
        versions = await asyncio.to_thread(self.repo.history, count)
        await interaction.response.send_message(text.history_text(versions), ephemeral=True)

    @corpus.command(name="diff", description="What a version changed: passages removed and added")
    @moderator_only()
    async def diff(self, interaction: discord.Interaction, version: str) -> None:
        if not await self.versions_ready(interaction):
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        try:
            v = await asyncio.to_thread(self.repo.resolve, version)
            whole = render_diff(v, await asyncio.to_thread(version_diff, self.repo, v))
        except (ValueError, GitError) as exc:
            await interaction.followup.send(text.error_text(exc), ephemeral=True)
            return
        content, attach = text.diff_reply(whole)
        kwargs = {"file": discord.File(io.BytesIO(whole.encode("utf-8")), filename=f"diff-{v.short}.txt")} \
            if attach else {}
        await interaction.followup.send(content, ephemeral=True, **kwargs)

    @corpus.command(name="rollback", description="Make an old version's files current again (as a new version)")
    @moderator_only()
    async def rollback(self, interaction: discord.Interaction, version: str) -> None:
        if not await self.versions_ready(interaction):
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        before = self.before()
        await self.preview(interaction, lambda: propose_rollback(self.repo, before, self.repo.resolve(version)))

    # ------------------------------------------------------------------ autocomplete (no check runs
    # for it in discord.py: members get no choices)
    @remove.autocomplete("source")
    async def source_ids(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        if not moderates(interaction):
            return []
        ids = [s.id for s in self.bot.live.current.corpus.sources if current.lower() in s.id]
        return [app_commands.Choice(name=i, value=i) for i in ids[:CHOICES_MAX]]

    @replace.autocomplete("target")
    async def targets(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        if not moderates(interaction):
            return []
        names = list(YAML_FILES) + [s.id for s in self.bot.live.current.corpus.sources]
        return [app_commands.Choice(name=n, value=n) for n in names if current.lower() in n][:CHOICES_MAX]

    @diff.autocomplete("version")
    @rollback.autocomplete("version")
    async def versions(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        if self.unavailable or not self.repo.is_repo() or not moderates(interaction):
            return []
        found = await asyncio.to_thread(self.repo.history, CHOICES_MAX)
        wanted = current.lower()
        return [app_commands.Choice(name=text.version_choice(v), value=v.short) for v in found
                if v.short.startswith(wanted) or wanted in v.summary.lower()][:CHOICES_MAX]


async def setup(bot) -> None:
    await bot.add_cog(CorpusCog(bot))
