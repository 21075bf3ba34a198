"""Rows of the mentoring request tables as the core's records."""

from __future__ import annotations

from typing import cast

from sqlalchemy import Table
from sqlalchemy.engine import RowMapping

from bot.core.mentoring.records import MentorRequest, Offer, OfferState, Pairing, RequestState
from bot.core.messages import Platform
from bot.storage.mentoring_tables import (
    MentorFollowupRow,
    MentoringSettingsRow,
    MentorOfferRow,
    MentorPairingRow,
    MentorRequestRow,
)

REQUESTS = cast(Table, MentorRequestRow.__table__)
OFFERS = cast(Table, MentorOfferRow.__table__)
PAIRINGS = cast(Table, MentorPairingRow.__table__)
FOLLOWUPS = cast(Table, MentorFollowupRow.__table__)
SETTINGS = cast(Table, MentoringSettingsRow.__table__)


def request_of(row: RowMapping) -> MentorRequest:
    """Return a request row as a MentorRequest."""
    return MentorRequest(
        id=row["id"],
        platform=Platform(row["platform"]),
        space_id=row["space_id"],
        learner_id=row["learner_id"],
        learner_name=row["learner_name"],
        channel_id=row["channel_id"],
        topic=row["topic"],
        context=row["context"],
        hours=row["hours"],
        timezone=row["timezone"],
        stage=row["stage"],
        state=RequestState(row["state"]),
        requested_at=row["requested_at"],
        matched_at=row["matched_at"],
    )


def offer_of(row: RowMapping) -> Offer:
    """Return an offer row as an Offer."""
    return Offer(
        id=row["id"],
        request_id=row["request_id"],
        mentor_id=row["mentor_id"],
        state=OfferState(row["state"]),
        offered_at=row["offered_at"],
        deadline=row["deadline"],
    )


def pairing_of(row: RowMapping) -> Pairing:
    """Return a pairing row as a Pairing."""
    return Pairing(
        id=row["id"],
        request_id=row["request_id"],
        platform=Platform(row["platform"]),
        space_id=row["space_id"],
        mentor_id=row["mentor_id"],
        learner_id=row["learner_id"],
        active=row["state"] == "active",
        started_at=row["started_at"],
        followup_at=row["followup_at"],
        met=row["met_at"] is not None,
    )
