"""The fake Slack's data: one workspace, its people, a user group, channels, what the bot made."""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass, field
from typing import Any

JSON = dict[str, Any]

# Fixed, readable ids: a test can write "U_ADMIN" and a failure message says who it was.
TEAM_ID = "T0001"
TEAM_DOMAIN = "roadmap-fake"
APP_ID = "A_ROADMAP"
BOT_ID = "B_ROADMAP"
BOT_USER_ID = "U_BOT"
OWNER_USER_ID = "U_OWNER"
ADMIN_USER_ID = "U_ADMIN"
MEMBER_USER_ID = "U_MEMBER"
MODERATOR_USER_ID = "U_MOD"
MODS_GROUP_ID = "S_MODS"
GENERAL_CHANNEL_ID = "C_GENERAL"
ROADMAP_CHANNEL_ID = "C_ROADMAP"
CHANNEL_NAMES = {GENERAL_CHANNEL_ID: "general", ROADMAP_CHANNEL_ID: "roadmap"}


def dm_channel_id(user_id: str) -> str:
    """Return the id of the bot's DM with `user_id` (``U_MEMBER`` -> ``D_MEMBER``).

    Derived rather than random so a DM event sent by a test and the channel that
    conversations.open returns for the same user agree without any bookkeeping.
    """
    return "D" + user_id.removeprefix("U")


def channel_name(channel_id: str) -> str:
    """Return the channel_name Slack puts in a slash command sent from `channel_id`."""
    if channel_id.startswith("D"):
        return "directmessage"  # what Slack sends for any DM
    return CHANNEL_NAMES.get(channel_id, channel_id.lower())


class TsFactory:
    """Make Slack message timestamps ("seconds.micros"): unique and increasing, like Slack's."""

    def __init__(self) -> None:
        self._last = 0

    def __call__(self) -> str:
        micros = max(int(time.time() * 1_000_000), self._last + 1)
        self._last = micros
        return f"{micros // 1_000_000}.{micros % 1_000_000:06d}"


def make_user(
    user_id: str,
    name: str,
    real_name: str,
    tz: str,
    tz_offset: int,
    *,
    is_admin: bool = False,
    is_owner: bool = False,
    is_bot: bool = False,
) -> JSON:
    """Build a users.info `user` object with the fields a bot reads."""
    return {
        "id": user_id,
        "team_id": TEAM_ID,
        "name": name,
        "real_name": real_name,
        "deleted": False,
        "tz": tz,
        "tz_label": tz,
        "tz_offset": tz_offset,
        "is_admin": is_admin,
        "is_owner": is_owner,
        "is_primary_owner": is_owner,
        "is_restricted": False,
        "is_ultra_restricted": False,
        "is_bot": is_bot,
        "is_app_user": False,
        "updated": 1_700_000_000,
        "profile": {
            "real_name": real_name,
            "display_name": name,
            "team": TEAM_ID,
            **({"bot_id": BOT_ID} if is_bot else {}),
        },
    }


@dataclass
class PostedMessage:
    """A message the bot posted (chat.postMessage), with its edits applied (chat.update)."""

    channel: str
    ts: str
    text: str
    blocks: list[JSON] | None
    thread_ts: str | None = None
    edits: int = 0

    def to_json(self) -> JSON:
        """Return the `message` object Slack sends back for this message."""
        message: JSON = {
            "type": "message",
            "user": BOT_USER_ID,
            "bot_id": BOT_ID,
            "app_id": APP_ID,
            "team": TEAM_ID,
            "text": self.text,
            "ts": self.ts,
        }
        if self.blocks is not None:
            message["blocks"] = self.blocks
        if self.thread_ts is not None:
            message["thread_ts"] = self.thread_ts
        return message


@dataclass
class UploadedFile:
    """A file the bot uploads: created by files.getUploadURLExternal, filled at its upload URL.

    files.completeUploadExternal finishes it; without a channel it stays private to the bot,
    which may still show it in its own messages through an image block's ``slack_file``.
    """

    id: str
    filename: str
    length: int
    alt_txt: str | None = None
    title: str | None = None
    data: bytes | None = None  # what arrived at the upload URL
    content_type: str = ""  # of the upload POST
    completed: bool = False
    channels: list[str] = field(default_factory=list)  # shared to; empty = private
    processing: int = 0  # messages that show it to refuse yet, as Slack does while it processes

    def to_json(self) -> JSON:
        """Return the file object completeUploadExternal answers right after an upload.

        Slack has not processed the file yet then, so mimetype and filetype are still empty.
        """
        return {
            "id": self.id,
            "name": self.filename,
            "title": self.title or self.filename,
            "mimetype": "",
            "filetype": "",
            "user": BOT_USER_ID,
            "user_team": TEAM_ID,
            "size": len(self.data or b""),
            "mode": "hosted",
            "is_external": False,
            "is_public": bool(self.channels),
            "url_private": self.url_private,
            "alt_txt": self.alt_txt,
            "channels": list(self.channels),
            "groups": [],
            "ims": [],
        }

    @property
    def url_private(self) -> str:
        """Return the file's url_private (Slack's form; nothing is served there)."""
        return f"https://files.slack.com/files-pri/{TEAM_ID}-{self.id}/{self.filename}"


