"""SQL implementation of HeldNotices: private messages kept for a member's next message."""

from __future__ import annotations

import json
import logging
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.core.messages import Button, Field, Notice, Reply
from bot.core.ports import Clock, MemberKey
from bot.storage.repositories import changed
from bot.storage.tables import HeldNoticeRow

log = logging.getLogger(__name__)

FORMAT = 1  # the version of the stored JSON, for readers of older rows


class SqlHeldNotices:
    """Held notices in the held_notices table; a notice is taken (deleted) exactly once."""

    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], clock: Clock, retention: timedelta
    ) -> None:
        self._sessions = sessions
        self._clock = clock
        self._retention = retention  # an older notice is never shown (pruning deletes it)

    async def hold(self, key: MemberKey, reply: Reply, *, space_id: str) -> None:
        """Keep reply (about space_id) for the member, stamped with the time it was held."""
        row = HeldNoticeRow(
            platform=key.platform.value,
            user_id=key.user_id,
            space_id=space_id,
            held_at=self._clock.now(),
            body=reply_to_json(reply),
        )
        async with self._sessions.begin() as session:
            session.add(row)

    async def take(self, key: MemberKey, limit: int) -> tuple[Notice, ...]:
        """Remove and return the member's notices, oldest first, at most limit of them."""
        if limit <= 0:
            return ()
        oldest = (
            select(HeldNoticeRow.id)
            .where(
                HeldNoticeRow.platform == key.platform.value,
                HeldNoticeRow.user_id == key.user_id,
                HeldNoticeRow.held_at >= self._clock.now() - self._retention,
            )
            .order_by(HeldNoticeRow.held_at, HeldNoticeRow.id)
            .limit(limit)
        )
        # DELETE ... RETURNING decides who shows a notice: of two takers at once, the second
        # finds the rows gone (PostgreSQL re-checks them after the first commits; SQLite runs
        # one writer at a time), so no notice is shown twice.
        taken = (
            delete(HeldNoticeRow)
            .where(HeldNoticeRow.id.in_(oldest.scalar_subquery()))
            .returning(
                HeldNoticeRow.id, HeldNoticeRow.held_at, HeldNoticeRow.space_id, HeldNoticeRow.body
            )
            .execution_options(synchronize_session=False)
        )
        async with self._sessions.begin() as session:
            returned = (await session.execute(taken)).all()
        rows = sorted(returned, key=lambda row: (row.held_at, row.id))  # RETURNING: no order
        notices = []
        for row in rows:
            try:
                notices.append(Notice(reply_from_json(row.body), row.space_id))
            except (ValueError, KeyError, TypeError):
                log.warning("dropped held notice %s: its stored form cannot be read", row.id)
        return tuple(notices)

    async def forget_before(self, cutoff: datetime) -> int:
        """Drop notices held before cutoff; return how many were dropped."""
        async with self._sessions.begin() as session:
            result = await session.execute(
                delete(HeldNoticeRow)
                .where(HeldNoticeRow.held_at < cutoff)
                .execution_options(synchronize_session=False)
            )
        return changed(result)


def reply_to_json(reply: Reply) -> str:
    """Return reply as stored JSON: text, title, fields, buttons and the error code.

    Images are refused (held notices keep no bytes; the messenger drops them first), and
    notices of its own are not kept (a held notice never carries more held notices).
    """
    if reply.image is not None:
        raise ValueError("a held notice cannot keep an image")
    return json.dumps(
        {
            "v": FORMAT,
            "text": reply.text,
            "title": reply.title,
            "fields": [[f.name, f.value, f.inline] for f in reply.fields],
            "buttons": [[b.label, b.command, b.url] for b in reply.buttons],
            "error": reply.error,
        },
        ensure_ascii=False,
    )


def reply_from_json(body: str) -> Reply:
    """Return the Reply a stored notice holds (shown privately, so ephemeral)."""
    data = json.loads(body)
    if not isinstance(data, dict) or data.get("v") != FORMAT:
        raise ValueError("unknown notice format")
    return Reply(
        text=str(data["text"]),
        title=None if data["title"] is None else str(data["title"]),
        fields=tuple(Field(str(n), str(v), bool(i)) for n, v, i in data["fields"]),
        buttons=tuple(
            Button(str(label), _opt(command), _opt(url)) for label, command, url in data["buttons"]
        ),
        ephemeral=True,
        error=_opt(data.get("error")),
    )


def _opt(value: object) -> str | None:
    return None if value is None else str(value)
