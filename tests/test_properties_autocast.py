"""Property tests: rnnlab.nn.{RNN, GRU, LSTM} under a bf16 CPU autocast give torch.nn's
dtypes (and values within bf16's precision) on every impl; the set-ups are
test_properties_torch's."""

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from torch import nn
from torch.nn.utils.rnn import PackedSequence, pack_padded_sequence

import rnnlab.nn as R
from test_properties_torch import FAST, inputs, pair, setups

pytestmark = pytest.mark.filterwarnings("ignore:LSTM with projections is not supported with oneDNN")


def autocast_run(module, x, hx, lengths, enabled=True):
    inp = x if lengths is None else pack_padded_sequence(x, lengths, enforce_sorted=False,
                                                         batch_first=module.batch_first)
    with torch.autocast("cpu", dtype=torch.bfloat16, enabled=enabled):
        out, h_n = module(inp, hx)
    out = out.data if isinstance(out, PackedSequence) else out
    return [out, *(h_n if isinstance(h_n, tuple) else (h_n,))]


@settings(FAST, max_examples=25)
@given(setups())
def test_dropins_give_torch_nns_dtypes_under_a_bf16_cpu_autocast(s):
    """Under ``torch.autocast("cpu", torch.bfloat16)`` every impl gives the dtypes torch.nn
    gives (a dense LSTM: bf16 from oneDNN's kernel; packed: fp32; GRU: fp32), and values
    within bf16's precision. Old: ``LSTM(impl="reference")`` gave fp32 for a dense input
    (its cell state stays fp32), where torch.nn.LSTM and impl "auto" give bf16."""
    from rnnlab.nn.fast.lowp_lstm import lowp_lstm_supported

    s = dict(s, B=max(s["B"], 1))
    ours, theirs = pair(s)
    ours, theirs = ours.float(), theirs.float()
    x, hx, lengths = inputs(s)
    x, hx = x.float(), None if hx is None else [h.float() for h in hx]
    hx = None if hx is None else tuple(hx) if len(hx) == 2 else hx[0]
    got = autocast_run(ours, x, hx, lengths)
    if s["kind"] == "lstm" and not lowp_lstm_supported(torch.bfloat16):
        # an AVX2-only CPU: torch.nn.LSTM dies under the autocast; rnnlab's LSTM runs
        # torch's fp32 kernel (lowp_lstm.Fp32Lstm): fp32, torch.nn.LSTM's values without it
        want = autocast_run(theirs, x, hx, lengths, enabled=False)
        assert [t.dtype for t in got] == [torch.float32] * len(want)
    else:
        want = autocast_run(theirs, x, hx, lengths)
    assert [t.dtype for t in got] == [t.dtype for t in want]
    for a, b in zip(got, want):
        torch.testing.assert_close(a.float(), b.float(), rtol=3e-2, atol=3e-2)


def test_a_reference_lstm_under_autocast_gives_what_auto_gives_without_a_bf16_kernel(monkeypatch):
    """Where oneDNN has no bf16 LSTM (an AVX2-only CPU; simulated), "auto" runs torch's
    fp32 kernel and gives fp32: so does the reference loop (no cast to bf16 there)."""
    from rnnlab.nn.fast import lowp_lstm

    monkeypatch.setattr(lowp_lstm, "lowp_lstm_supported", lambda dtype: False)
    torch.manual_seed(0)
    auto, ref = R.LSTM(2, 3, num_layers=2), R.LSTM(2, 3, num_layers=2, impl="reference")
    ref.load_state_dict(auto.state_dict())
    x = torch.randn(4, 2, 2)
    got, want = autocast_run(ref, x, None, None), autocast_run(auto, x, None, None)
    assert [t.dtype for t in got] == [t.dtype for t in want] == [torch.float32] * 3
    for a, b in zip(got, want):
        torch.testing.assert_close(a, b, rtol=3e-2, atol=3e-2)


