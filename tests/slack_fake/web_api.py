"""The Web API methods the fake answers, each checked the way Slack checks it."""

from __future__ import annotations

from collections.abc import Callable

from .world import (
    APP_ID,
    BOT_ID,
    BOT_USER_ID,
    JSON,
    TEAM_DOMAIN,
    TEAM_ID,
    PostedMessage,
    UploadedFile,
    World,
)

Method = Callable[[JSON], JSON]

MAX_TEXT = 40_000  # Slack truncates longer texts and, past this, answers msg_too_long
MAX_BLOCKS = 50  # per message; a view may hold 100
MAX_ALT_TXT = 1000  # files.getUploadURLExternal answers alt_txt_too_large past this

# The bot scope each method needs, as Slack's docs list them ("" = none).
SCOPES: dict[str, str] = {
    "auth.test": "",
    "chat.postMessage": "chat:write",
    "chat.postEphemeral": "chat:write",
    "chat.update": "chat:write",
    "views.publish": "",
    "views.open": "",
    "conversations.open": "im:write",
    "users.info": "users:read",
    "usergroups.users.list": "usergroups:read",
    "reactions.add": "reactions:write",
    "files.getUploadURLExternal": "files:write",
    "files.completeUploadExternal": "files:write",
}
ALL_SCOPES = frozenset(s for s in SCOPES.values() if s)


def error(code: str, **extra: object) -> JSON:
    """Build Slack's error answer (HTTP 200 with ``"ok": false``)."""
    return {"ok": False, "error": code, **extra}


def _has_text(args: JSON) -> bool:
    return bool(args.get("text") or args.get("blocks") or args.get("attachments"))


def invalid_blocks(problems: list[str]) -> JSON:
    """Build Slack's invalid_blocks answer, naming each problem with its JSON pointer."""
    return error(
        "invalid_blocks",
        errors=problems,
        response_metadata={"messages": [f"[ERROR] {p}" for p in problems]},
    )


def _images(blocks: list[object]) -> list[tuple[str, JSON]]:
    """Return (JSON pointer, image) for image blocks and image elements (context, accessory)."""
    found: list[tuple[str, JSON]] = []
    for index, block in enumerate(blocks):
        if not isinstance(block, dict):
            continue
        where = f"/blocks/{index}"
        candidates = [(where, block), (f"{where}/accessory", block.get("accessory"))]
        elements = block.get("elements") if block.get("type") == "context" else None
        candidates += [(f"{where}/elements/{i}", e) for i, e in enumerate(elements or [])]
        found += [(p, c) for p, c in candidates if isinstance(c, dict) and c.get("type") == "image"]
    return found


def _file_of(world: World, ref: object) -> UploadedFile | None:
    """Return the uploaded, completed file a ``slack_file`` object names (by id or by url)."""
    if not isinstance(ref, dict) or ("id" in ref) == ("url" in ref):
        return None  # Slack wants exactly one of the two
    file = world.files.get(str(ref["id"])) if "id" in ref else world.file_by_url(str(ref["url"]))
    return file if file is not None and file.completed else None


def image_problems(world: World, blocks: list[object]) -> list[str]:
    """Return what Slack would refuse in the images of `blocks` (empty when it takes them).

    A ``slack_file`` must name a file the bot uploaded and completed, and one still being
    processed (`UploadedFile.processing`) is refused too; each refusal uses one of those up.
    """
    problems: list[str] = []
    for pointer, image in _images(blocks):
        if "alt_text" not in image:
            problems.append(f"missing required field: alt_text [json-pointer:{pointer}]")
        if "slack_file" not in image:
            continue  # an image_url: the fake does not fetch it
        file = _file_of(world, image["slack_file"])
        if file is not None and file.processing > 0:
            file.processing -= 1
            file = None
        if file is None:
            problems.append(f"invalid slack file [json-pointer:{pointer}/slack_file]")
    return problems


MODAL_TITLE_MAX = 24
VIEW_BLOCKS_MAX = 100
METADATA_MAX = 3000
INPUT_MAX_LENGTH = 3000
PLACEHOLDER_MAX = 150


