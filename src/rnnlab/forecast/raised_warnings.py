"""The warning classes of other packages that the one-series
:class:`~rnnlab.forecast.Forecaster` raises, exported from :mod:`rnnlab.forecast` beside its
own, so that a user filters them from the package of the model they use::

    import warnings
    from rnnlab.forecast import HolidaysReleaseWarning
    warnings.filterwarnings("ignore", category=HolidaysReleaseWarning)

(each is the class itself: the one ``rnnlab`` and :mod:`rnnlab.panel` export too)."""

from __future__ import annotations

from ..data.off_grid import OffGridWarning as OffGridWarning
from ..data.outliers import OutlierWarning as OutlierWarning
from ..panel.calendar import UtcClockWarning as UtcClockWarning
from ..panel.coarse_holidays import CoarseHolidayWarning as CoarseHolidayWarning
from ..panel.covariate_checks import UnreadCountryWarning as UnreadCountryWarning
from ..panel.holidays_release import HolidaysReleaseWarning as HolidaysReleaseWarning

__all__ = ["OffGridWarning", "OutlierWarning", "UtcClockWarning", "CoarseHolidayWarning",
           "UnreadCountryWarning", "HolidaysReleaseWarning"]