@pytest.mark.parametrize("kind, packed", [("lstm", "none"), ("lstm", "equal"), ("lstm", "differ"),
                                          ("rnn_tanh", "differ"), ("rnn_relu", "equal")])
def test_the_reference_loop_gives_torch_nns_dtypes_under_a_bf16_cpu_autocast(kind, packed):
    """Old: under a bf16 CPU autocast ``LSTM(impl="reference")`` gave fp32 outputs and
    states where torch.nn.LSTM gives bf16 (a dense batch, or packed of equal lengths), and
    ``RNN(impl="reference")`` given a PackedSequence of differing lengths an fp32 final
    state where torch.nn.RNN's is bf16 (the masked loop kept the fp32 zero state's
    dtype)."""
    from rnnlab.nn.fast.lowp_lstm import lowp_lstm_supported

    # (an AVX2-only CPU: torch.nn.LSTM dies under the autocast; rnnlab's is fp32 there,
    # torch.nn.LSTM's values without the autocast)
    fp32 = kind == "lstm" and not lowp_lstm_supported(torch.bfloat16)
    s = dict(kind=kind, I=2, H=3, proj=0, L=2, bi=True, bf=False, bias=True, impl="reference",
             made="to", flatten=False, copy="none", seed=0)
    ours, theirs = pair(s)
    ours, theirs = ours.float(), theirs.float()
    x = torch.randn(4, 3, 2)
    lengths = {"none": None, "equal": torch.tensor([4, 4, 4]), "differ": torch.tensor([4, 1, 3])}
    got = autocast_run(ours, x, None, lengths[packed])
    want = autocast_run(theirs, x, None, lengths[packed], enabled=not fp32)
    assert [t.dtype for t in got] == [t.dtype for t in want]
    for a, b in zip(got, want):
        torch.testing.assert_close(a.float(), b.float(), rtol=3e-2, atol=3e-2)


@settings(FAST, max_examples=25)
@given(st.sampled_from(["auto", "reference"]), st.integers(1, 2), st.booleans(),
       st.sampled_from([None, "equal", "most", "few"]), st.booleans(), st.booleans())
def test_composed_lstms_give_one_dtype_under_a_bf16_cpu_autocast(impl, layers, bi, lengths,
                                                                  grad, packed):
    """Recurrent / Stacked of LSTMCell under a bf16 CPU autocast give torch.nn.LSTM's
    dtype for the same batch (bf16; fp32 for lengths that differ, torch's packed call),
    on every impl and in either grad mode. Old: the step loop gave fp32 where torch's
    kernel gave bf16, and lengths gave bf16 when training (the padded kernel) and fp32
    under no_grad (packed), for the same call."""
    from rnnlab.nn.fast.lowp_lstm import lowp_lstm_supported

    kernel = lowp_lstm_supported(torch.bfloat16)  # (False: an AVX2-only CPU)
    torch.manual_seed(0)
    theirs = nn.LSTM(2, 3, num_layers=layers, bidirectional=bi)
    size = [2] + [3 * (2 if bi else 1)] * (layers - 1)

    def layer(k, reverse=False):
        return R.Recurrent(R.LSTMCell(size[k], 3), reverse=reverse, impl=impl)
    ours = R.Stacked([R.Bidirectional(layer(k), layer(k, True)) if bi else layer(k)
                      for k in range(layers)])
    x = torch.randn(4, 3, 2)
    given_lengths = {None: None, "equal": [4, 4, 4], "most": [4, 3, 4], "few": [4, 1, 1]}[lengths]
    given_lengths = None if given_lengths is None else torch.tensor(given_lengths)
    with torch.autocast("cpu", dtype=torch.bfloat16), torch.set_grad_enabled(grad):
        if not kernel:  # torch.nn.LSTM dies here; rnnlab's fallback is fp32 on every path
            want = torch.float32
        elif given_lengths is None:
            want = theirs(x)[0].dtype
        else:
            packed_x = pack_padded_sequence(x, given_lengths, enforce_sorted=False)
            want = theirs(packed_x)[0].data.dtype
        if packed and given_lengths is not None:
            got = ours(pack_padded_sequence(x, given_lengths, enforce_sorted=False))[0].data
        else:
            got = ours(x, None, given_lengths)[0]
    assert got.dtype == want


