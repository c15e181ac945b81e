"""What a user sweep of the recurrent core and the language model's Python API found:
each test failed before its fix (a traceback from inside torch, a silently ignored option,
a model that could not be reloaded, a file name trained on as if it were the text)."""

import copy
import io
import pathlib

import pytest
import torch

import rnnlab.nn as rnn_nn
from rnnlab.data.text import Vocab
from rnnlab.io.errors import DataError
from rnnlab.lm import CharLM
from rnnlab.lm.generate import check_prefix
from rnnlab.nn.registry import build_model


def _reload(model):
    buf = io.BytesIO()
    torch.save(model, buf)
    buf.seek(0)
    return torch.load(buf, weights_only=True)


@pytest.mark.parametrize("name", ["dt-rnn", "stacked-dt-rnn"])
def test_a_deep_model_saved_after_a_call_reloads_with_weights_only(name):
    # Stacked cached its plan in the module's __dict__ on the first call, and the pickle
    # then named rnnlab.nn.stacked._StackPlan, which weights_only=True refuses
    torch.manual_seed(0)
    m = build_model(name, input_size=2, hidden_size=3).eval()
    x = torch.randn(2, 4, 2)
    out, _ = m(x)
    loaded = _reload(m)
    torch.testing.assert_close(loaded(x)[0], out, rtol=0, atol=0)


def test_a_hand_built_stack_saved_after_a_call_reloads_and_copies_without_its_plan():
    torch.manual_seed(0)
    s = rnn_nn.Stacked([rnn_nn.Recurrent(rnn_nn.LSTMCell(2, 3)),
                        rnn_nn.Recurrent(rnn_nn.LSTMCell(3, 3))]).eval()
    x = torch.randn(4, 2, 2)
    out, _ = s(x)
    assert "_stack_plan" in s.__dict__  # (what the pickle used to carry)
    torch.testing.assert_close(_reload(s)(x)[0], out, rtol=0, atol=0)
    assert "_stack_plan" not in copy.deepcopy(s).__dict__


@pytest.mark.parametrize("cls", [rnn_nn.RNN, rnn_nn.GRU, rnn_nn.LSTM])
def test_dropins_name_a_dtype_mismatch_on_torchs_kernel_too(cls):
    # the fused path passed these to torch: "mat1 and mat2 must have the same dtype" for
    # the state, and for integer input the advice "convert model: model.to(torch.int64)"
    m = cls(3, 4).double()
    x = torch.randn(5, 2, 3, dtype=torch.float64)
    h = torch.zeros(1, 2, 4)  # float32
    hx = (h, h) if cls is rnn_nn.LSTM else h
    with pytest.raises(ValueError, match=rf"^{cls.__name__}: the initial state is float32 .* "
                                         r"parameters are float64.*model\.to"):
        m(x, hx)
    with pytest.raises(ValueError, match=r"the input is int64 .*pass floating-point values"):
        m(torch.ones(5, 2, 3, dtype=torch.long))
    packed = torch.nn.utils.rnn.pack_sequence([torch.randn(3, 3), torch.randn(2, 3)])
    with pytest.raises(ValueError, match=r"the input is float32 .*float64"):
        m(packed)
    with pytest.raises(ValueError, match=r"got 7; check the input's last dimension"):
        m(torch.randn(5, 2, 7, dtype=torch.float64))


def test_build_model_refuses_a_shape_option_the_architecture_does_not_read():
    with pytest.raises(ValueError, match=r"model 'lstm' has no depth \(set depth=3\).*dt-rnn"):
        build_model("lstm", input_size=1, hidden_size=3, depth=3)
    with pytest.raises(ValueError, match=r"model 'gru' has no nonlinearity"):
        build_model("gru", input_size=1, hidden_size=3, nonlinearity="relu")
    assert build_model("dt-rnn", input_size=1, hidden_size=3, depth=3).body.layers[0].cell.depth == 3


def test_recurrent_says_how_to_pass_one_unbatched_sequence():
    layer = rnn_nn.Recurrent(rnn_nn.GRUCell(3, 4), batch_first=True)
    with pytest.raises(ValueError, match=r"got \(5, 3\); for one unbatched sequence \(T, I\) "
                                         r"pass x\.unsqueeze\(0\)"):
        layer(torch.randn(5, 3))


