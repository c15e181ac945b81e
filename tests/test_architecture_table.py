"""rnnlab.architecture_table.BUILT_INS is the one table of rnnlab's own architectures: the
command line's torch-free names (rnnlab.names) and the torch registry are both read off
it, and each row says what its body does (bidirectional, on rnnlab's loop, the shape
options it reads), so that an edit to a body or a row without the other fails here."""

import pytest
import torch

from rnnlab import names
from rnnlab.architecture_table import BUILT_INS, SHAPE_OPTIONS
from rnnlab.nn.architectures import BODIES
from rnnlab.nn.paths import describe_path, set_impl
from rnnlab.nn.registry import ARCHITECTURES, build_model

ROWS = {row.name: row for row in BUILT_INS}
# a value away from ModelSpec's default for each shape option
OTHER = {"depth": 3, "width": 5, "nonlinearity": "relu", "out_depth": 2, "out_width": 7}


def test_the_registry_is_the_table_plus_a_body_each():
    assert tuple(ARCHITECTURES)[:len(BUILT_INS)] == tuple(ROWS) == names.ARCHITECTURE_NAMES
    assert set(BODIES) == set(ROWS)  # a body without a row (or a row without one) is an error
    for row in BUILT_INS:
        arch = ARCHITECTURES[row.name]
        assert (arch.description, arch.options, arch.default_layers, arch.min_layers,
                arch.bidirectional) == (row.description, row.options, row.default_layers,
                                        row.min_layers, row.bidirectional), row.name
        assert arch.build is BODIES[row.name]
        assert set(row.options) <= set(SHAPE_OPTIONS)


def test_the_torch_free_names_are_read_off_the_table():
    assert names.BIDIRECTIONAL_NAMES == tuple(n for n, r in ROWS.items() if r.bidirectional)
    assert names.LOOP_MODELS == tuple(n for n, r in ROWS.items() if r.loop)
    assert set(names.SHAPE_READERS) == set(SHAPE_OPTIONS)
    for option, readers in names.SHAPE_READERS.items():
        assert readers == tuple(n for n, r in ROWS.items() if option in r.options)


@pytest.mark.parametrize("name", list(ROWS))
def test_each_row_says_what_its_body_does(name):
    row = ROWS[name]
    model = build_model(name, input_size=2, hidden_size=3)
    # bidirectional: both directions' features
    assert model.output_size == (6 if row.bidirectional else 3), name
    # loop: an impl of rnnlab's loop moves it off torch's fused kernel
    set_impl(model, "fast")
    assert (describe_path(model) != "fused") == row.loop, name
    # layers: the default and the least built, one fewer refused
    if row.min_layers > 1:
        with pytest.raises(ValueError, match=f"needs num_layers >= {row.min_layers}"):
            build_model(name, input_size=2, hidden_size=3, num_layers=row.min_layers - 1)
    assert model.spec.num_layers is None


@pytest.mark.parametrize("name", list(ROWS))
def test_each_listed_shape_option_changes_the_model_and_no_other_is_taken(name):
    x = torch.randn(2, 4, 2, dtype=torch.float64)
    for option in SHAPE_OPTIONS:
        kwargs = {option: OTHER[option]}
        if option not in ROWS[name].options:
            with pytest.raises(ValueError, match=f"has no {option}"):
                build_model(name, input_size=2, hidden_size=3, **kwargs)
            continue
        torch.manual_seed(0)
        plain = build_model(name, input_size=2, hidden_size=3).double()
        torch.manual_seed(0)
        shaped = build_model(name, input_size=2, hidden_size=3, **kwargs).double()
        shapes = {k: v.shape for k, v in plain.state_dict().items()}
        if shapes == {k: v.shape for k, v in shaped.state_dict().items()}:
            shaped.load_state_dict(plain.state_dict())
            assert not torch.allclose(plain(x)[0], shaped(x)[0]), (name, option)
