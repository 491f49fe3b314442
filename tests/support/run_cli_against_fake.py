"""`python -m bot ...` with discord.py pointed at a fake Discord (for tests/discord/test_run_cli.py).
With SLOW_BUILD_MARKER set, index builds run through tests/support/slow_build_child.py."""
import os
import sys
from pathlib import Path

import discord.gateway
import discord.http
import yarl

discord.http.Route.BASE = os.environ["FAKE_DISCORD_API"]
discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(os.environ["FAKE_DISCORD_GATEWAY"])

if os.environ.get("SLOW_BUILD_MARKER"):
    import index.rebuild

    index.rebuild.CHILD = [str(Path(__file__).with_name("slow_build_child.py"))]

from bot.cli import main  # noqa: E402

sys.exit(main(sys.argv[1:]))
