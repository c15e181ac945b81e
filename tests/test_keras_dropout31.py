"""Keras' ``dropout=`` and ``recurrent_dropout=`` (session 31): taken by the layers that
draw the masks (``Recurrent``, the drop-ins), and refused on a cell, which computes one
step, naming the layer's option; torch's ``dropout`` (between layers) is untouched."""

import pytest
import torch

from rnnlab.io.errors import ConfigTypeError
from rnnlab.nn import GRU, LSTM, Bidirectional, GRUCell, LSTMCell, Recurrent, RNNCell


@pytest.mark.parametrize("make, fix", [
    (lambda: LSTMCell(3, 5, dropout=0.2), r"Recurrent\(cell, input_dropout=p\)"),
    (lambda: RNNCell(3, 5, dropout=0.2), r"input_dropout"),
    (lambda: GRUCell(3, 5, recurrent_dropout=0.2), r"Recurrent\(cell, recurrent_dropout=p\)"),
    (lambda: Recurrent(LSTMCell(3, 5), dropout=0.2), r"input_dropout=p.*Stacked\(layers, dropout=p\)"),
    (lambda: Bidirectional(Recurrent(LSTMCell(3, 5)), Recurrent(LSTMCell(3, 5), reverse=True),
                           dropout=0.2), r"input_dropout"),
])
def test_keras_dropout_on_a_cell_names_the_layers_option(make, fix):
    with pytest.raises(ConfigTypeError, match=fix) as err:
        make()
    assert "Keras'" in str(err.value)


def test_the_layers_take_keras_dropouts_and_torchs_dropout_keeps_its_meaning():
    layer = Recurrent(LSTMCell(3, 5), input_dropout=0.2, recurrent_dropout=0.2)
    assert (layer.input_dropout, layer.recurrent_dropout) == (0.2, 0.2)
    lstm = LSTM(3, 5, num_layers=2, dropout=0.3, recurrent_dropout=0.1)
    assert (lstm.dropout, lstm.recurrent_dropout, lstm.input_dropout) == (0.3, 0.1, 0.0)
    assert GRU(3, 5, input_dropout=0.4)(torch.zeros(2, 1, 3))[0].shape == (2, 1, 5)


def test_the_keras_page_and_the_readme_say_how_to_get_keras_dropouts():
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    page = (root / "docs/keras.md").read_text(encoding="utf-8")
    rows = {row.split(" | ")[0]: row for row in page.splitlines() if row.startswith("| `")}
    rec = next(r for k, r in rows.items() if "recurrent_dropout=" in k)
    cell = next(r for k, r in rows.items() if k.startswith("| `dropout="))
    assert "Recurrent(cell, recurrent_dropout=p)" in rec and "no dropout on h" not in rec
    assert "Recurrent(cell, input_dropout=p)" in cell
    core = (root / "README.md").read_text(encoding="utf-8").split("## The recurrent core")[1]
    core = core.split("\n## ")[0]
    assert "recurrent_dropout=p" in core and "input_dropout" in core


def test_the_readme_says_how_masks_go_under_vmap_and_in_a_gru_subclass():
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    core = readme.split("## The recurrent core")[1].split("\n## ")[0]
    assert 'randomness=`: `"different"` gives each call its own' in " ".join(core.split())
    own = readme.split("## Writing your own cell")[1].split("\n## ")[0]
    assert "A subclass of `GRUCell` that rewrites `recur` gets the default" in " ".join(
        own.split())


def test_the_readmes_fast_path_paragraph_names_what_takes_the_kernel_off():
    """"always run torch's fused kernel unless impl='reference'" and "one kernel call for
    the whole stack" were untrue in training with the dropouts inside a layer."""
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    para = " ".join(readme.split("When the fast path runs:")[1].split("\n\n")[0].split())
    head = para.split("measured")[0]
    assert "recurrent_dropout` masks h" in head and "layer by layer where a layer has" in head