def modal_problems(view: JSON) -> list[str]:
    """Return what Slack refuses in a modal (its title, metadata and input blocks)."""
    problems = []
    for key in ("title", "submit", "close"):
        text = (view.get(key) or {}).get("text", "")
        if len(text) > MODAL_TITLE_MAX or (key == "title" and not text):
            problems.append(f"[/view/{key}] must be 1 to {MODAL_TITLE_MAX} characters")
    blocks = view.get("blocks") or []
    if len(blocks) > VIEW_BLOCKS_MAX:
        problems.append(f"[/view/blocks] at most {VIEW_BLOCKS_MAX} blocks")
    if len(view.get("private_metadata") or "") > METADATA_MAX:
        problems.append(f"[/view/private_metadata] at most {METADATA_MAX} characters")
    block_ids = [b.get("block_id") for b in blocks if b.get("block_id")]
    if len(block_ids) != len(set(block_ids)):
        problems.append("[/view/blocks] block_id must be unique")
    inputs = [b for b in blocks if b.get("type") == "input"]
    if inputs and "submit" not in view:
        problems.append("[/view/submit] a modal with inputs needs a submit button")
    for index, block in enumerate(inputs):
        element = block.get("element") or {}
        where = f"[/view/blocks/{index}/element"
        if element.get("type") != "plain_text_input" or not element.get("action_id"):
            problems.append(f"{where}] a plain_text_input with an action_id")
        if not 1 <= int(element.get("max_length") or INPUT_MAX_LENGTH) <= INPUT_MAX_LENGTH:
            problems.append(f"{where}/max_length] at most {INPUT_MAX_LENGTH}")
        if len(str(element.get("initial_value") or "")) > int(element.get("max_length") or 3000):
            problems.append(f"{where}/initial_value] longer than its max_length")
        if len((element.get("placeholder") or {}).get("text", "")) > PLACEHOLDER_MAX:
            problems.append(f"{where}/placeholder] at most {PLACEHOLDER_MAX} characters")
    return problems


def _length(value: object) -> int:
    try:
        return int(str(value))
    except ValueError:
        return 0


