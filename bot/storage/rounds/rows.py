"""Rows of pairing rounds and outcomes, to and from the core's types; shared helpers."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence
from typing import Any, cast

from sqlalchemy import Table, select
from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.mentoring.fit import Pair
from bot.core.mentoring.matching import RoundResult
from bot.core.mentoring.rounds.ports import PlannedRound, Seat, seats_of
from bot.storage.tables import PairingOutcomeRow

OUTCOMES = cast(Table, PairingOutcomeRow.__table__)


async def outcomes_of(
    session: AsyncSession, round_ids: Sequence[int]
) -> dict[int, list[RowMapping]]:
    """Return the outcome rows of rounds, by round id (every id present, maybe empty)."""
    by_round: dict[int, list[RowMapping]] = defaultdict(list)
    if round_ids:
        query = select(OUTCOMES).where(OUTCOMES.c.round_id.in_(list(round_ids)))
        for row in (await session.execute(query)).mappings().all():
            by_round[int(row["round_id"])].append(row)
    return {round_id: by_round[round_id] for round_id in round_ids}


def result_of(rows: Sequence[RowMapping]) -> RoundResult:
    """Rebuild a round's result in its own order: groups, members in their seats, sat out."""
    groups: dict[int, list[RowMapping]] = defaultdict(list)
    sat_out: list[RowMapping] = []
    for row in rows:
        (sat_out if row["kind"] == "sat_out" else groups[row["group_number"]]).append(row)
    return RoundResult(
        tuple(
            tuple(r["user_id"] for r in sorted(groups[number], key=lambda r: r["seat"]))
            for number in sorted(groups)
        ),
        tuple(r["user_id"] for r in sorted(sat_out, key=lambda r: r["seat"])),
    )


def seats_in(rows: Sequence[RowMapping]) -> list[Seat]:
    """Return one seat per outcome row of a round."""
    return seats_of(result_of(rows), {r["user_id"]: r["display_name"] for r in rows})


def outcome_rows(round_id: int, planned: PlannedRound) -> list[dict[str, Any]]:
    """Return the pairing_outcomes rows of a planned round: one per member."""
    position = {member: index for index, member in enumerate(planned.members)}
    rows: list[dict[str, Any]] = []
    for number, group in enumerate(planned.result.groups):
        kind = "pair" if len(group) == 2 else "trio"
        rows += [
            _row(round_id, planned, member, position[member], kind, number, seat)
            for seat, member in enumerate(group)
        ]
    rows += [
        _row(round_id, planned, member, position[member], "sat_out", -1, seat)
        for seat, member in enumerate(planned.result.sat_out)
    ]
    return rows


def _row(round_id: int, planned: PlannedRound, member: str, position: int, kind: str,
         group: int, seat: int) -> dict[str, Any]:  # fmt: skip
    return {
        "round_id": round_id,
        "user_id": member,
        "display_name": planned.names.get(member, member)[:100],
        "position": position,
        "kind": kind,
        "group_number": group,
        "seat": seat,
    }


def blocked_text(blocked: Collection[Pair]) -> str:
    """Return blocked pairs as stored: `a b` per line, sorted."""
    return "\n".join(sorted(" ".join(sorted(pair)) for pair in blocked))


def blocked_of(stored: str) -> frozenset[Pair]:
    """Return stored blocked pairs as pairs."""
    return frozenset(frozenset(line.split(" ")) for line in stored.splitlines() if line)
