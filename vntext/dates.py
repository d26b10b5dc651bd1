"""Dates as documents state them ("ngày 15 tháng 3 năm 2023", "15/3/2023"), to ISO form."""

from __future__ import annotations

import datetime

# The years a date of these documents can fall in. A document cited by one may be older
# than the state's own documents (1945) only when it is not one of them.
EARLIEST = 1900
LATEST = 2100
# The earliest year of a cited Vietnamese state or Party document (the republic, 1945).
EARLIEST_CITED = 1945


def iso_date(
    day: int | str, month: int | str, year: int | str, earliest: int = EARLIEST
) -> str | None:
    """Returns the ISO date of a day, month and year, or ``None`` when it is not a date.

    Args:
        day, month, year: as numbers or as the digits written.
        earliest: the earliest year accepted (:data:`EARLIEST_CITED` for a citation).
    """
    try:
        d, m, y = int(day), int(month), int(year)
        return datetime.date(y, m, d).isoformat() if earliest <= y <= LATEST else None
    except ValueError:
        return None
