"""A likelihood model's forecast rows from its pooled sample paths, many rows at once: each
row's draws back in the data's units (:meth:`~rnnlab.panel.scaling.SeriesTransform.from_model`
of the rows of one series together), then the mean (or median) and the quantiles of a
block of rows in one call each, not one per row (:mod:`.insample`'s 12,000 windows took
~8 s a row at a time). Each row's values are those of the row alone."""

from __future__ import annotations

from typing import Optional

import numpy as np

ROWS = 512  # rows drawn into the data's units at once ((ROWS, samples, horizon) floats)


def pooled_rows(f, head, ids, z: np.ndarray, hist, levels, horizon: int,
                paths_out: Optional[dict] = None):
    """``(mean (W, H), quantiles (W, H, Q) or None)`` of the rows ``ids`` (W,; a series
    may come more than once) from the pooled model-space paths ``z`` (N, W, >= H), each
    row after its own history ``hist[i]``; each series' draws into ``paths_out`` when
    given (a series' last row's, as a row-by-row loop leaves it)."""
    means, quants = [], []
    for s in range(0, len(ids), ROWS):
        at = np.arange(s, min(s + ROWS, len(ids)))
        drawn = _drawn(f, [ids[i] for i in at], z[:, at, :horizon], [hist[i] for i in at])
        if paths_out is not None:
            for k, i in enumerate(at):
                paths_out[ids[i]] = drawn[k].copy()
        mean, quant = _summaries(f, head, [ids[i] for i in at], drawn, levels)
        means.append(mean)
        quants.append(quant)
    return np.concatenate(means), (np.concatenate(quants) if len(levels) else None)


def _drawn(f, ids, z: np.ndarray, hist) -> np.ndarray:
    """(w, N, H) each row's draws in the data's units: a series' rows through its
    transform together (their histories of one length), counts rounded (float32
    round-off of counts / scale * scale: 1.99999992 -> 2)."""
    out = np.empty((len(ids),) + z.shape[0:1] + z.shape[2:], dtype=np.float64)
    for uid, at in _rows_of(ids).items():
        tr = f.transforms[uid]
        drawn = tr.from_model(z[:, at].transpose(1, 0, 2), np.stack([hist[i] for i in at]))
        out[at] = np.round(drawn) if tr.counts else drawn
    return out


def _summaries(f, head, ids, drawn: np.ndarray, levels):
    """``(mean (w, H), quantiles (w, H, Q) or None)`` of the draws (w, N, H). A t in logs
    has no mean in the data's units (E e^X is infinite: the draws' mean was a few extreme
    ones, 2.3e7 for a series of median 1), so its point forecast is the median; counts'
    quantiles are the draws' own (the least count with F >= level), never a value between
    two counts (q0.9 at 21.1). Rows alike are read together."""
    mean = np.empty((drawn.shape[0], drawn.shape[2]))
    quant = np.empty(mean.shape + (len(levels),)) if len(levels) else None
    kinds: dict = {}
    for k, u in enumerate(ids):
        tr = f.transforms[u]
        kinds.setdefault((head.exp_mean or not tr.log, bool(tr.counts)), []).append(k)
    for (by_mean, counts), at in kinds.items():
        rows = drawn[at]
        mean[at] = rows.mean(axis=1) if by_mean else np.median(rows, axis=1)
        if quant is not None:
            q = np.quantile(rows, levels, axis=1,
                            method="inverted_cdf" if counts else "linear")  # (Q, w, H)
            quant[at] = q.transpose(1, 2, 0)
    return mean, quant


def _rows_of(ids) -> dict:
    """``{series: [row, ...]}`` in the order the series first come."""
    rows: dict = {}
    for i, u in enumerate(ids):
        rows.setdefault(u, []).append(i)
    return rows
