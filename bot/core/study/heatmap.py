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
    background = bytes(BACKGROUND)
    # Built a band of rows at a time: every pixel row of one weekday's cells is the same, so
    # the image is a few byte strings repeated (a tenth of the time of pixel by pixel).
    blank_row = b"\x00" + background * width
    gap_rows = blank_row * GAP
    bands = [blank_row * MARGIN]
    for weekday in range(7):
        row = [background * MARGIN]
        for week in range(weeks):
            day = first + timedelta(weeks=week, days=weekday)
            colour = background if day > today else bytes(LEVELS[level(days.get(day))])
            row.append(colour * CELL)
            row.append(background * (GAP if week < weeks - 1 else MARGIN))
        bands.append((b"\x00" + b"".join(row)) * CELL)
        bands.append(gap_rows if weekday < 6 else blank_row * MARGIN)
    height = 2 * MARGIN + 7 * CELL + 6 * GAP
    return _png(width, height, b"".join(bands))


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
