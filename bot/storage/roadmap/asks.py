"""SqlAskLog: what each question came to, the ratings of answers, and the keep setting."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    and_,
    case,
    delete,
    exists,
    func,
    insert,
    literal,
    not_,
    or_,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.core.messages import Platform
from bot.core.ports import MemberKey
from bot.core.roadmap.ports import AskedQuestion, AskStats, DocumentRatings, KeptQuestion, Rated
from bot.storage.ask_tables import (
    KEPT_TEXT_LENGTH,
    AskAnswerDocumentRow,
    AskAnswerRow,
    AskAnswerTopicRow,
    AskRatingRow,
    AskSettingsRow,
)
from bot.storage.repositories import changed, dialect_insert

log = logging.getLogger(__name__)

ANSWERS = AskAnswerRow
RATINGS = AskRatingRow


def _keeps(platform: Any, space_id: Any) -> ColumnElement[bool]:
    """Return whether the community (columns or values) keeps declined questions' text."""
    return exists().where(
        AskSettingsRow.platform == platform,
        AskSettingsRow.space_id == space_id,
        AskSettingsRow.keep_declined.is_(True),
    )


class SqlAskLog:
    """Questions' outcomes, answers' ratings and the keep setting, in the ask_* tables."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def record(self, question: AskedQuestion) -> int:
        """Store one question's outcome (its text only where kept); return its answer id."""
        text = question.declined_text
        kept: Any = None
        if text and not question.answered:
            # Decided in the INSERT itself: a community that has just turned keeping off
            # never gets a text stored after its kept ones were deleted.
            kept = case(
                (
                    _keeps(question.platform.value, question.space_id),
                    literal(text[:KEPT_TEXT_LENGTH]),
                ),
                else_=None,
            )
        async with self._sessions.begin() as session:
            answer_id = (
                await session.execute(
                    insert(ANSWERS)
                    .values(
                        platform=question.platform.value,
                        space_id=question.space_id,
                        asker_id=question.asker_id,
                        asked_at=question.asked_at,
                        answered=question.answered,
                        kept_text=kept,
                    )
                    .returning(ANSWERS.id)
                )
            ).scalar_one()
            documents = list(dict.fromkeys(question.documents))
            if documents:
                await session.execute(
                    insert(AskAnswerDocumentRow),
                    [{"answer_id": answer_id, "document": d} for d in documents],
                )
            topics = list(dict.fromkeys(question.topics))
            if topics:
                await session.execute(
                    insert(AskAnswerTopicRow),
                    [{"answer_id": answer_id, "topic_id": t} for t in topics],
                )
        return int(answer_id)

    async def rate(
        self, answer_id: int, member: MemberKey, space_id: str, helpful: bool, at: datetime
    ) -> Rated:
        """Store member's rating of an answer given in space_id (one per member and answer)."""
        answered = select(ANSWERS.id).where(
            ANSWERS.id == answer_id,
            ANSWERS.platform == member.platform.value,
            ANSWERS.space_id == space_id,
            ANSWERS.answered.is_(True),
        )
        earlier = select(RATINGS.helpful).where(
            RATINGS.answer_id == answer_id,
            RATINGS.platform == member.platform.value,
            RATINGS.user_id == member.user_id,
        )
        async with self._sessions.begin() as session:
            if (await session.execute(answered)).first() is None:
                return Rated.UNKNOWN
            before = (await session.execute(earlier)).scalar_one_or_none()
            if before is not None and bool(before) == helpful:
                return Rated.SAME
            upsert = dialect_insert(session, AskRatingRow).values(
                answer_id=answer_id,
                platform=member.platform.value,
                user_id=member.user_id,
                helpful=helpful,
                rated_at=at,
            )
            # The key (answer, member) keeps one rating each, whatever clicks arrive at once.
            await session.execute(
                upsert.on_conflict_do_update(
                    index_elements=[RATINGS.answer_id, RATINGS.platform, RATINGS.user_id],
                    set_={"helpful": upsert.excluded.helpful, "rated_at": upsert.excluded.rated_at},
                )
            )
        return Rated.NEW if before is None else Rated.CHANGED

    async def stats(
        self, platform: Platform, space_id: str, since: datetime, top: int, kept: int
    ) -> AskStats:
        """Return the community's figures for questions asked since `since`."""
        window = and_(
            ANSWERS.platform == platform.value,
            ANSWERS.space_id == space_id,
            ANSWERS.asked_at >= since,
        )
        unhelpful = func.sum(case((RATINGS.helpful.is_(False), 1), else_=0))
        helpful = func.sum(case((RATINGS.helpful.is_(True), 1), else_=0))
        async with self._sessions() as session:
            outcomes = dict(
                (
                    await session.execute(
                        select(ANSWERS.answered, func.count())
                        .where(window)
                        .group_by(ANSWERS.answered)
                    )
                ).all()
            )
            ratings = dict(
                (
                    await session.execute(
                        select(RATINGS.helpful, func.count())
                        .join(ANSWERS, ANSWERS.id == RATINGS.answer_id)
                        .where(window)
                        .group_by(RATINGS.helpful)
                    )
                ).all()
            )
            count = func.count().label("count")
            topics = (
                await session.execute(
                    select(AskAnswerTopicRow.topic_id, count)
                    .join(ANSWERS, ANSWERS.id == AskAnswerTopicRow.answer_id)
                    .where(window)
                    .group_by(AskAnswerTopicRow.topic_id)
                    .order_by(count.desc(), AskAnswerTopicRow.topic_id)
                    .limit(top)
                )
            ).all()
            documents = (
                await session.execute(
                    select(AskAnswerDocumentRow.document, helpful, unhelpful)
                    .join(RATINGS, RATINGS.answer_id == AskAnswerDocumentRow.answer_id)
                    .join(ANSWERS, ANSWERS.id == AskAnswerDocumentRow.answer_id)
                    .where(window)
                    .group_by(AskAnswerDocumentRow.document)
                    .having(unhelpful > 0)
                    .order_by(unhelpful.desc(), AskAnswerDocumentRow.document)
                    .limit(top)
                )
            ).all()
            texts = (
                await session.execute(
                    select(ANSWERS.asked_at, ANSWERS.kept_text)
                    .where(window, ANSWERS.kept_text.is_not(None))
                    .order_by(ANSWERS.asked_at.desc(), ANSWERS.id.desc())
                    .limit(kept)
                )
            ).all()
        rated_helpful = int(ratings.get(True, 0))
        # PostgreSQL counts and sums as BIGINT, SQLite booleans come back as 0/1: int() both.
        return AskStats(
            answered=int(_by_flag(outcomes, True)),
            declined=int(_by_flag(outcomes, False)),
            helpful=rated_helpful,
            rated=rated_helpful + int(ratings.get(False, 0)),
            topics=tuple((str(topic), int(n)) for topic, n in topics),
            documents=tuple(DocumentRatings(str(d), int(h), int(u)) for d, h, u in documents),
            kept=tuple(KeptQuestion(at, str(text)) for at, text in texts),
        )

    async def keeps_declined(self, platform: Platform, space_id: str) -> bool:
        """Say whether the community keeps declined questions' text (off by default)."""
        async with self._sessions() as session:
            return bool((await session.execute(select(_keeps(platform.value, space_id)))).scalar())

    async def set_keeps_declined(self, platform: Platform, space_id: str, keep: bool) -> int:
        """Turn keeping on or off; off deletes the texts kept so far (return how many)."""
        async with self._sessions.begin() as session:
            upsert = dialect_insert(session, AskSettingsRow).values(
                platform=platform.value, space_id=space_id, keep_declined=keep
            )
            await session.execute(
                upsert.on_conflict_do_update(
                    index_elements=[AskSettingsRow.platform, AskSettingsRow.space_id],
                    set_={"keep_declined": upsert.excluded.keep_declined},
                )
            )
            if keep:
                return 0
            result = await session.execute(
                update(ANSWERS)
                .where(
                    ANSWERS.platform == platform.value,
                    ANSWERS.space_id == space_id,
                    ANSWERS.kept_text.is_not(None),
                )
                .values(kept_text=None)
                .execution_options(synchronize_session=False)
            )
        return changed(result)

    async def prune(self, records_before: datetime, texts_before: datetime) -> int:
        """Forget records before records_before; texts before texts_before or no longer kept."""
        async with self._sessions.begin() as session:
            # Ratings, documents and topics go with their answer (ON DELETE CASCADE).
            gone = await session.execute(
                delete(ANSWERS)
                .where(ANSWERS.asked_at < records_before)
                .execution_options(synchronize_session=False)
            )
            cleared = await session.execute(
                update(ANSWERS)
                .where(
                    ANSWERS.kept_text.is_not(None),
                    or_(
                        ANSWERS.asked_at < texts_before,
                        not_(_keeps(ANSWERS.platform, ANSWERS.space_id)),
                    ),
                )
                .values(kept_text=None)
                .execution_options(synchronize_session=False)
            )
        removed = changed(gone)
        emptied = changed(cleared)
        if removed or emptied:
            log.info("pruned %d question records and %d kept texts", removed, emptied)
        return removed + emptied


def _by_flag(counts: dict[Any, Any], flag: bool) -> int:
    """Return the count of a boolean group, whether the database gave True or 1 as its key."""
    return int(sum(n for key, n in counts.items() if bool(key) is flag))
