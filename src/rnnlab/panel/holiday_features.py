"""The calendar features that read a country's public holidays (``country=`` needed, the
`holidays` package imported), named apart from the others; numpy- and pandas-free, for
the configs' checks. :mod:`.calendar` computes them."""

from __future__ import annotations

from typing import Sequence

# the holiday counts: the calendar period each counts the holidays of (pandas' period code)
COUNTS = {"month_holidays": "M", "quarter_holidays": "Q"}
# 'holiday': 1 on a holiday's own date; the counts: the holidays of its month or quarter
HOLIDAY_FEATURES = ("holiday", *COUNTS)


def reads_holidays(features: Sequence[str]) -> bool:
    """Whether any of ``features`` reads a country's holidays (needs ``country=``)."""
    return any(f in HOLIDAY_FEATURES for f in features or ())


__all__ = ["COUNTS", "HOLIDAY_FEATURES", "reads_holidays"]
