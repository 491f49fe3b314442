"""The index build child (``python -m index.rebuild``), slowed down while a marker file exists:
tests/discord/test_shutdown.py uses it to have a long reload running when SIGTERM comes."""
import os
import sys
import time
from pathlib import Path

marker = os.environ.get("SLOW_BUILD_MARKER")
if marker and Path(marker).exists():
    Path(marker + ".pid").write_text(str(os.getpid()))
    time.sleep(float(os.environ.get("SLOW_BUILD_SECONDS", "30")))

from index.rebuild import main  # noqa: E402

sys.exit(main(sys.argv[1:]))