@dataclass
class World:
    """One workspace: five people (one of them the bot), a mods group and two channels."""

    users: dict[str, JSON] = field(default_factory=dict)
    usergroups: dict[str, JSON] = field(default_factory=dict)
    channels: dict[str, JSON] = field(default_factory=dict)
    messages: list[PostedMessage] = field(default_factory=list)
    ephemerals: list[JSON] = field(default_factory=list)
    home_views: dict[str, JSON] = field(default_factory=dict)  # user id -> published view
    opened_views: list[JSON] = field(default_factory=list)  # modals, oldest first
    reactions: set[tuple[str, str, str]] = field(default_factory=set)  # channel, ts, name
    files: dict[str, UploadedFile] = field(default_factory=dict)  # by id, oldest first
    processing_refusals: int = 0  # given to each file as it is completed (see UploadedFile)
    new_ts: TsFactory = field(default_factory=TsFactory)
    _view_ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _file_ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def __post_init__(self) -> None:
        people = [
            make_user(BOT_USER_ID, "roadmap-bot", "Roadmap Bot", "UTC", 0, is_bot=True),
            make_user(OWNER_USER_ID, "owner", "Olga Owner", "UTC", 0, is_admin=True, is_owner=True),
            make_user(
                ADMIN_USER_ID, "admin", "Ada Admin", "America/New_York", -18_000, is_admin=True
            ),
            make_user(MEMBER_USER_ID, "alice", "Alice Member", "Europe/Berlin", 3_600),
            make_user(MODERATOR_USER_ID, "mod", "Mo Moderator", "Asia/Kolkata", 19_800),
        ]
        self.users = {u["id"]: u for u in people}
        self.usergroups = {
            MODS_GROUP_ID: {
                "id": MODS_GROUP_ID,
                "team_id": TEAM_ID,
                "handle": "mods",
                "name": "Moderators",
                "users": [MODERATOR_USER_ID],
            }
        }
        self.channels = {
            cid: {"id": cid, "name": name, "is_channel": True, "is_im": False}
            for cid, name in CHANNEL_NAMES.items()
        }

    # -- look-ups -------------------------------------------------------------------------

    def dm_with(self, user_id: str) -> JSON:
        """Return (opening it on first use) the bot's DM channel with `user_id`."""
        cid = dm_channel_id(user_id)
        if cid not in self.channels:
            self.channels[cid] = {"id": cid, "is_im": True, "is_channel": False, "user": user_id}
        return self.channels[cid]

    def resolve_channel(self, channel: str) -> str | None:
        """Return the channel id a post to `channel` lands in, or None if there is none.

        Like Slack, a user id as `channel` means the bot's DM with that user, and DM channels
        exist for every user whether or not conversations.open ran first.
        """
        if channel in self.users:
            return str(self.dm_with(channel)["id"])
        if channel.startswith("D") and "U" + channel[1:] in self.users:
            return str(self.dm_with("U" + channel[1:])["id"])
        return channel if channel in self.channels else None

    def find_message(self, channel: str, ts: str) -> PostedMessage | None:
        """Return the bot's message `ts` in `channel`, if the bot posted it."""
        return next((m for m in self.messages if m.channel == channel and m.ts == ts), None)

    def new_view_id(self) -> str:
        """Return a fresh view id ("V0001", ...)."""
        return f"V{next(self._view_ids):04d}"

    def new_file_id(self) -> str:
        """Return a fresh file id ("F0001FAKE", ...): Slack checks ids against ^F[A-Z0-9]{8,}$."""
        return f"F{next(self._file_ids):04d}FAKE"

    def file_by_url(self, url: str) -> UploadedFile | None:
        """Return the file whose url_private is `url`, if any."""
        return next((f for f in self.files.values() if f.url_private == url), None)
