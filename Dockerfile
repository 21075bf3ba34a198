# syntax=docker/dockerfile:1
# Two stages: build a wheel-installed virtualenv, then copy only that into a slim runtime.

FROM python:3.11-slim AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
WORKDIR /src
RUN python -m venv /opt/venv
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY roadmap_data ./roadmap_data
COPY migrations ./migrations
# A regular (non-editable) install: content and migrations travel inside the package.
RUN /opt/venv/bin/pip install .

FROM python:3.11-slim AS runtime
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    BOT_DATA_DIR=/app/data \
    BOT_DATABASE_URL=sqlite+aiosqlite:////app/data/bot.db \
    BOT_REQUIRE_PLATFORM=1
# BOT_REQUIRE_PLATFORM: a container's stdin is closed, so without tokens `run` stops with one
# line naming the tokens to set instead of starting a terminal chat that would exit at once.
RUN useradd --create-home --uid 10001 --user-group roadmap \
    && mkdir -p /app/data && chown roadmap:roadmap /app/data
COPY --from=build /opt/venv /opt/venv
WORKDIR /app
USER roadmap
VOLUME ["/app/data"]
# Slack HTTP mode listens here (BOT_SLACK_PORT); Discord and Slack Socket Mode need no port.
EXPOSE 3000
# Healthy means: the settings are valid and the database answers.
HEALTHCHECK --interval=30s --timeout=10s --start-period=20s --retries=3 \
    CMD ["roadmap-bot", "check-config", "--ping"]
ENTRYPOINT ["roadmap-bot"]
CMD ["run", "--log-json"]