@pytest.mark.parametrize("bi", [False, True])
def test_a_packed_lstm_of_equal_lengths_runs_fp32_without_a_bf16_kernel(monkeypatch, bi):
    """Where oneDNN has no bf16 LSTM (an AVX2-only CPU; simulated), a PackedSequence of
    equal lengths also runs oneDNN's kernel: rnnlab's LSTM runs it in fp32, as it does a
    dense batch. Old: the packed call skipped the fallback and died ("could not create a
    primitive descriptor", as torch.nn.LSTM does there; here: bf16 where the fallback
    gives fp32)."""
    from rnnlab.nn.fast import lowp_lstm

    monkeypatch.setattr(lowp_lstm, "lowp_lstm_supported", lambda dtype: False)
    torch.manual_seed(0)
    m = R.LSTM(2, 3, num_layers=2, bidirectional=bi)
    x = torch.randn(4, 3, 2)
    packed = pack_padded_sequence(x, torch.tensor([4, 4, 4]), enforce_sorted=False)
    got = autocast_run(m, x, None, torch.tensor([4, 4, 4]))
    assert [t.dtype for t in got] == [torch.float32] * 3
    out, (h, c) = m(packed)  # (no autocast: torch's fp32 kernel, the fallback's)
    for a, b in zip(got, [out.data, h, c]):
        torch.testing.assert_close(a, b)


def test_an_fp32_lstm_mode_in_one_thread_leaves_anothers_lstm_dtype(monkeypatch):
    """An :class:`Fp32Lstm` entered in one thread (a bf16-mixed fit on a CPU without a
    bf16 LSTM) says nothing of another thread's calls: torch keeps function modes per
    thread. Old: a count on the class made every thread's LSTM result fp32."""
    import threading

    from rnnlab.nn.fast import lowp_lstm

    monkeypatch.setattr(lowp_lstm, "lowp_lstm_supported", lambda dtype: True)
    seen = []

    def other():
        with torch.autocast("cpu", dtype=torch.bfloat16):
            seen.append(lowp_lstm.lstm_autocast_dtype(torch.zeros(2, 1, 2), False))

    with lowp_lstm.Fp32Lstm(), torch.autocast("cpu", dtype=torch.bfloat16):
        assert lowp_lstm.lstm_autocast_dtype(torch.zeros(2, 1, 2), False) == torch.float32
        t = threading.Thread(target=other)
        t.start()
        t.join()
    assert seen == [torch.bfloat16]


def test_an_avx2_only_cpu_runs_every_lstm_input_under_a_bf16_autocast():
    """oneDNN limited to AVX2 (``ONEDNN_MAX_CPU_ISA=AVX2``, read at its first kernel: a
    fresh process) has no bf16 LSTM: a dense batch, a packed one of equal lengths and one
    of differing lengths all run (fp32). Old: the packed batch of equal lengths died
    with "could not create a primitive descriptor"."""
    import os
    import subprocess
    import sys

    code = """if True:
        import torch, rnnlab.nn as R
        from torch.nn.utils.rnn import pack_padded_sequence as pack
        from rnnlab.nn.fast.lowp_lstm import lowp_lstm_supported
        m, x = R.LSTM(2, 3, num_layers=2, bidirectional=True), torch.randn(4, 3, 2)
        said = [str(lowp_lstm_supported(torch.bfloat16))]
        for inp in (x, pack(x, torch.tensor([4, 4, 4])), pack(x, torch.tensor([4, 3, 1]))):
            with torch.autocast("cpu", dtype=torch.bfloat16):
                out, (h, c) = m(inp)
            said.append(str(getattr(out, "data", out).dtype))
        print(" ".join(said))
    """
    env = dict(os.environ, ONEDNN_MAX_CPU_ISA="AVX2")
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["False"] + ["torch.float32"] * 3
