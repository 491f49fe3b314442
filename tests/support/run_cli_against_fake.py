"""`python -m bot ...` with discord.py pointed at a fake Discord (for tests/discord/test_run_cli.py)."""
import os
import sys

import discord.gateway
import discord.http
import yarl

discord.http.Route.BASE = os.environ["FAKE_DISCORD_API"]
discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(os.environ["FAKE_DISCORD_GATEWAY"])

from bot.cli import main  # noqa: E402

sys.exit(main(sys.argv[1:]))
