"""Session 24: stateful training on long sequences (truncated BPTT), as a researcher runs it."""

import re

import pytest
import torch
from torch import nn
from torch.testing import assert_close

from rnnlab import build_model
from rnnlab.nn import GRU, LSTM, DTRNNCell, LSTMCell, Recurrent, ShapeError

F64 = torch.float64


@pytest.mark.parametrize("kind", ["lstm", "gru"])
def test_a_carried_state_meeting_a_shorter_last_batch_says_so_and_the_cut_runs(kind):
    # The state carried from a batch of 4 streams into the epoch's short last batch of 2
    # was refused with "give one row per layer and direction ..., one column per sequence
    # of the batch": the state had those; what differed was the batch.
    torch.manual_seed(0)
    ours = (LSTM if kind == "lstm" else GRU)(3, 5, num_layers=2, dtype=F64)
    theirs = (nn.LSTM if kind == "lstm" else nn.GRU)(3, 5, num_layers=2, dtype=F64)
    theirs.load_state_dict(ours.state_dict())
    x = torch.randn(20, 4, 3, dtype=F64)
    _, state = ours(x[:10])
    last = x[10:, :2]  # (T, 2, I): the short last batch
    with pytest.raises(ShapeError) as err:
        ours(last, state)
    msg = str(err.value)
    assert "the state is for 4 sequences and the input has 2" in msg, msg
    assert "epoch's short last batch" in msg and "start this batch from None" in msg
    cut = "(h_0[:, :2], c_0[:, :2])" if kind == "lstm" else "h_0[:, :2]"
    assert f"cut it to the sequences that go on, {cut}" in msg, msg
    assert "one column per sequence" not in msg
    # what it says to do runs, and equals torch.nn's run of the same cut
    h_0 = state[0] if kind == "lstm" else state
    cut_state = (h_0[:, :2], state[1][:, :2]) if kind == "lstm" else h_0[:, :2]
    assert_close(ours(last, cut_state)[0], theirs(last, cut_state)[0])


def test_a_carried_state_meeting_a_larger_batch_is_not_told_to_cut():
    gru = GRU(3, 5)
    with pytest.raises(ShapeError) as err:
        gru(torch.randn(6, 4, 3), torch.zeros(1, 2, 5))
    msg = str(err.value)
    assert "the state is for 2 sequences and the input has 4" in msg, msg
    assert "does not fit a larger one" in msg and "cut it" not in msg


@pytest.mark.parametrize("make", [lambda: Recurrent(LSTMCell(3, 5)),
                                  lambda: Recurrent(DTRNNCell(3, 5, depth=2))],
                         ids=["lstm-cell", "dt-cell"])
def test_a_layers_carried_state_of_another_batch_says_so(make):
    layer = make()
    _, state = layer(torch.randn(7, 4, 3))
    with pytest.raises(ShapeError, match=re.escape(
            "got (4, 5); the state is for 4 sequences and the input has 3")
            + ".*h\\[:3\\] for each state tensor"):
        layer(torch.randn(7, 3, 3), state)


def test_a_deep_transition_models_carried_state_of_another_batch_says_so():
    model = build_model("stacked-dt-rnn", input_size=2, hidden_size=4)
    _, state = model(torch.randn(4, 9, 2))
    with pytest.raises(ShapeError, match="the state is for 4 sequences and the input has 1"):
        model(torch.randn(1, 9, 2), state)
    out, _ = model(torch.randn(1, 9, 2), [h[:1] for h in state])  # the cut it names runs
    assert out.shape == (1, 9, 4)


class _Streams:
    """A user's stateful task: S streams read in windows of W steps, the state carried."""

    def __init__(self, series, window):
        self.series, self.window = series, window

    def num_batches(self, epoch):
        return (self.series.shape[1] - 1) // self.window

    def get_batch(self, epoch, index):
        a, w = index * self.window, self.window
        return self.series[:, a:a + w], self.series[:, a + 1:a + w + 1]

    def initial_carry(self):
        return None

    def train_loss(self, model, batch, carry):
        x, y = batch
        out, state = model(x, carry)
        return torch.nn.functional.mse_loss(out.sum(-1, keepdim=True), y), state

    def validate(self, model):
        return None


def test_a_skipped_steps_nan_state_is_not_carried_into_the_rest_of_the_epoch():
    # One NaN in one stream: with on_nonfinite="skip" the step that read it was skipped,
    # but its NaN state was carried on, so every later step of the epoch was skipped too
    # (74 of 78 steps in the session's run), the model trained on the first few batches only.
    from rnnlab.train import TrainConfig, fit

    torch.manual_seed(0)
    series = torch.sin(torch.arange(4 * 101, dtype=torch.float32) / 7).reshape(4, 101, 1)
    series[1, 45] = float("nan")  # read by batch 4 only (inputs 40..49, targets 41..50)
    model = build_model("gru", input_size=1, hidden_size=4)
    hist = fit(model, _Streams(series, 10), TrainConfig(epochs=1, progress=False,
                                                        on_nonfinite="skip"))
    assert hist.steps == 10 and hist.skipped_steps == 1, hist.skipped_steps  # (was 6)
    assert all(torch.isfinite(p).all() for p in model.parameters())


