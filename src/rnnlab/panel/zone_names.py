"""Whether a text names an IANA time zone (``--time-zone``, ``PanelConfig.time_zone``):
numpy- and pandas-free, so that the parsers stay light (:mod:`.time_zone` reads dates
into the zone)."""

from __future__ import annotations

import argparse
from difflib import get_close_matches
from typing import Optional

LIST_THEM = ("python -c \"import zoneinfo; print(sorted(zoneinfo.available_timezones()))\"")


def zone_problem(name) -> Optional[str]:
    """Why ``name`` is not an IANA time zone name (None: it is one)."""
    import zoneinfo

    if isinstance(name, str) and name.strip() == name and name:
        try:
            zoneinfo.ZoneInfo(name)
            return None
        except (ValueError, zoneinfo.ZoneInfoNotFoundError, OSError):
            pass
    known = zoneinfo.available_timezones()
    text = str(name)
    by_case = {z.lower(): z for z in known}
    meant = ([by_case[text.strip().lower()]] if text.strip().lower() in by_case
             else get_close_matches(text, sorted(known), 3))
    return (f"time zone {name!r} is not an IANA time zone name"
            + (f" (meant: {', '.join(meant)}?)" if meant else "")
            + f"; expected a name such as 'Europe/London', 'Australia/Melbourne' or 'UTC' "
            f"(a fixed offset such as +10:00 is not a zone: its clock keeps no daylight "
            f"saving time); list the names with {LIST_THEM}")


def zone_option(text: str) -> str:
    """An argparse type: ``--time-zone``'s value, refused while parsing when not a zone."""
    why = zone_problem(text)
    if why is not None:
        raise argparse.ArgumentTypeError(why)
    return text
