"""The refusal of numeric dates that read as day/month and as month/day alike
(02/01/2015: 2 January or 1 February), where nothing in the column or around it tells which."""

from __future__ import annotations

from ..io.errors import DataError


def both_ways(source: str, name, value, day, month, asked: bool) -> DataError:
    """The error for ``value`` of date column ``name``, with its two readings (``day``:
    day first, ``month``: month first); ``asked``: dates were expected (a future table's
    forecast dates), so the column cannot be left unread as dates."""
    return DataError(f"{source}: date column {name!r} holds dates like {value!r} that read "
                     f"as day/month and as month/day alike ({day} or {month}); write them "
                     f"as ISO dates (YYYY-MM-DD: {day} for day first)" + (
                         "" if asked else ", or pass date_column=False (--date-column none)"))
