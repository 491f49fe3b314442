# A slim image that installs the project the way `make` does (pip install from pyproject.toml).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    BOT_DATA_DIR=/app/data \
    NUMBA_CACHE_DIR=/tmp/numba-cache

# The bot runs in /app: its default corpus_dir (./corpus) and index_dir (./.cache/index) are
# resolved against the working folder, so they are /app/corpus and /app/.cache/index. The
# database (votes, settings, logged questions) goes to /app/data: mount a volume there to keep it.
WORKDIR /app
# git: /corpus keeps every corpus version as a commit in the corpus folder (index/corpus/versions.py)
RUN apt-get update && apt-get install -y --no-install-recommends git && rm -rf /var/lib/apt/lists/*
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY index ./index
# Optional extras: postgres (psycopg 3, for a PostgreSQL database_url); deploy/compose.yaml adds
# what several processes need. Without them the image is the single-process default.
ARG BOT_EXTRAS=postgres
RUN pip install --upgrade pip && pip install ".[${BOT_EXTRAS}]"

# The corpus is baked in; mount a volume over /app/corpus to serve another one.
COPY corpus ./corpus

RUN useradd --create-home --uid 10001 bot && chown -R bot /app
USER bot
# Build the index and embed the baked-in corpus now, then answer one question from it: opening
# the index compiles numba's validation and query kernels into NUMBA_CACHE_DIR (the build compiles
# only its own), so a container starts in about 2 seconds instead of about 13.
RUN python -m bot build && python -m bot ask "Who was John Rabe?" > /dev/null

# DISCORD_TOKEN comes from the environment at run time (docker run -e DISCORD_TOKEN=...).
# exec form: python is PID 1 and gets SIGTERM, which the bot handles by closing cleanly.
STOPSIGNAL SIGTERM
CMD ["python", "-m", "bot", "run"]
