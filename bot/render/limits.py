"""Discord's limits and the bot's own UI constants, in one place.

Discord's: https://discord.com/developers/docs/resources/message#embed-object-embed-limits and
the application-command docs (25 autocomplete choices of 1-100 characters).
"""
from __future__ import annotations

# Discord's limits
CONTENT_MAX = 2000          # characters of a message's content
DESCRIPTION_MAX = 4096      # of an embed's description
TITLE_MAX = 256
FIELD_NAME_MAX = 256
FIELD_VALUE_MAX = 1024
FOOTER_MAX = 2048
FIELDS_MAX = 25             # fields per embed
EMBEDS_TOTAL_MAX = 6000     # characters of all the embeds of one message together
CHOICES_MAX = 25            # autocomplete choices
CHOICE_CHARS_MAX = 100      # characters of a choice's name or value

# The bot's choices
NOTES_PER_QUOTE = 5         # context notes shown under one quote
ANSWER_PAGES = 3            # an answer holds up to this many pages of quotes
TIMELINE_PER_PAGE = 10      # timeline entries per page
PAGE_TIMEOUT = 300.0        # seconds the "More results" buttons stay live
DEFER_AFTER = 1.0           # seconds: answer at once when the search is quicker, else defer
QUERY_SHOWN = 200           # characters of a user's query repeated in a reply
QUESTION_SHOWN = 300        # ... of a question
RELOAD_ERRORS_SHOWN = 20    # file:line errors listed in a failed reload's reply
