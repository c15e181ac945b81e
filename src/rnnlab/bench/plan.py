"""A workload's rows before they are timed: what each runs (built already, or why it could
not be), how many layers, and which rows it is compared with. :class:`Plan` adds each
torch.nn anchor once, before the first row that compares with it; :mod:`.suite` lists a
workload's models into a plan, times its rows and reports them."""

from __future__ import annotations

from typing import Callable, Dict, List, NamedTuple, Optional, Tuple

from torch import nn

from .configs import BenchConfig
from .measure import describe_error
from .models import build_torch
from .names import STANDARD_NAMES

STANDARD = dict(zip(STANDARD_NAMES, (nn.RNN, nn.GRU, nn.LSTM)))


def built(make: Callable[[], nn.Module]) -> Tuple[Optional[nn.Module], Optional[str]]:
    """(the model ``make()`` builds, None) or (None, why it failed): a row that cannot be
    built is reported failed, and the others go on."""
    try:
        return make(), None
    except Exception as err:  # noqa: BLE001
        return None, f"failed: building: {describe_error(err)}"


class Row(NamedTuple):
    """A row of a workload before it is timed."""

    label: str  # what ran (the Result's model)
    model: Optional[nn.Module]  # None: it could not be built (``error`` says why)
    layers: int
    anchor: Optional[int]  # the anchor's position among the workload's rows (None: is one)
    ref: Optional[int]  # the reference loop's position (custom cells' fast paths)
    graph: bool  # captured into a CUDA graph
    error: Optional[str]  # why it could not be built


class Plan:
    """The rows of one workload in the order they are timed, each model's anchor
    (torch.nn at its size) added once, before the first row that compares with it."""

    def __init__(self, cfg: BenchConfig, graphs: bool):
        self.cfg, self.graphs = cfg, graphs
        self.rows: List[Row] = []
        self.anchors: Dict[Tuple[str, int, bool], int] = {}

    def add(self, label: str, make: Callable[[], nn.Module], layers: int, a: Optional[int],
            ref: Optional[int] = None, graph: bool = False) -> int:
        model, err = built(make)  # (called now: the lambdas' names are the caller's)
        return self.add_row(Row(label, model, layers, a, ref, graph, err))

    def add_row(self, row: Row) -> int:
        self.rows.append(row)
        return len(self.rows) - 1

    def anchor(self, kind: str, layers: int, bi: bool = False) -> int:
        if (kind, layers, bi) not in self.anchors:
            cls, cfg = STANDARD[kind], self.cfg
            label = f"torch.nn.{cls.__name__}" + (" (bidirectional)" if bi else "")
            a = self.anchors[kind, layers, bi] = self.add(
                label, lambda: build_torch(cls, cfg, layers, bi), layers, None)
            if self.graphs:
                self.add(f"{label} + CUDA graph", lambda: build_torch(cls, cfg, layers, bi),
                         layers, a, graph=True)
        return self.anchors[kind, layers, bi]
