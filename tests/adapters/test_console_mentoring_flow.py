"""Mentoring end to end in the terminal: `chat --json` processes, one per member, one database.

Each process is one member (`--user`); a DM to another console member is printed by the
process that sends it, as a `{"private": ...}` line. The clock is the real one here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.adapters.test_console import chat_json

CONTEXT = "My rebase keeps dropping commits and I cannot see why"


def as_user(tmp_path: Path, user: str, *lines: str, moderator: bool = False) -> list[Any]:
    """Run `chat --json --user user` over lines; return every JSON line it printed."""
    flags = ("--user", user, *(("--moderator",) if moderator else ()))
    return chat_json(tmp_path, "".join(f"{line}\n" for line in lines).encode(), *flags)


def answers(records: list[Any]) -> list[dict[str, Any]]:
    """Return the replies to the inputs, in order."""
    return [r["reply"] for r in records if "input" in r]


def private(records: list[Any], to: str) -> list[dict[str, Any]]:
    """Return the private messages to one member, in order."""
    return [r["private"]["reply"] for r in records if r.get("private", {}).get("to") == to]


def said(reply: dict[str, Any]) -> str:
    """Return all a reply says: title, text, fields, button commands."""
    parts = [reply.get("title") or "", reply["text"]]
    parts += [f"{f['name']}: {f['value']}" for f in reply["fields"]]
    parts += [b["command"] or "" for b in reply["buttons"]]
    return "\n".join(parts)


def test_two_members_pair_up_and_a_moderator_sees_counts_only(tmp_path: Path) -> None:
    signed = as_user(
        tmp_path, "mia", "timezone America/New_York",
        "mentor signup topics:git experience:backend hours:Mon 12:00-14:00 capacity:2",
    )  # fmt: skip
    assert [a["error"] for a in answers(signed)] == [None, None]

    asked = as_user(
        tmp_path, "lea", "timezone Europe/Berlin",
        f"mentor request git {CONTEXT} hours:Mon 17:07-21:00", "mentor status",
    )  # fmt: skip
    _, request, status = answers(asked)
    assert request["error"] is None and request["ephemeral"]
    (offer,) = private(asked, "mia")
    accept, decline = (b["command"] for b in offer["buttons"])
    offer_id = int(accept.split()[-1])
    assert (accept, decline) == (f"mentor accept {offer_id}", f"mentor decline {offer_id}")
    assert "rebase" in said(offer)
    # Not the learner's hours: the range as written (a lone time could be the deadline, which
    # is shown on the mentor's clock and moves with the time the test runs).
    assert "17:07-21:00" not in said(offer) and "Berlin" not in said(offer)
    assert private(asked, "lea") == []  # answered directly
    assert len(status["fields"]) == 1  # the one request, offered
    assert "mia" not in said(status)  # the mentor is named only after accepting

    accepted = as_user(tmp_path, "mia", f"mentor accept {offer_id}", f"mentor accept {offer_id}")
    first, again = answers(accepted)
    assert first["error"] is None and again["error"] is not None  # once only
    (to_lea,), (to_mia,) = private(accepted, "lea"), private(accepted, "mia")
    for intro in (to_lea, to_mia):
        fields = {f["name"]: f["value"] for f in intro["fields"]}
        zones = next(v for v in fields.values() if "America/New_York" in v)
        assert "Europe/Berlin" in zones and "rebase" in said(intro)
        # The hours they share, on each one's clock (which hours depends on this week's DST).
        assert any(v.startswith("Mon ") for v in fields.values())
    assert "mia" in said(to_lea) and "lea" in said(to_mia)

    later = as_user(tmp_path, "lea", "mentor status")
    assert "mia" in said(answers(later)[0])  # matched: now the mentor is named

    other = as_user(tmp_path, "zed", "mentor status", "mentor stats")
    status_zed, stats_refused = answers(other)
    assert status_zed["fields"] == []
    assert all(name not in said(status_zed) for name in ("lea", "mia", "rebase", "git"))
    assert stats_refused["error"] == "permission"
    assert [r for r in other if "private" in r] == []

    (stats,) = answers(as_user(tmp_path, "mod", "mentor stats", moderator=True))
    counts = {f["name"]: f["value"] for f in stats["fields"]}
    assert (counts["Requests"], counts["Matched"], counts["Waiting now"]) == ("1", "1", "0")
    assert counts["Acceptance rate"].startswith("100%")
    assert all(name not in said(stats) for name in ("lea", "mia", "rebase"))
