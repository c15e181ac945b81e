"""A model's ``fit`` that raises leaves the model as it was before the call.

:class:`~rnnlab.forecast.Forecaster` and :class:`~rnnlab.panel.GlobalForecaster` set their
fitted parts one at a time: the seasonal period and the linear AR and ARMA before the
network trains, the network, the series and the choice after it (a panel model: its
features and histories before, its members and tails after). A fit stopped in between (a
tuner pruning a trial by raising from ``on_epoch``, ``TrainingDiverged``, Ctrl-C, a series
refused after its period was set) left a mix of two fits: the previous network beside the
new data's linear AR, a forecast that was neither's, and ``repr`` saying "fitted on" the
old series. :class:`~rnnlab.lm.CharLM` trains its network in place: a pruned fit left the
last step's weights beside the previous fit's history and outcome (``info``) and the new
text's baselines and settings, and ``save`` wrote them together. The parts are put back
instead: the previous fit, whole, or none."""

from __future__ import annotations

import contextlib
from typing import Any, Callable, Iterator, Optional, Tuple, Type, Union

Passing = Union[Tuple[Type[BaseException], ...], Callable[[BaseException], bool]]


@contextlib.contextmanager
def kept_unless_done(obj: Any, passing: Passing = (),
                     net: Optional[str] = None) -> Iterator[None]:
    """``obj``'s attributes, put back as they were when the block raises (any exception,
    KeyboardInterrupt too, but those ``passing`` names, or for which it returns True when
    it is a function: stops whose outcome the block keeps on purpose). Shallow: the block
    must assign new parts, not change the old ones in place; but the module in attribute
    ``net``, which a fit trains in place, gets its weights back too."""
    before = dict(vars(obj))
    module = getattr(obj, net) if net is not None else None
    weights = None if module is None else {  # (a copy: training changes the tensors; on
        k: v.detach().to("cpu", copy=True) for k, v in module.state_dict().items()}  # the CPU)
    try:
        yield
    except BaseException as e:
        if passing(e) if callable(passing) else isinstance(e, passing):
            raise
        vars(obj).clear()
        vars(obj).update(before)
        if module is not None and weights is not None:  # (both, or neither)
            module.load_state_dict(weights)
        raise
