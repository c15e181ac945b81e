"""The interval bands a panel forecast is drawn in: one for each central interval its
quantile columns hold (``q0.1``/``q0.9``: 80%, ``q0.025``/``q0.975``: 95%), drawn as a fan
as GluonTS' ``Forecast.plot`` and fable's ``autoplot`` draw theirs: the widest first and
lightest, each narrower one over it, each named in the legend. One band (the default
levels 0.1, 0.5, 0.9) looks as the single band did; the band between the lowest and the
highest level stays the widest where it is no central pair ((0.1, 0.5): the one band;
(0.05, 0.1, 0.5, 0.9): q0.05-q0.9 around the 80% band)."""

from __future__ import annotations

from typing import List, Tuple

# the opacity of the widest band (the single band's), and what each narrower one adds
# to it, up to the innermost's (drawn over the wider ones, it reads darker still)
WIDEST_ALPHA = 0.2
INNERMOST_ALPHA = 0.35


def fan_bands(columns) -> List[Tuple[str, str]]:
    """``(lower column, upper column)`` of each band ``columns`` (a forecast's) hold,
    widest first: every central pair (lo + hi = 1, lo < 0.5), after the band between the
    lowest and highest quantile columns where that is no central pair (none for fewer
    than two)."""
    levels = {}
    for c in columns:
        if isinstance(c, str) and c.startswith("q"):
            try:
                levels[round(float(c[1:]), 10)] = c
            except ValueError:
                pass
    pairs = [(levels[t], levels[round(1 - t, 10)]) for t in sorted(levels)
             if t < 0.5 and round(1 - t, 10) in levels]
    if len(levels) < 2:
        return pairs
    ordered = sorted(levels)
    outer = (levels[ordered[0]], levels[ordered[-1]])  # (the band the plot drew before
    # the fan: a level in no central pair, q0.05 beside q0.1 and q0.9, stays drawn)
    return pairs if pairs[:1] == [outer] else [outer] + pairs


def band_alphas(k: int) -> List[float]:
    """The opacity of each of ``k`` bands, widest first: ``WIDEST_ALPHA`` for one (the
    single band's look), rising to ``INNERMOST_ALPHA`` for the narrowest."""
    if k <= 1:
        return [WIDEST_ALPHA] * k
    step = (INNERMOST_ALPHA - WIDEST_ALPHA) / (k - 1)
    return [WIDEST_ALPHA + i * step for i in range(k)]


def draw_fan(ax, x, frame, color: str = "tab:red", labelled: bool = True,
             widest_alpha: float = WIDEST_ALPHA) -> list:
    """Fill each band of ``frame`` (rows of one forecast: its ``q...`` columns) over ``x``
    into ``ax``, widest first; labelled "80% interval", "95% interval" (``labelled``
    False: no legend entries, as for a backtest's later origins). Returns the
    PolyCollections drawn. ``widest_alpha``: the widest band's opacity (a backtest grid's
    is 0.18); the narrower ones add the same steps to it."""
    from ..figure_files import interval_name

    bands = fan_bands([c for c in frame.columns if frame[c].notna().any()])  # (a model's
    # rows in a backtest's table: the levels another model has are blank there)
    shift = widest_alpha - WIDEST_ALPHA
    drawn = []
    for (lo, hi), alpha in zip(bands, band_alphas(len(bands))):
        label = f"{interval_name(lo, hi)} interval" if labelled else None
        drawn.append(ax.fill_between(x, frame[lo], frame[hi], color=color,
                                     alpha=alpha + shift, lw=0, label=label))
    return drawn
