"""The heatmap PNG: valid, the right size, and the right colour on the right day."""

from __future__ import annotations

import struct
import zlib
from datetime import date, timedelta

from bot.core.study.heatmap import CELL, GAP, LEVELS, MARGIN, WEEKS, heatmap_png, level


def decode(png: bytes) -> tuple[int, int, bytes]:
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    idat_length = struct.unpack(">I", png[33:37])[0]
    assert png[37:41] == b"IDAT"
    return width, height, zlib.decompress(png[41 : 41 + idat_length])


def pixel(raw: bytes, width: int, x: int, y: int) -> tuple[int, ...]:
    row = raw[y * (1 + 3 * width) + 1 :]
    return tuple(row[3 * x : 3 * x + 3])


def test_levels_grow_with_minutes() -> None:
    assert [level(m) for m in (None, 0, 19, 20, 45, 90, 600)] == [0, 1, 1, 2, 3, 4, 4]


def test_heatmap_marks_the_right_days() -> None:
    today = date(2026, 11, 19)  # a Thursday
    studied = {today: 120, today - timedelta(days=7): 0}
    width, height, raw = decode(heatmap_png(studied, today))
    assert width == 2 * MARGIN + WEEKS * CELL + (WEEKS - 1) * GAP
    assert height == 2 * MARGIN + 7 * CELL + 6 * GAP

    def cell(week: int, weekday: int) -> tuple[int, ...]:
        return pixel(
            raw, width, MARGIN + week * (CELL + GAP) + 1, MARGIN + weekday * (CELL + GAP) + 1
        )

    assert cell(WEEKS - 1, 3) == LEVELS[4]  # today, two hours
    assert cell(WEEKS - 2, 3) == LEVELS[1]  # a check-in a week ago
    assert cell(WEEKS - 2, 2) == LEVELS[0]  # nothing that Wednesday
    assert cell(WEEKS - 1, 4) != LEVELS[0]  # Friday has not happened: not drawn