def test_charlm_fit_refuses_what_is_not_the_text(tmp_path):
    lm = CharLM(hidden_size=4, num_layers=1, embedding=2)
    f = tmp_path / "notes.txt"
    f.write_text("the quick brown fox\n" * 50)
    cases = [(b"abc" * 300, r"got bytes; decode it first"),
             (None, r"got NoneType"),
             (pathlib.Path(f), r"got the path .*notes\.txt'; pass load_corpus"),
             (str(f), r"notes\.txt' names a file, but the text itself is expected"),
             ("time-machine", r"'time-machine' names a built-in corpus.*load_corpus")]
    for text, message in cases:
        with pytest.raises(DataError, match=message):
            lm.fit(text, epochs=1, seq_len=4, batch_size=2)
    assert lm.vocab is None  # refused before anything was built


def test_generate_refuses_a_prefix_that_is_not_a_string():
    vocab = Vocab.build("the cat sat", "char")
    with pytest.raises(TypeError, match=r"prefix must be a str, got int"):
        check_prefix(vocab, 5)
    assert check_prefix(vocab, "the ") == []


def test_a_dropins_impl_set_after_construction_is_checked_as_at_construction():
    # `m.impl = "bogus"` was accepted and ran torch's kernel; so was a loop impl ("fast")
    # on a configuration that runs torch's kernel, which the constructor refuses
    m = rnn_nn.LSTM(3, 4)
    with pytest.raises(ValueError, match=r"LSTM: impl must be one of .*got 'bogus'"):
        m.impl = "bogus"
    with pytest.raises(ValueError, match=r"impl='fast' chooses how rnnlab's own loop runs"):
        m.impl = "fast"
    m.impl = "reference"
    assert m.path_for(torch.randn(5, 2, 3)) == "reference" and "impl='reference'" in repr(m)
    cho = rnn_nn.GRU(3, 4, reset_after=False)
    cho.impl = "fast"
    assert cho.path_for(torch.randn(5, 2, 3)) == "fast-torch"


def test_a_dropin_pickled_before_impl_was_checked_loads_with_its_impl():
    m = rnn_nn.GRU(3, 4, impl="reference")
    state = m.__getstate__()
    state["impl"] = state.pop("_impl")  # how the state read before the check
    old = rnn_nn.GRU.__new__(rnn_nn.GRU)
    old.__setstate__(state)
    x = torch.randn(5, 2, 3)
    assert old.impl == "reference"
    torch.testing.assert_close(old(x)[0], m(x)[0], rtol=0, atol=0)



def test_lm_prepare_and_train_config_say_what_they_got(tmp_path):
    from rnnlab.data.corpus_mmap import prepare_corpus
    from rnnlab.lm.config import LMTrainConfig

    with pytest.raises(DataError, match=r"missing\.txt: no such file; `lm prepare` takes"):
        prepare_corpus(tmp_path / "missing.txt", tmp_path / "out")
    with pytest.raises(DataError, match=r": is a directory; `lm prepare` takes"):
        prepare_corpus(tmp_path, tmp_path / "out")
    with pytest.raises(ValueError, match=r"must be >= 1, got 0, 32, "):
        LMTrainConfig(seq_len=0, batch_size=32)


def test_a_gru_given_a_tuple_state_says_only_an_lstms_state_is_a_pair():
    # passed the check as "one tensor" and failed inside torch: 'tuple' has no attribute 'dim'
    x, h = torch.randn(5, 2, 3), torch.zeros(1, 2, 4)
    with pytest.raises(ValueError, match=r"^GRU: expected hx as one tensor of shape \(1, 2, 4\), "
                                         r"got a tuple of 1; only an LSTM's state is a pair"):
        rnn_nn.GRU(3, 4)(x, (h,))
    with pytest.raises(ValueError, match=r"^LSTM: expected hx as \(h_0, c_0\), each of shape "
                                         r"\(1, 2, 4\), got one tensor of shape \(1, 2, 4\)"):
        rnn_nn.LSTM(3, 4)(x, h)


@pytest.mark.parametrize("make", [lambda: rnn_nn.LSTMCell(3, 4),
                                  lambda: rnn_nn.Recurrent(rnn_nn.GRUCell(3, 4)),
                                  lambda: build_model("dt-rnn", input_size=3, hidden_size=4)])
