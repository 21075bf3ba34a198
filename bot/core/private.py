"""Private messages that never stall a flow: a DM, or held for the member's next message."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import timedelta

from bot.core.messages import Reply
from bot.core.ports import HeldNotices, MemberKey, Reach

log = logging.getLogger(__name__)

NOTICE_RETENTION = timedelta(days=14)  # a held notice older than this is never shown
NOTICES_PER_MESSAGE = 3  # beside one answer (Slack takes 5 responses per command, the answer one)


class DirectMessenger:
    """The core's PrivateMessenger: DM through the platform's notifier, else hold the notice.

    A platform that refuses (closed DMs, no shared server, the adapter not running, any error
    of its notifier) costs one warning line; the notice is kept in HeldNotices and the
    dispatcher shows it privately beside the member's next answer.
    """

    def __init__(self, reach: Reach, held: HeldNotices) -> None:
        self._reach = reach
        self._held = held

    async def send(self, key: MemberKey, reply: Reply, *, space_id: str) -> bool:
        """Send reply about space_id (its buttons act there); False when it was held instead."""
        notifier = self._reach.notifiers.get(key.platform)
        if notifier is None:
            why = "no running adapter"
        else:
            try:
                await notifier.direct(key, reply, space_id=space_id)
            except Exception as error:  # any refusal: the flow that sent it must go on
                # The class name only: a platform's error text may quote URLs or payloads.
                why = type(error).__name__
            else:
                return True
        log.warning(
            "cannot DM %s member %s about space %s (%s); held for their next message",
            key.platform.value,
            key.user_id,
            space_id,
            why,
        )
        await self._held.hold(key, without_image(reply), space_id=space_id)
        return False


def without_image(reply: Reply) -> Reply:
    """Return reply without its image, its alt text said instead: held notices keep no bytes."""
    if reply.image is None:
        return reply
    text = f"{reply.text}\n({reply.image.alt_text})" if reply.image.alt_text else reply.text
    return replace(reply, text=text, image=None)
