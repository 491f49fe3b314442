"""Load with reloads, and abuse limits, for the project's bot through the fake Discord.

The scenario is ``tests/support/load``'s (read its docstring for how answers are traced to
corpus snapshots; ``benchmarks/bench_load.py`` runs it large), with small numbers: users ask by
/ask and by mention and click "More results"
on their own and other people's answers, flooders ignore the cooldown, a moderator reloads a
valid and a broken corpus in turn, and members whose roles are only *named* like moderators'
try /reload. The report must show nothing failed, late, mixed or logged.

The detector is tested too: a bot that mixes two snapshots in one answer, one that keeps
serving an old snapshot after a reload, and one that answers after Discord's 3 s window must
each be caught.
"""
from __future__ import annotations

import sys
import time

from tests.support.bot_harness import copy_corpus, start_quote_bot
from tests.support.fake_discord.payloads import Role, User, snowflake
from tests.support.load.report import LoadConfig
from tests.support.load.scenario import run_load

SMALL = LoadConfig(interactions=400, users=20, reloads=6, flooders=3, pretenders=3, think=(0.05, 0.25),
                   click_share=0.15, seed=20240601)


async def test_load_with_reloads_loses_nothing(fake_discord, start_bot, tmp_path):
    report = await run_load(fake_discord, tmp_path, SMALL, start_bot=start_bot)
    print("\n" + report.summary())
    assert not report.problems(), "\n".join(report.problems())
    assert report.late == 0 and report.mixed == 0 and not report.errors
    acts = report.user_actions
    assert len(acts) == SMALL.interactions
    # the reloads happened while users were asking: valid ones swapped, broken ones refused
    assert (report.reloads_done, report.reloads_refused, report.pretenders_refused) == (3, 3, 3)
    assert len({a.tag for a in acts if a.tag}) >= 2, "every answer came from one snapshot: no reload mid-load"
    # every interaction acknowledged within Discord's window
    assert all(a.first is not None and a.first <= 3.0 for a in report.actions if a.ix is not None)
    # cooldowns: each flooder got exactly its budget of answers and one friendly warning
    assert report.flooder_warnings and set(report.flooder_warnings.values()) == {1}
    assert set(report.flooder_answers.values()) == {report.cooldown_rate}
    assert sum(a.outcome == "cooldown warning" for a in acts) == SMALL.flooders
    assert not any(a.outcome in ("cooldown warning", "still cooling down", "silenced") for a in acts if not a.flooder)
    # paging: the asker turns pages, anyone else is refused
    outcomes = {a.outcome for a in acts if a.kind == "click"}
    assert outcomes <= {"page turned", "paging refused"} and outcomes, outcomes


# --- the detector catches what it is meant to catch --------------------------------------------

TINY = LoadConfig(interactions=60, users=6, reloads=2, flooders=0, pretenders=0, think=(0.05, 0.15),
                  click_share=0.0, seed=7)


async def test_detector_catches_an_answer_mixing_two_snapshots(fake_discord, start_bot, tmp_path, monkeypatch):
    import bot.answering.quotes as quotes

    real, first = quotes.context_notes, {}

    def stale_notes(index, candidate):  # the bug: context notes looked up in another snapshot
        first.setdefault("index", index)
        try:
            return real(first["index"], candidate)
        except KeyError:
            return real(index, candidate)

    monkeypatch.setattr(quotes, "context_notes", stale_notes)
    report = await run_load(fake_discord, tmp_path, TINY, start_bot=start_bot)
    assert report.mixed > 0 and any("mixed answer" in (a.problem or "") for a in report.actions)


async def test_detector_catches_a_snapshot_kept_after_a_reload(fake_discord, start_bot, tmp_path):
    class Frozen:  # the bug: answers keep using the snapshot of the start
        def __init__(self, live):
            self._live, self._first = live, live.current

        @property
        def current(self):
            return self._first

        def __getattr__(self, name):
            return getattr(self._live, name)

    def freeze(run):
        run.bot.live = Frozen(run.bot.live)

    report = await run_load(fake_discord, tmp_path, TINY, start_bot=start_bot, before_drive=freeze)
    assert report.stale > 0 and any("not a snapshot served" in (a.problem or "") for a in report.actions)


async def test_a_late_initial_response_is_a_failure(fake_discord, start_bot, tmp_path, monkeypatch):
    def slow_and_never_deferring(run):
        run.fake.rest.ack_timeout = 0.5  # a shorter window, to keep the test short: same rule
        ask = sys.modules["bot.discord.cogs.ask"]
        replying = sys.modules["bot.discord.replying"]
        real = replying.answer_resolved
        monkeypatch.setattr(ask, "DEFER_AFTER", 30.0)

        def slow(index, resolution, k=3, first_page=None):
            time.sleep(0.8)
            return real(index, resolution, k, first_page)

        monkeypatch.setattr(replying, "answer_resolved", slow)

    config = LoadConfig(interactions=2, users=2, reloads=0, flooders=0, pretenders=0, think=(0.0, 0.05),
                        mention_share=0.0, click_share=0.0, seed=3, reply_timeout=1.0)
    report = await run_load(fake_discord, tmp_path, config, start_bot=lambda bot: start_bot(bot, allow_errors=True),
                            before_drive=slow_and_never_deferring)
    assert report.late == 2 and all("3 s window" in (a.problem or "") for a in report.actions)
    assert any("Unknown interaction" in e or "answered after" in e for e in report.errors), report.errors


# --- abuse limits outside the load ---------------------------------------------------------------

async def test_owner_commands_refused_for_everyone_else_whatever_their_roles(fake_discord, start_bot, tmp_path):
    fake = fake_discord
    named = [Role(snowflake(), name, 0, position=2 + i) for i, name in enumerate(("Owner", "Admin", "Moderators"))]
    fake.guild.roles += named
    pretenders = []
    for role in named:
        user = User.new(f"not-{role.name.lower()}")
        fake.add_member(user, roles=[role.id])
        pretenders.append(user)
    await start_quote_bot(fake, start_bot, copy_corpus(tmp_path))
    puts_before = len(fake.requests_matching("PUT", r"/commands$"))
    for user in pretenders + [fake.moderator, fake.owner]:  # the guild owner is not the bot's owner
        await fake.send_message(f"{fake.bot_user.mention} sync global", author=user)
    await fake.send_message(f"{fake.bot_user.mention} sync global", author=fake.app_owner)
    reply = await fake.wait_for_channel_message(fake.channel.id)
    assert reply.content.startswith("Synced") and str(reply["message_reference"]["message_id"])
    assert len(fake.requests_matching("PUT", r"/commands$")) == puts_before + 1  # the bot owner's only
    assert len(fake.channel_messages(fake.channel.id)) == 1  # nobody else got an answer either


async def test_nobody_pages_a_mention_answer_or_a_timeline_but_its_asker(fake_discord, start_bot, tmp_path):
    fake = fake_discord
    await start_quote_bot(fake, start_bot, copy_corpus(tmp_path))
    await fake.send_message(f"{fake.bot_user.mention} What was the Safety Zone?")
    reply = await fake.wait_for_channel_message(fake.channel.id)
    ix = await fake.send_slash_command("timeline")
    timeline = await fake.wait_for_original(ix)
    for message in (reply, timeline):
        other = await fake.click_button(message, label="More results", user=fake.moderator)
        refusal = await fake.wait_for_interaction_response(other)
        assert refusal.data["flags"] & 64 and "Only the person who asked" in refusal.data["content"]
        mine = await fake.click_button(message, label="More results", user=fake.member)
        assert (await fake.wait_for_interaction_response(mine)).type == 7  # the page turned in place
