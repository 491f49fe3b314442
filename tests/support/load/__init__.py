"""The load scenario run by tests/discord/test_load.py (small) and benchmarks/bench_load.py (large).

The real discord.py client runs the project's bot (``QuoteBot``) against the fake Discord (an
aiohttp server on 127.0.0.1, in the same process and event loop, so every figure includes the
fake's own work). Simulated users send ``/ask`` and @mentions, click "More results" on their own
and on other people's answers, a moderator reloads the corpus alternating a valid and a broken
corpus, and members whose roles are merely *named* like moderators' try ``/reload`` too.

How "one whole snapshot" is checked: every corpus version the bot may serve is the real corpus
with a version tag (``SNAP00``, ``SNAP01``...) put in front of every source's title,
attribution and context note (metadata only: the quoted text and the search are unchanged),
and every other valid version also holds an extra source with a marker word. Every rendered
answer shows its snapshot's tag in each quote's footer and note, and a "not in my sources"
reply lists that snapshot's titles, so an answer that mixed two snapshots shows two tags (or a
marker quote under a tag whose corpus has no marker, or a list of titles of the wrong
version): that is a "mixed" answer. A broken corpus is built from the next tag too, so if it
were ever swapped in, answers would carry a tag that was never valid. An answer's tag must be
one that was being served at some moment between the question and the reply.

Users: each ordinary user sends its share of the interactions one after another (waiting for
each reply, then a short pause); flooders send twice the cooldown budget as fast as they can
and must get exactly one friendly "try again" message (slash commands, which Discord requires
an answer to, get a short private "still cooling down" after that). The cooldown is set to
``--cooldown-rate`` questions per hour, above what an ordinary user sends.

Counted as failed: an interaction with no initial response within Discord's 3 s window (the
fake refuses a later one, as Discord does), a deferred reply never followed up, a mention of an
ordinary user never answered, a reply of the wrong kind (another user's page turned, a
non-moderator allowed to reload, a broken corpus accepted...), a mixed or stale answer, and any
error logged or exception left unhandled while the bot ran.

The modules: ``versions`` (the tagged corpus versions), ``scenario`` (driving the users and
reloads: ``run_load``), ``evaluation`` (checking every answer) and ``report`` (``LoadConfig``
and the numbers).
"""
