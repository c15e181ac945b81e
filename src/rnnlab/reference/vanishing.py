"""Measuring how the gradient shrinks or grows as it travels back in time.

Set-up: a loss that reads only the last state, L = sum(v * h_T) with v ~ N(0, 1)
(``losses.last_step_loss``). Whatever gradient reaches h_{T-k} has then crossed k steps
of the recurrence, so the ratio

    rho(k) = ||dL/dh_{T-k}|| / ||dL/dh_T||          (Frobenius norm over batch x hidden)

is the gain of the product of k step Jacobians, the quantity the vanishing/exploding
gradient arguments are about. Distance k runs from 0 (h_T) to T (h_0). For the LSTM
the cell-state gradient ||dL/dc_{T-k}|| / ||dL/dh_T|| is measured too.

Ratios are averaged over random draws (weights, inputs, v) geometrically, i.e. as the
mean of log10 rho, since they span many orders of magnitude.
"""

from __future__ import annotations

import math

from dataclasses import dataclass, field
from typing import Dict, Optional, Sequence

import numpy as np

from ..number_kinds import is_real
from .kinds import KINDS, backward, forward, init_params, init_state
from .losses import last_step_loss
from ..io.errors import ConfigError

_TINY = 1e-300
HH_INITS = ("uniform", "identity")   # weight_hh: torch's U(-1/sqrt(H), 1/sqrt(H)), or I


@dataclass
class GradientNorms:
    """Result of :func:`gradient_norms_through_time`.

    Attributes:
        label: a name for the configuration (kind plus any option that differs from default).
        distances: k = 0 .. T.
        log10_ratio: (seeds, T+1) log10 ||dL/dh_{T-k}|| / ||dL/dh_T|| for each seed.
        log10_ratio_c: same for the LSTM's cell state (None for other kinds).
    """

    label: str
    kind: str
    distances: np.ndarray
    log10_ratio: np.ndarray
    log10_ratio_c: Optional[np.ndarray] = None
    options: Dict[str, object] = field(default_factory=dict)

    @property
    def ratio(self) -> np.ndarray:
        """Geometric mean over seeds of ||dL/dh_{T-k}|| / ||dL/dh_T||, shape (T+1,); 0 where
        the gradient is exactly 0 in some seed (dead relu units), as a product with 0 is."""
        return _geometric_mean(self.log10_ratio)

    @property
    def ratio_c(self) -> Optional[np.ndarray]:
        return None if self.log10_ratio_c is None else _geometric_mean(self.log10_ratio_c)


def zero_seeds(log10_ratio: np.ndarray) -> np.ndarray:
    """How many seeds have a gradient of exactly 0 at each distance, shape (T+1,) (their
    log10 is floored at log10(1e-300))."""
    return np.sum(log10_ratio <= np.log10(_TINY) + 1e-9, axis=0)


def _geometric_mean(log10_ratio: np.ndarray) -> np.ndarray:
    # (averaging the floor -300 in with the other seeds' logs printed an artefact as a
    # measurement: one dead seed of five turned 1e-4 into 1e-64)
    return np.where(zero_seeds(log10_ratio) > 0, 0.0, 10.0 ** log10_ratio.mean(axis=0))


