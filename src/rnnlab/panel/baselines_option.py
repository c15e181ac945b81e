"""``--baselines``: the baselines a panel run is scored beside, chosen by name. One option
for ``rnnlab backtest`` and for ``rnnlab forecast`` on a panel, where ETS (one statsmodels
fit per series) is most of the time a panel of thousands of series takes."""

from __future__ import annotations

import argparse
from typing import List, Optional, Sequence, Union

from ..io.errors import OptionError
from .baseline_names import BASELINE_NAMES, DEFAULT_BASELINES, peer_hint
from .config import names


def add_baselines_option(p: argparse.ArgumentParser, one_series: str = "") -> None:
    """``--baselines`` on parser ``p`` (``one_series``: what the help says of a run on one
    series, for ``rnnlab forecast``)."""
    others = ", ".join(b for b in BASELINE_NAMES if b not in DEFAULT_BASELINES)
    p.add_argument("--baselines", default=",".join(DEFAULT_BASELINES),
                   help=f"comma-separated baselines scored beside the model over the same "
                        f"origins ('none': none; default {','.join(DEFAULT_BASELINES)}; also "
                        f"{others}); fpp3's benchmark set: mean,naive,seasonal_naive,"
                        f"rw_drift,ets,arima,tslm (tslm needs statsmodels; arima "
                        f"statsforecast, pip install 'rnnlab[arima]', about 1 s a series); "
                        f"ets needs statsmodels (pip install 'rnnlab[panel]'): "
                        f"without it, the default leaves ets out with a note; ets fits a "
                        f"statsmodels model per series, most of the run's time on thousands "
                        f"of series (naive,seasonal_naive leaves it out){one_series}")


def chosen_baselines(text: Union[str, Sequence[str], None], model: Optional[str]
                     ) -> List[str]:
    """The baselines of ``--baselines TEXT`` ('none': none), without ``model`` (the model
    judged is not its own baseline); an unknown name is an OptionError naming the choices."""
    chosen = [b for b in names(text) if b != "none"]
    unknown = [b for b in chosen if b not in BASELINE_NAMES]
    if unknown:
        raise OptionError(f"--baselines: unknown {unknown}; choose from "
                          f"{', '.join(BASELINE_NAMES)} or 'none'"
                          + "".join(peer_hint(b) for b in unknown))
    return [b for b in dict.fromkeys(chosen) if b != model]

