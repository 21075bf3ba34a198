"""A GitHub-style activity heatmap as a PNG, drawn with the standard library alone."""

from __future__ import annotations

import struct
import zlib
from collections.abc import Mapping
from datetime import date, timedelta

WEEKS = 26
CELL = 12
GAP = 3
MARGIN = 6
BACKGROUND = (255, 255, 255)
# Empty, then four intensities: more minutes, darker green.
LEVELS = ((235, 237, 240), (155, 233, 168), (64, 196, 99), (48, 161, 78), (33, 110, 57))
THRESHOLDS = (1, 20, 45, 90)  # minutes at which a day moves up a level (0 minutes = a check-in)


def level(minutes: int | None) -> int:
    """Return the colour level of a day: 0 nothing, 1 a check-in, up to 4 for long study."""
    if minutes is None:
        return 0
    return 1 + sum(1 for t in THRESHOLDS[1:] if minutes >= t)


def heatmap_png(days: Mapping[date, int], today: date, weeks: int = WEEKS) -> bytes:
    """Return a PNG of the last `weeks` weeks: one column a week, Monday on top."""
    last_monday = today - timedelta(days=today.weekday())
    first = last_monday - timedelta(weeks=weeks - 1)
    width = 2 * MARGIN + weeks * CELL + (weeks - 1) * GAP
    height = 2 * MARGIN + 7 * CELL + 6 * GAP
    pixels = [[BACKGROUND] * width for _ in range(height)]
    for week in range(weeks):
        for weekday in range(7):
            day = first + timedelta(weeks=week, days=weekday)
            if day > today:
                continue
            colour = LEVELS[level(days.get(day))]
            x0 = MARGIN + week * (CELL + GAP)
            y0 = MARGIN + weekday * (CELL + GAP)
            for y in range(y0, y0 + CELL):
                pixels[y][x0 : x0 + CELL] = [colour] * CELL
    raw = b"".join(b"\x00" + bytes(c for px in row for c in px) for row in pixels)
    return _png(width, height, raw)


def _png(width: int, height: int, raw: bytes) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 6))
        + chunk(b"IEND", b"")
    )
