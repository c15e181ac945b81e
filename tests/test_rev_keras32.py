"""Review of keras32 (session 32): what keras_init_, to/from_keras_weights and the Keras
page said or did wrong, each test failing before its fix. A meta module's to_empty
advice that exported garbage, a second recurrent part left unnamed, a generator or a
dict by position that escaped as torch's or Python's error, refusals in another
function's name, a glorot test that torch's own draw passed, and a recipe that built
its index on the CPU."""

import math
import re

import numpy as np
import pytest
import torch
from torch import nn

from rnnlab.io.errors import ConfigError, ConfigTypeError
from rnnlab.nn import (LSTM, GRUCell, LSTMCell, Recurrent, Stacked, from_keras_weights,
                       keras_init_, to_keras_weights)
from test_keras_user32 import _check_keras_start, _keras_page


@pytest.mark.parametrize("make", [lambda: LSTM(64, 64), lambda: Recurrent(GRUCell(48, 64))])
def test_keras_init_kernel_is_glorot_uniform_of_keras_fans_not_torchs_default(make):
    """_check_keras_start's spread check cannot tell glorot_uniform from torch's
    U(-1/sqrt(H), 1/sqrt(H)) on small layers (LSTM(3, 8): a = 0.414, 1/sqrt(8) = 0.354 >
    0.8 a). On a large kernel the two differ: the largest |w| lies within 1% of Keras' a =
    sqrt(6 / (I + G*H)) and the spread is U(-a, a)'s, std a / sqrt(3), in every gate block
    (the fans are the whole (I, G*H) kernel's, not one gate's)."""
    torch.manual_seed(5)
    kernel = to_keras_weights(keras_init_(make()))[0].astype(np.float64)
    inputs, columns = kernel.shape
    a = math.sqrt(6.0 / (inputs + columns))
    assert 0.99 * a < np.abs(kernel).max() <= a + 1e-7
    for block in np.split(kernel, columns // 64, axis=1):
        assert abs(block.std() / (a / math.sqrt(3)) - 1) < 0.05
        assert abs(block.mean()) < 0.05 * a


@pytest.mark.parametrize("generator", [7, "cpu"])
def test_keras_init_refuses_a_generator_that_is_not_one_naming_keras_seed(generator):
    """Keras' seed=7 given as generator=7 was torch's bare TypeError from inside the draw
    ("uniform_(): argument 'generator' must be torch.Generator, not int"); the refusal
    is rnnlab's, and what it names seeds the draws."""
    layer = LSTM(3, 5)
    before = {k: v.clone() for k, v in layer.state_dict().items()}
    with pytest.raises(ConfigTypeError, match=r"keras_init_: generator must be a CPU "
                       r"torch.Generator.*generator=torch.Generator\(\).manual_seed\(s\)"):
        keras_init_(layer, generator=generator)
    for k, v in layer.state_dict().items():  # (refused before any weight was set)
        assert torch.equal(v, before[k]), k
    a = keras_init_(LSTM(3, 5), generator=torch.Generator().manual_seed(7))
    b = keras_init_(LSTM(3, 5), generator=torch.Generator().manual_seed(7))
    assert torch.equal(a.weight_hh_l0, b.weight_hh_l0)


class _EncoderDecoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc = Stacked([Recurrent(LSTMCell(3, 4)), Recurrent(LSTMCell(4, 4))])
        self.dec = nn.ModuleList([Recurrent(GRUCell(4, 4))])
        self.head = nn.Linear(4, 1)


@pytest.mark.parametrize("call, name", [
    (lambda m: keras_init_(m), "keras_init_"),
    (lambda m: to_keras_weights(m), "to_keras_weights"),
    (lambda m: from_keras_weights(m, []), "from_keras_weights"),
])
def test_a_model_of_two_recurrent_parts_is_refused_naming_both(call, name):
    """An encoder and a decoder: the refusal named the first part only, so doing what
    it said (keras_init_(model.enc)) left the decoder at torch's start with no word. It
    names every outer part (not the layers inside a Stacked), and its calls run."""
    model = _EncoderDecoder()
    with pytest.raises(ConfigTypeError) as info:
        call(model)
    text = str(info.value)
    assert "2 recurrent parts, model.enc, model.dec[0]" in text
    assert "model.enc.layers" not in text
    if name != "keras_init_":
        return
    exec(text.split("pass each, ", 1)[1], {"keras_init_": keras_init_, "model": model})
    _check_keras_start(to_keras_weights(model.enc) + to_keras_weights(model.dec[0]),
                       ["lstm", "lstm", "gru"], [3, 4, 4], 4)


@pytest.mark.parametrize("make", [lambda: LSTMCell(3, 5, recurrent_dropout=0.2),
                                  lambda: GRUCell(3, 5, recurrent_dropout=0.2)])
def test_the_recurrent_dropout_refusal_says_one_mask_for_all_gates(make):
    """Keras 3's LSTMCell and GRUCell draw one mask per gate once recurrent_dropout is
    set (docs/keras.md); the refusal's "the mask" let a Keras user take the layer's for
    the same regulariser. It says the masks differ, as the page does."""
    with pytest.raises(ConfigTypeError) as info:
        make()
    text = str(info.value)
    assert "Recurrent(cell, recurrent_dropout=p)" in text
    assert "one mask for all gates" in text and "one per gate" in text


@pytest.mark.parametrize("source", [lambda: LSTM(3, 4), lambda: Recurrent(LSTMCell(3, 4))])
def test_a_torch_state_dict_is_refused_naming_load_state_dict(source):
    """A PyTorch user's state_dict given to from_keras_weights was told to list its
    arrays "in Keras' order: kernel, recurrent_kernel, bias", which torch's transposed,
    two-bias arrays are not; the refusal names the torch loaders, and they load it."""
    state = source().state_dict()
    target = Recurrent(LSTMCell(3, 4))
    with pytest.raises(ConfigTypeError) as info:
        from_keras_weights(target, state)
    text = str(info.value)
    assert "torch's names" in text and "kernel, recurrent_kernel, bias" not in text
    assert "module.load_state_dict(state_dict)" in text and "from_torch_state_dict" in text
    from rnnlab.nn import from_torch_state_dict
    torch_nn = "weight_hh_l0" in state  # (the drop-in's names are torch.nn's)
    target.load_state_dict(from_torch_state_dict(target, state) if torch_nn else state)
    assert torch.equal(target.cell.weight_hh,
                       state["weight_hh_l0" if torch_nn else "cell.weight_hh"])


@pytest.mark.parametrize("before, after", [(0, 2), (1, 2), (1, 0)])
def test_model_get_weights_with_other_layers_is_refused_naming_the_slice(before, after):
    """Keras' model.get_weights() of Sequential([Embedding, LSTM(8), Dense(1)]) lists the
    Embedding's and Dense's arrays too; the count refusal said only "got 6". It names
    the slice that holds the LSTM's arrays, and that slice loads them."""
    lstm = to_keras_weights(Recurrent(LSTMCell(3, 8)))
    embedding = [np.ones((10, 3), "float32")][:before]
    dense = [np.ones((8, 1), "float32"), np.zeros(1, "float32")][:after]
    weights = embedding + lstm + dense
    layer = Recurrent(LSTMCell(3, 8))
    with pytest.raises(ConfigError) as info:
        from_keras_weights(layer, weights)
    text = str(info.value)
    got = re.search(r"pass (weights\[\d+:\d+\])", text).group(1)
    assert f"the other {before + after} " in text
    layer.load_state_dict(from_keras_weights(layer, eval(got, {"weights": weights})))
    for a, b in zip(to_keras_weights(layer), lstm):
        np.testing.assert_array_equal(a, b)


def test_a_count_refusal_without_one_fitting_slice_names_none():
    weights = to_keras_weights(Recurrent(LSTMCell(3, 8)))
    with pytest.raises(ConfigError) as info:  # (fewer arrays: no slice to name)
        from_keras_weights(Recurrent(LSTMCell(3, 8)), weights[:2])
    assert "pass weights[" not in str(info.value)
    with pytest.raises(ConfigError) as info:  # (two fitting slices: which is unknown)
        from_keras_weights(Recurrent(LSTMCell(3, 8)), weights + weights)
    assert "pass weights[" not in str(info.value)


def test_the_keras_page_says_what_the_slice_and_parts_refusals_name():
    """The page's refusal list names the slice of model.get_weights() and each part of a
    whole model, as the refusals do (an Embedding's array before one LSTM: [1:4])."""
    page = _keras_page()
    bullet = page.split("A longer list that holds")[1].split("\n* ")[0]
    said = re.search(r"`(weights\[\d+:\d+\])`", bullet).group(1)
    weights = [np.ones((10, 3), "float32")] + to_keras_weights(Recurrent(LSTMCell(3, 8)))
    with pytest.raises(ConfigError, match=re.escape(f"pass {said}")):
        from_keras_weights(Recurrent(LSTMCell(3, 8)), weights)
    assert "`model.enc`, `model.dec[0]`" in page
    with pytest.raises(ConfigTypeError, match=re.escape("model.enc, model.dec[0]")):
        keras_init_(_EncoderDecoder())


def test_arrays_by_position_or_odd_keys_are_refused_in_rnnlabs_words():
    """A dict by position (dict(enumerate(get_weights()))) or of non-text keys was a
    bare TypeError ("'int' object is not subscriptable") or AttributeError from inside
    the refusal's own wording; it is the ConfigTypeError, and the list it names loads."""
    arrays = to_keras_weights(Recurrent(LSTMCell(3, 8)))
    layer = Recurrent(LSTMCell(3, 8))
    weights = dict(enumerate(arrays))
    with pytest.raises(ConfigTypeError) as info:
        from_keras_weights(layer, weights)
    fix = re.search(r"(\[weights\[k\] for k in range\(len\(weights\)\)\])",
                    str(info.value)).group(1)
    layer.load_state_dict(from_keras_weights(layer, eval(fix, {"weights": weights})))
    np.testing.assert_array_equal(to_keras_weights(layer)[1], arrays[1])
    with pytest.raises(ConfigTypeError, match=r"arrays by name \(\('a', 1\)\)"):
        from_keras_weights(layer, {("a", 1): arrays[0]})
    with pytest.raises(ConfigTypeError) as info:  # (nothing by name to list)
        from_keras_weights(layer, {})
    assert "arrays by name ()" not in str(info.value)


def test_a_meta_module_to_keras_weights_says_to_load_or_initialise_after_to_empty():
    """to_empty gives memory, not values: to_keras_weights of it gave arrays of whatever
    the memory held (the refusal named to_empty alone). The refusal says to load or
    initialise after it, and doing what it says gives Keras' start, not garbage."""
    module = LSTM(3, 4, device="meta")
    with pytest.raises(ConfigError) as info:
        to_keras_weights(module)
    text = str(info.value)
    assert "meta device" in text and "not values" in text
    assert "load_state_dict" in text and "rnnlab.nn.keras_init_(module)" in text
    kernel, rec, bias = to_keras_weights(keras_init_(module.to_empty(device="cpu")))
    _check_keras_start([kernel, rec, bias], ["lstm"], [3], 4)


def _keras_masked_outputs_code():
    bullet = _keras_page().split("* Masked steps.")[1].split("\n* ")[0]
    return re.findall(r"`((?:last = |out\.gather)[^`]+)`", bullet.replace("\n  ", " "))


def test_the_keras_masked_outputs_recipe_indexes_on_the_outputs_device():
    """The recipe built its index on the CPU (torch.arange without a device, lengths
    where they were): with outputs on a GPU and lengths on the CPU, as
    pack_padded_sequence takes them, gather refused the index of another device. Both
    of its tensors are put on out.device (run on CUDA where there is one)."""
    first, second = _keras_masked_outputs_code()
    assert "device=out.device" in first and "lengths.to(out.device)" in first
    if not torch.cuda.is_available():
        return
    out = torch.randn(2, 4, 3, device="cuda")
    ns = {"torch": torch, "out": out, "lengths": torch.tensor([4, 2])}
    exec(first, ns)
    got = eval(second, ns)
    torch.testing.assert_close(got[1, 2:], out[1, 1:2].expand(2, 3))
