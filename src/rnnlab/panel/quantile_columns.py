"""The column each quantile level is written to (``0.1 -> "q0.1"``) and the levels that
would share one; numpy- and pandas-free, as the checks of the quantile options
(:func:`rnnlab.panel.call_args.check_quantiles`, read by ``PanelConfig``) are imported
by the parsers (``rnnlab forecast --help``)."""

from __future__ import annotations

from typing import Dict


def quantile_column(level: float) -> str:
    """The column holding quantile ``level`` (``0.1 -> "q0.1"``)."""
    return f"q{level:g}"


def same_column(levels) -> list:
    """Pairs of distinct levels whose columns would be one (0.9 and 0.9000001: both
    ``q0.9``, the second written over the first)."""
    seen: Dict[str, float] = {}
    out = []
    for v in levels:
        name = quantile_column(v)
        if name in seen and seen[name] != v:
            out.append((seen[name], v))
        seen.setdefault(name, v)
    return out


__all__ = ["quantile_column", "same_column"]
