"""docs/keras.md (session 30): its example runs as written, and each Keras argument its
table names as refused is refused by the layers, naming the same way the page gives."""

import re
from pathlib import Path

import pytest
import torch

from rnnlab.io.errors import ConfigTypeError
from rnnlab.nn import LSTMCell, Recurrent
from rnnlab.nn.keras_names import KERAS_ARGUMENTS, KERAS_CALL
from test_docs_snippets import python_blocks

ROOT = Path(__file__).resolve().parents[1]


def test_the_keras_page_example_runs_and_round_trips_the_weights():
    [code] = [c for h, c in python_blocks("docs/keras.md") if h == "## Keras-trained weights"]
    ns: dict = {}
    exec(code, ns)  # (its own assert: to_keras_weights gives the arrays back)
    assert ns["out"].shape == (4, 10, 8) and ns["last"].shape == (4, 8)


def test_every_keras_argument_in_the_pages_table_is_one_the_layers_refuse_by_name():
    """A row of the table that names a Keras argument (`return_sequences=True`) is one
    the refusals know, so the error and the page say the same thing."""
    text = (ROOT / "docs/keras.md").read_text(encoding="utf-8")
    table = text.split("## Keras' arguments here")[1].split("Where the two differ")[0]
    named = {m for row in table.splitlines() if row.startswith("| `")
             for m in re.findall(r"`(\w+)=", row.split(" | ")[0])}
    assert {"return_sequences", "go_backwards", "stateful", "recurrent_dropout",
            "unit_forget_bias", "initial_state", "mask"} <= named
    for name in named - {"reset_after", "dropout", "recurrent_dropout"}:  # (arguments here too)
        assert name in KERAS_ARGUMENTS or name in KERAS_CALL, name
        with pytest.raises(ConfigTypeError, match=f"'{name}' \\(Keras'"):
            if name in KERAS_CALL:
                Recurrent(LSTMCell(3, 4))(torch.zeros(2, 1, 3), **{name: None})
            else:
                Recurrent(LSTMCell(3, 4), **{name: None})