class WebApi:
    """Answer Web API calls from the `World`; every method takes the call's decoded args."""

    def __init__(self, world: World, upload_url: Callable[[str], str]) -> None:
        self.world = world
        self._upload_url = upload_url  # file id -> where the upload POST goes
        self.methods: dict[str, Method] = {
            "auth.test": self.auth_test,
            "chat.postMessage": self.chat_post_message,
            "chat.postEphemeral": self.chat_post_ephemeral,
            "chat.update": self.chat_update,
            "views.publish": self.views_publish,
            "views.open": self.views_open,
            "conversations.open": self.conversations_open,
            "users.info": self.users_info,
            "usergroups.users.list": self.usergroups_users_list,
            "reactions.add": self.reactions_add,
            "files.getUploadURLExternal": self.files_get_upload_url_external,
            "files.completeUploadExternal": self.files_complete_upload_external,
        }

    def message_error(self, args: JSON) -> JSON | None:
        """Return Slack's error for a message body it would refuse, or None."""
        if not _has_text(args):
            return error("no_text")
        if len(str(args.get("text") or "")) > MAX_TEXT:
            return error("msg_too_long")
        blocks = args.get("blocks")
        if blocks is not None and (not isinstance(blocks, list) or len(blocks) > MAX_BLOCKS):
            return error("invalid_blocks")
        problems = image_problems(self.world, blocks or [])
        return invalid_blocks(problems) if problems else None

    def auth_test(self, _args: JSON) -> JSON:
        """Say who the token belongs to: bolt reads user_id / bot_id from here once."""
        return {
            "ok": True,
            "url": f"https://{TEAM_DOMAIN}.slack.com/",
            "team": "Roadmap Fake",
            "user": "roadmap-bot",
            "team_id": TEAM_ID,
            "user_id": BOT_USER_ID,
            "bot_id": BOT_ID,
            "is_enterprise_install": False,
        }

    def chat_post_message(self, args: JSON) -> JSON:
        """Post a message (optionally in a thread) and return its ts."""
        channel = self.world.resolve_channel(str(args.get("channel") or ""))
        if channel is None:
            return error("channel_not_found")
        problem = self.message_error(args)
        if problem:
            return problem
        thread_ts = args.get("thread_ts")
        message = PostedMessage(
            channel=channel,
            ts=self.world.new_ts(),
            text=str(args.get("text") or ""),
            blocks=args.get("blocks"),
            thread_ts=str(thread_ts) if thread_ts else None,
        )
        self.world.messages.append(message)
        return {"ok": True, "channel": channel, "ts": message.ts, "message": message.to_json()}

    def chat_post_ephemeral(self, args: JSON) -> JSON:
        """Show a message to one user in a channel; Slack keeps no copy, so neither do we."""
        channel = self.world.resolve_channel(str(args.get("channel") or ""))
        if channel is None:
            return error("channel_not_found")
        if args.get("user") not in self.world.users:
            return error("user_not_found")
        problem = self.message_error(args)
        if problem:
            return problem
        ts = self.world.new_ts()
        self.world.ephemerals.append({**args, "channel": channel, "message_ts": ts})
        return {"ok": True, "message_ts": ts}

    def chat_update(self, args: JSON) -> JSON:
        """Edit one of the bot's messages; other people's messages cannot be edited."""
        channel = self.world.resolve_channel(str(args.get("channel") or ""))
        if channel is None:
            return error("channel_not_found")
        message = self.world.find_message(channel, str(args.get("ts") or ""))
        if message is None:
            return error("message_not_found")
        problem = self.message_error(args)
        if problem:
            return problem
        if "text" in args:
            message.text = str(args["text"] or "")
        if "blocks" in args:
            message.blocks = args["blocks"]
        message.edits += 1
        return {
            "ok": True,
            "channel": channel,
            "ts": message.ts,
            "text": message.text,
            "message": message.to_json(),
        }

    def views_publish(self, args: JSON) -> JSON:
        """Publish a user's App Home tab; a stale `hash` is refused as Slack refuses it."""
        user_id = args.get("user_id")
        if user_id not in self.world.users:
            return error("user_not_found")
        view = args.get("view")
        if not isinstance(view, dict) or view.get("type") != "home":
            return error("invalid_arguments")
        current = self.world.home_views.get(str(user_id))
        if args.get("hash") and current is not None and args["hash"] != current["hash"]:
            return error("hash_conflict")
        stored = self._stored_view(view, current["id"] if current else None)
        self.world.home_views[str(user_id)] = stored
        return {"ok": True, "view": stored}

    def views_open(self, args: JSON) -> JSON:
        """Open a modal; the trigger_id of the click or command that asked for it is needed."""
        if not args.get("trigger_id"):
            return error("invalid_arguments")
        view = args.get("view")
        if not isinstance(view, dict) or view.get("type") != "modal" or "title" not in view:
            return error("invalid_arguments")
        problems = modal_problems(view)
        if problems:
            return error("invalid_arguments", response_metadata={"messages": problems})
        stored = self._stored_view(view, None) | {"trigger_id": args["trigger_id"]}
        self.world.opened_views.append(stored)
        return {"ok": True, "view": stored}

    def conversations_open(self, args: JSON) -> JSON:
        """Open (or find) the bot's DM with one user."""
        users = [u for u in str(args.get("users") or "").split(",") if u]
        if len(users) != 1:
            # Group DMs (several users) are not something this bot opens.
            return error("not_supported" if users else "users_list_not_supplied")
        if users[0] not in self.world.users:
            return error("user_not_found")
        return {"ok": True, "channel": {"id": self.world.dm_with(users[0])["id"]}}

    def users_info(self, args: JSON) -> JSON:
        """Return one user (is_admin, is_owner, tz, real_name...)."""
        user = self.world.users.get(str(args.get("user") or ""))
        return {"ok": True, "user": user} if user else error("user_not_found")

    def usergroups_users_list(self, args: JSON) -> JSON:
        """Return the ids of a user group's members."""
        group = self.world.usergroups.get(str(args.get("usergroup") or ""))
        return {"ok": True, "users": list(group["users"])} if group else error("no_such_subteam")

    def reactions_add(self, args: JSON) -> JSON:
        """Add an emoji reaction; the same one twice is already_reacted."""
        channel = self.world.resolve_channel(str(args.get("channel") or ""))
        if channel is None:
            return error("channel_not_found")
        if not args.get("timestamp"):
            return error("no_item_specified")
        if not args.get("name"):
            return error("invalid_name")
        key = (channel, str(args["timestamp"]), str(args["name"]))
        if key in self.world.reactions:
            return error("already_reacted")
        self.world.reactions.add(key)
        return {"ok": True}

    def files_get_upload_url_external(self, args: JSON) -> JSON:
        """Start an upload: a new file id and the URL its bytes are POSTed to."""
        filename, length = str(args.get("filename") or ""), _length(args.get("length"))
        if not filename or length <= 0:
            return error("missing_argument")  # Slack's answer to a zero length
        alt_txt = args.get("alt_txt")
        if alt_txt is not None and len(str(alt_txt)) > MAX_ALT_TXT:
            return error("alt_txt_too_large")
        file_id = self.world.new_file_id()
        self.world.files[file_id] = UploadedFile(
            file_id, filename, length, None if alt_txt is None else str(alt_txt)
        )
        return {"ok": True, "upload_url": self._upload_url(file_id), "file_id": file_id}

    def files_complete_upload_external(self, args: JSON) -> JSON:
        """Finish uploads; share them to channel_id / channels, else keep them private.

        Sharing is only noted on the file (`UploadedFile.channels`): the fake posts no
        file_share message.
        """
        items = args.get("files")
        if not isinstance(items, list) or not items or not all(isinstance(i, dict) for i in items):
            return error("invalid_arguments")
        wanted = [c for c in str(args.get("channels") or "").split(",") if c]
        wanted += [str(args["channel_id"])] if args.get("channel_id") else []
        channels = [self.world.resolve_channel(c) for c in wanted]
        if None in channels:
            return error("channel_not_found")
        found = [self.world.files.get(str(i.get("id") or "")) for i in items]
        files = [f for f in found if f is not None and f.data is not None]
        if len(files) != len(items):
            return error("file_not_found")  # an unknown id, or its bytes never arrived
        for file, item in zip(files, items, strict=True):
            file.title = str(item.get("title") or file.filename)
            file.completed = True
            file.channels = [c for c in channels if c is not None]
            file.processing = self.world.processing_refusals
        return {"ok": True, "files": [f.to_json() for f in files]}

    def _stored_view(self, view: JSON, view_id: str | None) -> JSON:
        view_id = view_id or self.world.new_view_id()
        return {
            "id": view_id,
            "team_id": TEAM_ID,
            "app_id": APP_ID,
            "bot_id": BOT_ID,
            "callback_id": "",
            "private_metadata": "",
            "external_id": "",
            **view,
            "hash": self.world.new_ts(),  # any fresh value; Slack's is opaque too
        }
