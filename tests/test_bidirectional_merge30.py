"""Bidirectional(..., merge_mode=) (session 30): Keras' merge modes of the two directions'
outputs. Each equals the concatenated output split and merged by hand, alone and inside
a Stacked (which then runs layer by layer: torch's kernel only concatenates)."""

import io

import pytest
import torch

from rnnlab.io.errors import ConfigError
from rnnlab.nn import Bidirectional, GRUCell, LSTMCell, Recurrent, Stacked

MERGES = {"sum": lambda f, b: f + b, "mul": lambda f, b: f * b,
          "ave": lambda f, b: (f + b) / 2, "concat": lambda f, b: torch.cat([f, b], -1)}


def _bi(I, H, merge_mode="concat", cell=LSTMCell):
    return Bidirectional(Recurrent(cell(I, H), batch_first=True),
                         Recurrent(cell(I, H), reverse=True, batch_first=True),
                         merge_mode=merge_mode).double()


@pytest.mark.parametrize("mode", ["sum", "mul", "ave", "concat"])
def test_each_merge_mode_equals_the_concatenated_output_merged_by_hand(mode):
    torch.manual_seed(0)
    plain, merged = _bi(3, 4), _bi(3, 4, mode)
    merged.load_state_dict(plain.state_dict())
    x = torch.randn(5, 7, 3, dtype=torch.float64)
    lengths = torch.tensor([7, 5, 3, 2, 1])
    for kw in ({}, {"lengths": lengths}):
        out, (fin_f, fin_b) = plain(x, **kw)
        got, (got_f, got_b) = merged(x, **kw)
        f, b = out.split(4, -1)
        torch.testing.assert_close(got, MERGES[mode](f, b), rtol=0, atol=0)
        torch.testing.assert_close(got_f, fin_f, rtol=0, atol=0)
    assert merged.output_size == (8 if mode == "concat" else 4)


def test_a_stack_reads_the_merged_width_and_equals_its_layers_run_by_hand():
    torch.manual_seed(1)
    first, top = _bi(3, 4, "sum", GRUCell), Recurrent(GRUCell(4, 6), batch_first=True).double()
    stack = Stacked([first, top]).eval()
    x = torch.randn(2, 5, 3, dtype=torch.float64)
    want = top(first(x)[0])[0]
    torch.testing.assert_close(stack(x)[0], want, rtol=0, atol=0)
    with pytest.raises(ConfigError, match="4"):  # (a concat's 8 features into a cell of 4)
        Stacked([_bi(3, 4, "concat", GRUCell), Recurrent(GRUCell(4, 6), batch_first=True)])


@pytest.mark.parametrize("first, mode", [("sum", "sum"), ("ave", "ave"), ("concat", "sum")])
def test_a_stack_of_merged_bidirectional_layers_runs_each_and_has_no_torch_names(first, mode):
    """Bidirectional layers of torch's cells run as one call of torch's kernel, which
    concatenates: a top layer merged otherwise gave the concatenated output."""
    from rnnlab.nn import to_torch_state_dict

    torch.manual_seed(2)
    a = _bi(3, 4, first)
    b = _bi(a.output_size, 4, mode)
    stack = Stacked([a, b]).eval()
    x = torch.randn(3, 6, 3, dtype=torch.float64)
    torch.testing.assert_close(stack(x)[0], b(a(x)[0])[0], rtol=0, atol=0)
    with pytest.raises(ConfigError, match=r"merge_mode='%s' has no torch.nn counterpart" % mode):
        to_torch_state_dict(stack)


def test_bad_merge_modes_are_refused_and_the_mode_survives_a_save():
    with pytest.raises(ConfigError, match=r"'concat', 'sum', 'mul', 'ave'.*got 'max'"):
        _bi(3, 4, "max")
    with pytest.raises(ConfigError, match=r"got None.*split"):
        _bi(3, 4, None)
    with pytest.raises(ConfigError, match=r"merge_mode='sum' adds.*4 and 5 features"):
        Bidirectional(Recurrent(LSTMCell(3, 4)), Recurrent(LSTMCell(3, 5), reverse=True),
                      merge_mode="sum")
    bi = _bi(3, 4, "ave")
    buf = io.BytesIO()
    torch.save(bi, buf)
    buf.seek(0)
    back = torch.load(buf, weights_only=True)
    assert back.merge_mode == "ave" and "merge_mode='ave'" in repr(back)
    x = torch.randn(2, 3, 3, dtype=torch.float64)
    torch.testing.assert_close(back(x)[0], bi(x)[0], rtol=0, atol=0)


def test_a_registered_bidirectional_architecture_that_merges_otherwise_is_refused():
    """Forecasting heads read a bidirectional body's output as two halves (forward's last
    step, backward's first): a summed body would have been read as halves, silently."""
    from rnnlab.nn import Architecture, register_architecture
    from rnnlab.nn.architectures import ARCHITECTURES
    from rnnlab.nn.registry import build_model

    def build(spec, num_layers):
        I, H = spec.input_size, spec.hidden_size
        return Bidirectional(Recurrent(GRUCell(I, H), batch_first=True),
                             Recurrent(GRUCell(I, H), reverse=True, batch_first=True),
                             merge_mode="sum")
    register_architecture(Architecture("bisum30", "test", build, bidirectional=True))
    try:
        with pytest.raises(ConfigError, match=r"'bisum30'.*merge_mode='sum'.*'concat'"):
            build_model("bisum30", input_size=1, hidden_size=4)
    finally:
        ARCHITECTURES.pop("bisum30", None)
