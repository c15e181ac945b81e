"""A GRU(reset_after=False)'s state_dict carries the mark of its form, so that torch.nn.GRU's
weights (torch's form: the reset gate after the product with W_hn) no longer load silently
into Cho et al.'s GRU, computing another function, nor Cho's into torch's form. A GRU of
torch's form keeps torch.nn.GRU's state_dict, loaded strictly both ways; rnnlab's own Cho
weights written before the mark load as they did."""

import warnings

import pytest
import torch

from rnnlab.io.model_dir import load_weights_into
from rnnlab.io.weights import save_weights
from rnnlab.nn import GRU, GRUCell, Recurrent
from rnnlab.nn.gru_form import GRUFormWarning, is_form_key
from rnnlab.nn.registry import build_model

D = torch.float64


def test_torch_weights_into_chos_form_warn_saying_what_to_do():
    torch.manual_seed(0)
    ref = torch.nn.GRU(4, 5, num_layers=2, dtype=D)
    cho = GRU(4, 5, num_layers=2, dtype=D, reset_after=False)
    with pytest.warns(GRUFormWarning, match=r"no mark of the GRU's form \(reset_after\).*"
                                            r"torch.nn.GRU's weights.*another function.*"
                                            r"reset_after=True") as said:
        cho.load_state_dict(ref.state_dict())
    assert len(said) == 1 and said[0].filename == __file__  # the caller's line
    x = torch.randn(6, 3, 4, dtype=D)
    assert not torch.allclose(cho(x)[0], ref(x)[0])  # why it warns: another function
    torch_form = GRU(4, 5, num_layers=2, dtype=D)  # what it says to do: the same outputs
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        torch_form.load_state_dict(ref.state_dict())
    torch.testing.assert_close(torch_form(x)[0], ref(x)[0], rtol=0, atol=1e-12)


@pytest.mark.parametrize("strict", [True, False])
def test_chos_weights_into_torchs_form_are_refused(strict):
    cho = GRU(4, 5, reset_after=False)
    with pytest.raises(RuntimeError, match=r"the mark of Cho et al.'s GRU form, and this GRU "
                                           r"has reset_after=True.*build the GRU with "
                                           r"reset_after=False"):
        GRU(4, 5).load_state_dict(cho.state_dict(), strict=strict)
    with pytest.raises(RuntimeError, match=r"Unexpected key\(s\).*reset_after"):
        torch.nn.GRU(4, 5).load_state_dict(cho.state_dict())  # torch's own: refused too


def test_each_form_loads_its_own_and_torchs_form_stays_torchs():
    torch.manual_seed(0)
    x = torch.randn(6, 3, 4, dtype=D)
    cho, again = (GRU(4, 5, dtype=D, reset_after=False) for _ in range(2))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        again.load_state_dict(cho.state_dict())  # strict, no warning
    torch.testing.assert_close(again(x)[0], cho(x)[0], rtol=0, atol=0)
    assert cho.state_dict()["reset_after"].item() is False
    plain, ref = GRU(4, 5), torch.nn.GRU(4, 5)
    assert list(plain.state_dict()) == list(ref.state_dict())  # no mark: torch's dict
    ref.load_state_dict(plain.state_dict())
    plain.load_state_dict(ref.state_dict())


def test_rnnlabs_own_cho_weights_from_before_the_mark_load_without_a_word(tmp_path):
    torch.manual_seed(0)
    net = build_model("gru-cho", input_size=3, hidden_size=4)
    old = {k: v for k, v in net.state_dict().items() if not is_form_key(k)}
    assert len(old) == len(net.state_dict()) - 1  # (the mark: the one key it adds)
    sha = save_weights(tmp_path / "model.safetensors", old)
    again = build_model("gru-cho", input_size=3, hidden_size=4)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        load_weights_into(again, {"_dir": str(tmp_path), "weights_sha256": sha})
    for k, v in old.items():
        torch.testing.assert_close(again.state_dict()[k], v, rtol=0, atol=0)


def test_the_cell_is_marked_as_the_gru():
    """GRUCell(reset_after=False) took torch.nn.GRUCell's weights without a word too."""
    torch.manual_seed(0)
    ref = torch.nn.GRUCell(4, 5, dtype=D)
    cho = GRUCell(4, 5, dtype=D, reset_after=False)
    with pytest.warns(GRUFormWarning, match=r"GRUCell\(reset_after=False\).*torch.nn.GRUCell's "
                                            r"weights.*another function"):
        cho.load_state_dict(ref.state_dict())
    x, h = torch.randn(3, 4, dtype=D), torch.randn(3, 5, dtype=D)
    assert not torch.allclose(cho(x, h), ref(x, h))
    with pytest.raises(RuntimeError, match=r"build the GRU with reset_after=False"):
        GRUCell(4, 5).load_state_dict(cho.state_dict())
    layer, again = (Recurrent(GRUCell(4, 5, dtype=D, reset_after=False)) for _ in range(2))
    assert "cell.reset_after" in layer.state_dict()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        again.load_state_dict(layer.state_dict())
        plain = GRUCell(4, 5)
        assert list(plain.state_dict()) == list(torch.nn.GRUCell(4, 5).state_dict())
        plain.load_state_dict(torch.nn.GRUCell(4, 5).state_dict())
