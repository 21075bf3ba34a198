"""A bot process for tests: one JSON request per stdin line, one JSON reply per stdout line.

Run: python tests/processes/bot_process.py DATABASE_URL DATA_DIR
A request is {"space", "user", "name", "text", "id"}; the reply is the console adapter's dict.
"""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bot.adapters.console import reply_to_dict
from bot.adapters.discord.references import DISCORD_REFERENCES
from bot.app import open_bot
from bot.config import load_settings
from bot.core.messages import Actor, Incoming, Platform


async def main(database_url: str, data_dir: str) -> None:
    settings = load_settings(database_url=database_url, data_dir=Path(data_dir))
    async with open_bot(settings) as bot:
        print(json.dumps({"ready": True}), flush=True)
        loop = asyncio.get_running_loop()
        while line := await loop.run_in_executor(None, sys.stdin.readline):
            request = json.loads(line)
            actor = Actor(Platform.DISCORD, request["space"], "chan-1", request["user"],
                          request["name"], False, request["space"])  # fmt: skip
            incoming = Incoming(actor, request["text"], request["id"], DISCORD_REFERENCES)
            reply = await bot.dispatcher.handle(incoming)
            print(json.dumps(reply_to_dict(reply)), flush=True)


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2]))
