"""Serve a real slack-bolt `AsyncApp` over HTTP on 127.0.0.1, the way production serves it."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

from aiohttp import web
from slack_bolt.async_app import AsyncApp


@contextlib.asynccontextmanager
async def serve_bolt(app: AsyncApp, path: str = "/slack/events") -> AsyncIterator[str]:
    """Run bolt's own aiohttp adapter (`app.web_app`) on a free port; yield the endpoint URL.

    The same `web.Application` that `app.start()` would run, minus `web.run_app`, which owns
    the event loop and a fixed port. Listeners still running at exit are not awaited: bolt runs
    them as loose tasks after the ack, so wait for their effects before leaving.
    """
    runner = web.AppRunner(app.web_app(path=path), access_log=None, shutdown_timeout=2.0)
    await runner.setup()
    try:
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        host, port = runner.addresses[0][:2]
        yield f"http://{host}:{port}{path}"
    finally:
        await runner.cleanup()
