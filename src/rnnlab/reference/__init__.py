"""rnnlab.reference: recurrent networks and backpropagation through time in NumPy alone.

A readable, checkable reference for the torch cells of ``rnnlab.nn``: same parameter
names, shapes and gate order, forward passes over a whole sequence and batch, and
backward passes derived by hand (see docs/bptt.md). Nothing here imports torch.

    >>> import numpy as np
    >>> from rnnlab.reference import init_params, forward, backward
    >>> p = init_params("lstm", 3, 8, rng=np.random.default_rng(0))
    >>> x = np.random.default_rng(1).normal(size=(10, 4, 3))      # (T, B, I)
    >>> hs, cache = forward("lstm", p, x)                           # hs (T, B, H)
    >>> grads = backward("lstm", p, cache, np.ones_like(hs))
    >>> sorted(grads)
    ['bias_hh', 'bias_ih', 'c0', 'h0', 'weight_hh', 'weight_ih', 'x']

Modules: ``rnn``, ``gru``, ``lstm`` (one recurrence each, with ``forward``/``backward``),
``affine`` (the hoisted input/recurrent products), ``kinds`` (one interface over all),
``losses``, ``clip``, ``gradcheck``, ``vanishing``, ``train_sine``, ``demo``.
"""

from . import affine, gru, lstm, rnn
from .clip import clip_grad_norm, clip_grad_value, global_norm
from .gradcheck import check_gradients, numerical_gradient, relative_error
from .kinds import KINDS, PARAM_NAMES, backward, forward, init_params, init_state
from .losses import (init_readout, last_step_loss, mse_loss, readout_backward,
                     readout_forward)
from .train_sine import Adam, TrainResult, sine_series, train_sine
from .vanishing import GradientNorms, gradient_norms_through_time

__all__ = [
    # recurrences
    "KINDS", "PARAM_NAMES", "init_params", "init_state", "forward", "backward",
    "rnn", "gru", "lstm", "affine",
    # losses and read-out
    "mse_loss", "last_step_loss", "init_readout", "readout_forward", "readout_backward",
    # clipping
    "clip_grad_norm", "clip_grad_value", "global_norm",
    # checks and measurements
    "numerical_gradient", "relative_error", "check_gradients",
    "gradient_norms_through_time", "GradientNorms",
    # training
    "Adam", "TrainResult", "sine_series", "train_sine",
]