def test_torchscript_is_refused_with_what_to_use_for_every_module(make):
    # the drop-ins said so; the cells and layers failed inside TorchScript's frontend
    # ("Lambda aren't supported")
    with pytest.raises(RuntimeError, match=r"TorchScript \(torch.jit.script\) cannot compile "
                                           r"rnnlab's modules; use torch.compile"):
        torch.jit.script(make())


@pytest.mark.parametrize("name", ["lstm", "gru-cho"])
def test_a_torch_style_model_checks_lengths_as_rnnlabs_layers_do(name):
    # build_model("lstm")(x, lengths=...) packed them unchecked: a length past T gave
    # "shape '[4, 1, 3]' is invalid", a count other than B an IndexError, floats passed
    m = build_model(name, input_size=3, hidden_size=4)
    x = torch.randn(2, 5, 3)
    for lengths, message in [([6, 2], r"between 1 and the sequence length 5, got min 2, max 6"),
                             ([0, 2], r"got min 0"),
                             ([5, 2, 1], r"expected lengths of shape \(2,\) \(one per sequence\)"),
                             (torch.tensor([5.0, 2.0]), r"lengths must be integers")]:
        with pytest.raises(ValueError, match=message):
            m(x, lengths=lengths)
    with pytest.raises(ValueError, match=r"expected input of shape \(B, T, 3\), got \(5, 3\)"):
        m(x[0], lengths=[5])
    out, _ = m(x, lengths=[5, 2])
    torch.testing.assert_close(out[1:, :2], m(x[1:, :2])[0])


def test_fitting_again_on_a_text_of_other_chars_warns_or_refuses():
    # a second fit keeps the vocabulary of the first: a text of other characters trained
    # silently as the unknown token (all of it: a model that learnt nothing)
    text = "the quick brown fox jumps over the lazy dog. " * 20
    lm = CharLM(hidden_size=4, num_layers=1, embedding=2).fit(text, epochs=1, seq_len=8,
                                                               batch_size=2)
    with pytest.warns(UserWarning, match=r"fit: 6\.7% of the training chars \(3 distinct: "
                                         r"'F', 'O', 'X'\) are not in the model's vocabulary") as w:
        lm.fit(text.replace("fox", "FOX"), epochs=1, seq_len=8, batch_size=2)
    assert w[0].filename == __file__  # (points at the caller's line)
    with pytest.raises(DataError, match=r"100\.0% of the training chars .* it would learn "
                                        r"nothing\. Train a new model"):
        lm.fit("ZYX" * 300, epochs=1, seq_len=8, batch_size=2)


def test_a_cells_state_of_the_wrong_structure_is_named():
    # a GRU state in a tuple, or (None, None) for an LSTM, failed inside torch
    # ("expected Tensor as element 0", "'NoneType' object has no attribute 'shape'")
    x = torch.randn(5, 2, 3)
    with pytest.raises(ValueError, match=r"GRUCell: expected a state of 1 tensor\(s\): one "
                                         r"tensor of shape \(2, 4\); got a tuple of 1"):
        rnn_nn.Recurrent(rnn_nn.GRUCell(3, 4))(x, (torch.zeros(2, 4),))
    with pytest.raises(ValueError, match=r"LSTMCell: .*a tuple of 2 tensors of shapes \(2, 4\), "
                                         r"\(2, 4\); got a tuple of 2 \(NoneType, NoneType\)"):
        rnn_nn.Recurrent(rnn_nn.LSTMCell(3, 4))(x, (None, None))
    with pytest.raises(ValueError, match=r"GRUCell: .*; got int"):
        rnn_nn.GRUCell(3, 4)(x[0], 0)
    out, (h, c) = rnn_nn.Recurrent(rnn_nn.LSTMCell(3, 4))(x, [torch.zeros(2, 4)] * 2)  # a list
    assert h.shape == (2, 4)