@pytest.mark.parametrize("name", ["gru-cho", "dt-rnn", "dots-rnn"])
@pytest.mark.parametrize("masked", [False, True], ids=["full", "lengths"])
def test_inference_on_the_fast_kernels_keeps_no_backward_buffers(monkeypatch, name, masked):
    # Under no_grad the whole-sequence kernels (GRU reset_after=False, the deep-transition
    # cells) still kept every step's buffers for a backward that never runs: gru-cho took
    # 941 MB beside a 49 MB output for T=100,000 (576 MB now), dt-rnn 428 MB (322 MB now).
    from rnnlab.nn.fast import dt, gru_cho

    kept = []
    for module, fn in ((gru_cho, "gru_cho_forward"), (dt, "dt_forward")):
        orig = getattr(module, fn)

        def spy(*args, _orig=orig, **kwargs):
            result = _orig(*args, **kwargs)
            kept.append(result[2][1 if _orig is gru_cho.gru_cho_forward else 2])  # RZ / A
            return result
        monkeypatch.setattr(module, fn, spy)
    torch.manual_seed(0)
    model = build_model(name, input_size=2, hidden_size=3).double()
    x = torch.randn(2, 30, 2, dtype=F64)
    lengths = torch.tensor([30, 11]) if masked else None
    out, state = model(x, None, lengths)  # training: every step kept for the backward
    with torch.no_grad():
        out_inf, state_inf = model(x, None, lengths)
    assert [k.shape[0] for k in kept] == [30, 1]
    # (float64 tolerances: dots-rnn's input part is 1 ulp apart without grad, as before)
    assert_close(out_inf, out.detach())
    assert_close(state_inf, state.detach() if name == "gru-cho" else [s.detach() for s in state])


_Carry = __import__("collections").namedtuple("_Carry", "state seen")


class _Wrapped(_Streams):
    """The same task with the state inside a dict, or a namedtuple, beside a step count."""

    def __init__(self, series, window, kind, fail_at=None):
        super().__init__(series, window)
        self.kind, self.fail_at = kind, fail_at

    def get_batch(self, epoch, index):
        if (epoch, index) == self.fail_at:
            raise KeyboardInterrupt  # (the run killed there, after a checkpoint)
        return super().get_batch(epoch, index)

    def initial_carry(self):
        if self.kind == "flag":  # (a bool and a word beside them: saved, then refused on
            return {"state": None, "seen": 0, "warm": False, "phase": "a"}  # resume as damaged
        return {"state": None, "seen": 0} if self.kind == "dict" else _Carry(None, 0)

    def train_loss(self, model, batch, carry):
        state, seen = (carry["state"], carry["seen"]) if self.kind != "namedtuple" else carry
        loss, state = super().train_loss(model, batch, state)
        if self.kind == "flag":
            return loss, {"state": state, "seen": seen + 1, "warm": True, "phase": "b"}
        return loss, ({"state": state, "seen": seen + 1} if self.kind == "dict" else
                      _Carry(state, seen + 1))


@pytest.mark.parametrize("kind", ["dict", "namedtuple", "flag"])
def test_a_carry_in_a_dict_or_namedtuple_is_detached_and_resumes(tmp_path, kind):
    # A dict carry was not detached (the second step died in torch's "Trying to backward
    # through the graph a second time"), a namedtuple came back a plain tuple
    # (AttributeError in the task's carry.state); a resumed one (a namedtuple, or a
    # dict holding a step count: "its training state is not one rnnlab writes") neither.
    from rnnlab.train import TrainConfig, fit

    series = torch.sin(torch.arange(2 * 61, dtype=torch.float32) / 5).reshape(2, 61, 1)
    cfg = TrainConfig(epochs=2, lr=1e-2, progress=False, checkpoint_every=2)

    def model():
        torch.manual_seed(0)
        return build_model("lstm", input_size=1, hidden_size=3)
    whole = model()
    fit(whole, _Wrapped(series, 10, kind), cfg)
    cut = model()
    with pytest.raises(KeyboardInterrupt):
        fit(cut, _Wrapped(series, 10, kind, fail_at=(1, 3)), cfg, checkpoint_dir=tmp_path)
    resumed = model()
    fit(resumed, _Wrapped(series, 10, kind), cfg, checkpoint_dir=tmp_path, resume=True)
    for a, b in zip(whole.parameters(), resumed.parameters()):
        assert_close(a, b, rtol=0, atol=0)


def test_a_graphed_step_copies_a_dict_carry_and_leaves_a_counting_one_eager():
    # With map_tree taking dicts, the CUDA-graph step must too: its static carry was left
    # stale (no copy into a dict) under one signature for any shapes ("dict"); a number in
    # the carry would come back from each replay as the capture left it.
    from rnnlab.train import TrainConfig
    from rnnlab.train.graph_step import GraphedStep, _copy_into, signature

    h = torch.zeros(1, 4, 8)
    assert signature(None, {"state": h}) != signature(None, {"state": torch.zeros(1, 2, 8)})
    static = {"state": (torch.zeros(2), torch.zeros(2))}
    _copy_into(static, {"state": (torch.ones(2), torch.full((2,), 2.0))})
    assert static["state"][0].tolist() == [1, 1] and static["state"][1].tolist() == [2, 2]
    step = GraphedStep(nn.Linear(1, 1), None, None, [], TrainConfig(), torch.device("cpu"))
    batch = (torch.zeros(4, 6, 2), torch.zeros(4, 1))
    assert step.takes(batch, {"state": (h, h)})
    assert not step.takes(batch, {"state": (h, h), "seen": 3})
    assert not step.takes(batch, _Carry(h, 3))
