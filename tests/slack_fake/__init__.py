"""A fake Slack (Web API + response_url sink) and Slack's signed requests, for the real slack-bolt.

Quick start::

    async with FakeSlack() as slack:
        client = AsyncWebClient(token=slack.bot_token, base_url=slack.api_base)
        app = AsyncApp(client=client, signing_secret=slack.signing_secret)
        ...  # register listeners (or build the bot's Slack adapter)
        async with serve_bolt(app) as endpoint, slack.signed_requests(endpoint) as sender:
            status, body = await sender.slash_command("/roadmap", "next")  # the ack
            posted = await slack.wait_for_response("default")  # what respond() sent
            await sender.app_mention("what next?")
            call = await slack.wait_for_call("chat.postMessage")

What the fake does as Slack does (so the bot's tests catch what production would):

- Only `bot_token` (``xoxb-...``) is accepted, from ``Authorization: Bearer`` or a ``token``
  form field: a wrong token answers ``invalid_auth``, none ``not_authed``, all with HTTP 200 and
  ``"ok": false`` (slack_sdk raises SlackApiError). Unknown methods answer ``unknown_method``.
- Arguments are read wherever slack_sdk puts them: query string (its POST ``params=`` and
  GETs), form body, JSON body; ``blocks`` / ``view`` sent as JSON strings are decoded.
- Methods check what Slack checks: channel_not_found, no_text, msg_too_long, invalid_blocks,
  user_not_found, no_such_subteam, message_not_found, already_reacted, hash_conflict, and
  ``missing_scope`` when the token lacks the method's scope (`FakeSlack(scopes=...)`).
- A user id as a channel posts to the bot's DM with that user (``U_MEMBER`` -> ``D_MEMBER``),
  the same channel `conversations.open` returns and `SlackRequests.direct_message` uses.
- `fail_next` answers 429 with ``Retry-After`` (or any error), as slack_sdk's retry handler
  expects. Answers carry exactly ``Content-Type: application/json`` and ``X-OAuth-Scopes``.
- File uploads as `files_upload_v2` makes them: files.getUploadURLExternal hands out an upload
  URL on the fake and a file id, the bytes (raw or multipart) are POSTed there, and
  files.completeUploadExternal finishes them (private unless given channels). `files` holds
  them with their bytes. An image block's ``slack_file`` must name a finished file, on the
  Web API and on response_urls (404 ``invalid_blocks`` there); `delay_file_processing` makes
  new files refused a few times first, as Slack does while it processes one, and
  `fail_next_upload` fails the upload POST.
- `SlackRequests` sends slash commands (form), events (JSON envelope, optional retry headers)
  and clicks (form ``payload=``) signed with ``v0=`` HMAC-SHA256, or tampered with on request.
"""

from .bolt import serve_bolt
from .recording import RecordedCall, RecordedResponse
from .server import DEFAULT_BOT_TOKEN, DEFAULT_SIGNING_SECRET, FakeSlack
from .signed_requests import SlackRequests
from .signing import STALE_AGE, HttpReply, Tampering, slack_signature
from .world import PostedMessage, UploadedFile

__all__ = [
    "DEFAULT_BOT_TOKEN",
    "DEFAULT_SIGNING_SECRET",
    "STALE_AGE",
    "FakeSlack",
    "HttpReply",
    "PostedMessage",
    "RecordedCall",
    "RecordedResponse",
    "SlackRequests",
    "Tampering",
    "UploadedFile",
    "serve_bolt",
    "slack_signature",
]
