"""Upgrade a database in a process of its own, stopping after one DDL statement when asked.

Usage: python migration_driver.py DATABASE_URL [STATEMENT_PREFIX]

Prints the revisions before and after, as "None 0004"; it starts faster than
`python -m bot migrate`, which imports every adapter. With a prefix (e.g. "CREATE TABLE
progress"), it prints "paused" once a statement starting with it has run, then sleeps inside
the migration so the test can kill -9 it there. Only the tests use this; the bot has no hook.
"""

from __future__ import annotations

import asyncio
import sys
import time
from typing import Any

from sqlalchemy import event

from bot.storage.db import create_engine
from bot.storage.migrate import upgrade


async def main(url: str, pause_after: str | None) -> None:
    engine = create_engine(url)
    if pause_after is not None:

        def pause(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
            if " ".join(statement.split()).startswith(pause_after):
                print("paused", flush=True)
                time.sleep(300)  # blocks the whole process mid-transaction, as a hang would

        event.listen(engine.sync_engine, "after_cursor_execute", pause)
    try:
        revisions = await upgrade(engine)
        print(revisions.before, revisions.after, flush=True)
    finally:
        await engine.dispose()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else None))
