"""The names ``rnnlab bench`` takes (models, fast paths, lengths, dtypes), torch-free so
that its parser builds without torch; :mod:`.suite` runs them and re-exports them."""

from __future__ import annotations

from ..io.errors import OptionError
from ..names import LOOP_IMPLS, LOOP_MODELS, SHAPE_READERS

STANDARD_NAMES = ("rnn", "gru", "lstm")  # torch.nn's own modules (suite.STANDARD)
BIDIRECTIONAL = {"brnn": "rnn", "bigru": "gru", "bilstm": "lstm"}  # bench name -> its cell
# timed when named in --models only: dots-rnn runs dts-rnn's kernel and dot-rnn's output MLP
OPT_IN = ("dots-rnn",)
# the models on rnnlab's own loop (rnnlab.architecture_table), whose kernels bench times
CUSTOM = tuple(m for m in LOOP_MODELS if m not in OPT_IN)
DEFAULT_MODELS = STANDARD_NAMES + CUSTOM  # what a plain `rnnlab bench` times
MODELS = DEFAULT_MODELS + OPT_IN + tuple(BIDIRECTIONAL)
LENGTHS = ("full", "variable")
FAST_IMPLS = LOOP_IMPLS  # the fast paths timed per custom cell (rnnlab.nn.dispatch)
DTYPE_NAMES = ("bfloat16", "float32", "float64")  # --dtype: torch.<name>
DEPTH = 4  # --depth's default: the equal-FLOP pair of a DT-RNN with an LSTM
# the options only some models read: --paths the custom cells (rnnlab's own kernels), --depth
# those with a deep transition
READERS = {"--paths": CUSTOM + OPT_IN,
           "--depth": tuple(m for m in CUSTOM + OPT_IN if m in SHAPE_READERS["depth"])}


def check_read(given: dict, models) -> None:
    """An option of ``given`` ({flag: value or None}) that none of ``models`` reads is
    refused: the rows were timed as if it had been heard (the JSON recorded it beside them).
    A usage error (:class:`OptionError`: exit status 2, as the other commands refuse an
    option no model of theirs reads)."""
    for flag, value in given.items():
        if value is not None and not any(m in READERS[flag] for m in models):
            raise OptionError(
                f"{flag} {value} is read by {', '.join(READERS[flag])} only, and "
                f"--models {','.join(models)} has none of them; add one to --models, or "
                f"drop {flag}")
