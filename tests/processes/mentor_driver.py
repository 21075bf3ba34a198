"""A whole bot process for the mentoring two-process tests, on a clock the test sets.

Run: python tests/processes/mentor_driver.py DATABASE_URL DATA_DIR NOW_ISO OUT_FILE [hold]
Prints {"ready": true}, then answers one JSON line per stdin line. A line is
{"now": ISO (optional), "tag": str, "steps": [{"timer": name} | {"say": {user, name, text, id}}]};
the steps run in order and the answer is {"results": [...]}: a timer's count, a reply's dict.
Every DM and moderators' notice is appended to OUT_FILE as one JSON line (the process id, the
tag, to whom, the reply); with "hold" there is no DM notifier, so the real DirectMessenger holds
every DM in held_notices (moderators' notices still go to the file).
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bot.adapters.console import reply_to_dict
from bot.adapters.discord.references import DISCORD_REFERENCES
from bot.app import open_bot
from bot.config import load_settings
from bot.core.messages import Actor, Incoming, Platform, Reply
from bot.core.ports import MemberKey, Reach

SPACE = "guild-1"


class SetClock:
    """A clock that shows what the test last said."""

    def __init__(self, at: datetime) -> None:
        self.at = at

    def now(self) -> datetime:
        """Return the time the test set."""
        return self.at


class FileOutbox:
    """A Notifier and ModeratorNotifier that append whole JSON lines to one shared file."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self.tag = ""

    def _write(self, record: dict[str, object]) -> None:
        line = json.dumps({"pid": os.getpid(), "tag": self.tag, **record})
        with self._path.open("a", encoding="utf-8") as out:  # O_APPEND: lines stay whole
            out.write(line + "\n")

    async def post(self, space_id: str, channel_id: str, reply: Reply) -> None:
        self._write({"kind": "post", "space": space_id, "channel": channel_id,
                     "reply": reply_to_dict(reply)})  # fmt: skip

    async def direct(self, key: MemberKey, reply: Reply, *, space_id: str | None = None) -> None:
        self._write({"kind": "direct", "user": key.user_id, "space": space_id,
                     "reply": reply_to_dict(reply)})  # fmt: skip
        await asyncio.sleep(0.002)  # a platform's round trip, so the processes overlap

    async def tell_moderators(self, space_id: str, channel_id: str, reply: Reply) -> bool:
        self._write({"kind": "moderators", "space": space_id, "channel": channel_id,
                     "reply": reply_to_dict(reply)})  # fmt: skip
        return True


async def main(database_url: str, data_dir: str, now: datetime, out: Path, *, hold: bool) -> None:
    settings = load_settings(database_url=database_url, data_dir=Path(data_dir))
    clock = SetClock(now)
    outbox = FileOutbox(out)
    notifiers = {} if hold else {Platform.DISCORD: outbox}
    reach = Reach(notifiers=notifiers, moderators={Platform.DISCORD: outbox})
    async with open_bot(settings, clock=clock, reach=reach) as bot:
        print(json.dumps({"ready": True}), flush=True)
        loop = asyncio.get_running_loop()
        while line := await loop.run_in_executor(None, sys.stdin.readline):
            command = json.loads(line)
            if "now" in command:
                clock.at = datetime.fromisoformat(command["now"])
            outbox.tag = command.get("tag", "")
            results: list[object] = []
            for step in command["steps"]:
                if "timer" in step:
                    results.append(await bot.timers[step["timer"]].run())
                    continue
                said = step["say"]
                actor = Actor(Platform.DISCORD, SPACE, "chan-1", said["user"], said["name"],
                              False, SPACE)  # fmt: skip
                incoming = Incoming(actor, said["text"], said["id"], DISCORD_REFERENCES)
                results.append(reply_to_dict(await bot.dispatcher.handle(incoming)))
            print(json.dumps({"results": results}), flush=True)


if __name__ == "__main__":
    now, out = datetime.fromisoformat(sys.argv[3]), Path(sys.argv[4])
    asyncio.run(main(sys.argv[1], sys.argv[2], now, out, hold=sys.argv[5:] == ["hold"]))
