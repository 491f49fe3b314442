"""With no redis_url the bot is one process exactly as before: no Redis needed, redis not even
imported; with one, the bot is built with its coordination."""
import subprocess
import sys

from tests.conftest import ROOT

PROBE = """
import sys
from pathlib import Path
from bot.config import Config
from bot.coordination.shards import ShardPlan
from bot.discord.client import make_bot
from index.live import LiveIndex
live = LiveIndex(Path({corpus!r}))
live.load()
bot = make_bot(live, Config(data_dir=Path({data!r}){extra}), None, ShardPlan())
print(type(bot.coordination).__name__, "redis" in sys.modules)
"""


def _probe(tmp_path, extra: str = "") -> str:
    code = PROBE.format(corpus=str(ROOT / "corpus"), data=str(tmp_path / "data"), extra=extra)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_no_url_no_redis(tmp_path):
    assert _probe(tmp_path) == "NoneType False"


def test_with_a_url_the_bot_coordinates(tmp_path):
    # nothing listens there: building the bot connects to nothing yet (that happens in setup_hook)
    assert _probe(tmp_path, ', redis_url="redis://127.0.0.1:9/0"') == "Coordination True"