def test_layers_refuse_torch_modules_with_what_to_build_instead():
    with pytest.raises(TypeError, match=r"got torch\.nn\.modules\.rnn\.LSTMCell; use "
                                        r"rnnlab\.nn\.LSTMCell \(the same parameters"):
        rnn_nn.Recurrent(torch.nn.LSTMCell(3, 4))
    with pytest.raises(TypeError, match=r"Bidirectional: expected forward_layer as a Recurrent"):
        rnn_nn.Bidirectional(torch.nn.LSTM(3, 4), torch.nn.LSTM(3, 4))
    with pytest.raises(TypeError, match=r"Stacked: layer 0 is a LSTM module, .* or use "
                                        r"LSTM\(I, H, num_layers=2\)"):
        rnn_nn.Stacked([rnn_nn.LSTM(3, 4), rnn_nn.LSTM(4, 4)])


@pytest.mark.parametrize("name", ["RNNCell", "GRUCell", "LSTMCell"])
def test_cells_take_torchs_device_and_dtype_arguments(name):
    # torch.nn.LSTMCell(3, 4, dtype=torch.float64) is common; rnnlab's cells raised TypeError
    torch.manual_seed(0)
    ours = getattr(rnn_nn, name)(3, 4, dtype=torch.float64, device="cpu")
    torch.manual_seed(0)
    theirs = getattr(torch.nn, name)(3, 4, dtype=torch.float64, device="cpu")
    for a, b in zip(ours.parameters(), theirs.parameters()):
        assert a.dtype == torch.float64
        torch.testing.assert_close(a, b, rtol=0, atol=0)  # torch's initialisation, same draws
    deep = rnn_nn.DTRNNCell(3, 4, depth=3, shortcut=True, dtype=torch.float64)
    assert {p.dtype for p in deep.parameters()} == {torch.float64}


@pytest.fixture(scope="module")
def tiny_lm():
    torch.manual_seed(0)
    text = "the quick brown fox jumps over the lazy dog. " * 20
    return CharLM(hidden_size=4, num_layers=1, embedding=2).fit(text, epochs=1, seq_len=8,
                                                                 batch_size=2)


def test_generate_at_a_tiny_or_huge_temperature_draws_instead_of_failing(tiny_lm):
    # logits / 1e-300 overflowed float32 to inf (and / 1e300 gave NaN for the unknown
    # token's -inf): "probability tensor contains either inf, nan or element < 0"
    greedy = tiny_lm.generate("the ", 12, temperature=0)
    for t in (1e-45, 1e-300):
        assert tiny_lm.generate("the ", 12, temperature=t) == greedy  # the limit t -> 0
    assert len(tiny_lm.generate("the ", 12, temperature=1e300)) == 16
    assert tiny_lm.generate("the ", 12, temperature=0.7, seed=3) == \
        tiny_lm.generate("the ", 12, temperature=0.7, seed=3)


def test_generate_refuses_a_seed_that_is_not_a_64_bit_whole_number(tiny_lm):
    # None reached torch.Generator.manual_seed: "manual_seed expected a long"
    for seed in (None, 2**70, 1.5):
        with pytest.raises(ValueError, match=r"seed must be a whole number .* e\.g\. seed=0"):
            tiny_lm.generate("the ", 4, seed=seed)


def test_perplexity_refuses_a_stream_count_that_is_no_count(tiny_lm):
    # streams=-1 and streams=True scored as 1 stream, 0 as the default; 2.5 a TypeError
    text = "the quick brown fox jumps over the lazy dog. " * 4
    for streams in (-1, 0, True, 2.5):
        with pytest.raises(ValueError, match=r"streams must be a whole number >= 1"):
            tiny_lm.perplexity(text, streams=streams)
    assert tiny_lm.perplexity(text, streams=1) > 1


def test_lm_train_samples_a_prepared_corpus_from_its_own_first_words(tmp_path):
    """`lm train --corpus <prepared folder>` sampled with the time-machine prefixes."""
    from rnnlab.data.corpus_mmap import load_prepared, prepare_corpus
    from rnnlab.lm.train_command import first_words

    src = tmp_path / "notes.txt"
    src.write_text("Call me Ishmael. Some years ago, never mind how long.\n" * 20)
    prepare_corpus(src, tmp_path / "prep")
    assert first_words(load_prepared(tmp_path / "prep")) == "Call me Ishmael. "
    assert first_words(src.read_text()) == "Call me Ishmael. "
    assert first_words("  \n") == ""
