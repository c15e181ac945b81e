"""The names ``rnnlab bench`` takes (models, fast paths, lengths, dtypes), torch-free so
that its parser builds without torch; :mod:`.suite` runs them and re-exports them."""

from __future__ import annotations

from ..names import LOOP_IMPLS

STANDARD_NAMES = ("rnn", "gru", "lstm")  # torch.nn's own modules (suite.STANDARD)
BIDIRECTIONAL = {"brnn": "rnn", "bigru": "gru", "bilstm": "lstm"}  # bench name -> its cell
CUSTOM = ("gru-cho", "dt-rnn", "dts-rnn", "dot-rnn", "stacked-dt-rnn")
DEFAULT_MODELS = STANDARD_NAMES + CUSTOM  # what a plain `rnnlab bench` times
MODELS = DEFAULT_MODELS + tuple(BIDIRECTIONAL)
LENGTHS = ("full", "variable")
FAST_IMPLS = LOOP_IMPLS  # the fast paths timed per custom cell (rnnlab.nn.dispatch)
DTYPE_NAMES = ("bfloat16", "float32", "float64")  # --dtype: torch.<name>