def gradient_norms_through_time(kind: str, *, seq_len: int = 64, hidden_size: int = 32,
                                input_size: int = 8, batch: int = 16,
                                seeds: Sequence[int] = (0, 1, 2, 3, 4),
                                hh_gain: float = 1.0, forget_bias: float = 0.0,
                                input_scale: float = 1.0, hh_init: str = "uniform",
                                label: Optional[str] = None) -> GradientNorms:
    """||dL/dh_t|| as a function of the distance T - t from a loss on the last step only.

    Args:
        kind: one of ``KINDS``.
        seq_len, hidden_size, input_size, batch: T, H, I, B.
        seeds: one random draw of weights (torch's init), inputs x ~ N(0, input_scale^2)
            and loss vector v per seed.
        hh_gain: multiply weight_hh by this after initialisation (1: torch's init).
            Larger values push the recurrent Jacobian's norm above 1.
        forget_bias: added to the LSTM's forget-gate biases (bias_ih rows H..2H), as in
            Gers et al. (2000) / Jozefowicz et al. (2015); ignored for other kinds.
        input_scale: standard deviation of the random inputs.
        hh_init: 'uniform' (torch's init) or 'identity': weight_hh = hh_gain * I, the
            identity-initialised RNN (IRNN, Le, Jaitly & Hinton 2015); rnn_* kinds only.
            With relu, the step Jacobian is then diag([h_t > 0]): the gradient is carried
            unchanged by every active unit; with tanh it still shrinks by tanh'(a_t) < 1.

    Returns:
        :class:`GradientNorms`.
    """
    if kind not in KINDS:
        raise ConfigError(f"unknown kind {kind!r}; expected one of {sorted(KINDS)}")
    if seq_len < 1 or not seeds:
        raise ConfigError("gradient_norms_through_time: need seq_len >= 1 and at least one seed")
    _check_hh_init(kind, hh_init)
    for name, value in (("hh_gain", hh_gain), ("forget_bias", forget_bias),
                        ("input_scale", input_scale)):
        if not is_real(value) or not math.isfinite(value):
            raise ConfigError(f"gradient_norms_through_time: {name} must be a finite number, "
                              f"got {value!r}; e.g. {name}=1")
    H = hidden_size
    logs, logs_c = [], []
    for seed in seeds:
        rng = np.random.default_rng(seed)
        params = init_params(kind, input_size, H, rng=rng)
        if hh_init == "identity":
            params["weight_hh"] = np.eye(H)
        params["weight_hh"] *= hh_gain
        if kind == "lstm" and forget_bias:
            params["bias_ih"][H:2 * H] += forget_bias
        x = rng.normal(scale=input_scale, size=(seq_len, batch, input_size))
        hs, cache = forward(kind, params, x, init_state(kind, batch, H))
        _, dhs = last_step_loss(hs, rng.normal(size=(batch, H)))
        grads, states = backward(kind, params, cache, dhs, return_state_grads=True)
        # distance k = T - t: reverse time, then append h_0 (distance T)
        dh = np.concatenate([states["h"][::-1], grads["h0"][None]], axis=0)
        norms = np.sqrt(np.sum(dh ** 2, axis=(1, 2)))
        logs.append(np.log10(np.maximum(norms / norms[0], _TINY)))
        if kind == "lstm":
            dc = np.concatenate([states["c"][::-1], grads["c0"][None]], axis=0)
            norms_c = np.sqrt(np.sum(dc ** 2, axis=(1, 2)))
            logs_c.append(np.log10(np.maximum(norms_c / norms[0], _TINY)))
    options: Dict[str, object] = {"hh_gain": hh_gain, "forget_bias": forget_bias,
                                  "input_scale": input_scale}
    if label is None:
        label = kind + "".join(f" {k}={v:g}" for k, v in options.items()
                               if v != (1.0 if k != "forget_bias" else 0.0)
                               and (k != "forget_bias" or kind == "lstm"))
        label += " hh_init=identity" if hh_init == "identity" else ""
    options = dict(options, hh_init=hh_init)
    return GradientNorms(label=label, kind=kind, distances=np.arange(seq_len + 1),
                         log10_ratio=np.array(logs),
                         log10_ratio_c=np.array(logs_c) if logs_c else None, options=options)


def _check_hh_init(kind: str, hh_init: str) -> None:
    if hh_init not in HH_INITS:
        raise ConfigError(f"hh_init={hh_init!r}: expected one of {HH_INITS}")
    if hh_init == "identity" and not kind.startswith("rnn_"):
        raise ConfigError(f"hh_init=identity is for rnn_tanh and rnn_relu (one recurrent "
                          f"matrix); {kind} stacks {KINDS[kind]} gates in weight_hh: use "
                          f"rnn_relu:hh_init=identity or rnn_tanh:hh_init=identity")


def parse_config(spec: str) -> dict:
    """'kind[:key=value,...]' -> keyword arguments, e.g. 'lstm:forget_bias=1',
    'rnn_relu:hh_gain=2.5' or 'rnn_relu:hh_init=identity'. Keys: hh_gain, forget_bias,
    input_scale (numbers) and hh_init (uniform or identity)."""
    kind, _, rest = spec.partition(":")
    out: Dict[str, object] = {"kind": kind.strip()}  # (text for kind and hh_init, else numbers)
    if out["kind"] not in KINDS:
        raise ConfigError(f"unknown kind {out['kind']!r} in {spec!r}; "
                          f"expected one of {sorted(KINDS)}")
    for item in filter(None, (s.strip() for s in rest.split(","))):
        key, eq, value = item.partition("=")
        if not eq or key not in ("hh_gain", "forget_bias", "input_scale", "hh_init"):
            raise ConfigError(f"bad option {item!r} in {spec!r}; expected hh_gain=, forget_bias=, "
                              f"input_scale= or hh_init=")
        if key == "hh_init":
            _check_hh_init(out["kind"], value.strip())
            out[key] = value.strip()
            continue
        try:
            number = float(value)
        except ValueError:
            number = float("nan")
        if not math.isfinite(number):
            raise ConfigError(f"bad value {value!r} for {key} in {spec!r}; expected a finite "
                              f"number, e.g. {key}=1")
        if key == "forget_bias" and out["kind"] != "lstm":
            raise ConfigError(f"forget_bias in {spec!r} applies only to kind lstm (its forget "
                              f"gate); {out['kind']} has none, so it would change nothing: "
                              f"drop it, or use lstm:forget_bias={value}")
        out[key] = number
    return out
