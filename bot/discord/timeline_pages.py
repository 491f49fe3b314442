"""The timeline as a message: the entries a query finds in pages of embeds with a pager, or why
nothing matched with the nearest dates. For /timeline and for a chat request for the timeline
("show me the timeline", ``bot.command_requests``)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from bot.discord.views import Pager, first_page
from bot.render.discord_embeds import entry_line, timeline_heading, timeline_page
from bot.render.limits import TIMELINE_PER_PAGE
from bot.render.pages import Pages
from bot.render.replies import timeline_not_found

if TYPE_CHECKING:
    from index.engine import Index


def timeline_message(index: Index, query: str | None, owner_id: int) -> tuple[dict, Pager | None, bool]:
    """The keyword arguments of the message, its pager (more than a page), and whether any entry
    matched (when none did, the message is the reason and the nearest dates)."""
    result = index.timeline.search(query or "")
    titles = index.corpus.titles
    if not result.entries:
        return {"content": timeline_not_found(query, result.error, result.suggestions, titles.__getitem__)}, None, False
    lines = [entry_line(e, titles[e.source_id]) for e in result.entries]
    heading = timeline_heading(query)
    pages = Pages(lines, TIMELINE_PER_PAGE,
                  lambda chunk, page, count: timeline_page(heading, chunk, page, count, len(lines)))
    embeds, pager = first_page(owner_id, pages)
    kwargs: dict = {"embeds": embeds}
    if pager is not None:
        kwargs["view"] = pager
    return kwargs, pager, True
