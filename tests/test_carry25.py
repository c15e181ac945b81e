"""Session 25: a namedtuple carry whose task starts from None (``initial_carry()`` None,
the first ``train_loss`` making ``Carry(state, seen)``) resumed mid-epoch as a plain tuple,
and the task's ``carry.state`` failed (AttributeError). The checkpoint now keeps the
namedtuple's name and fields (data, no class) and the resumed carry reads by field."""

import collections
import json

import pytest
import torch
from torch.testing import assert_close

from rnnlab.io.tree_file import load_tree, save_tree
from rnnlab.nn.registry import build_model

Carry = collections.namedtuple("Carry", "state seen")


class _FromNone:
    """S streams read in windows of W steps; the carry is None, then a Carry."""

    def __init__(self, series, window, fail_at=None):
        self.series, self.window, self.fail_at = series, window, fail_at

    def num_batches(self, epoch):
        return (self.series.shape[1] - 1) // self.window

    def get_batch(self, epoch, index):
        if (epoch, index) == self.fail_at:
            raise KeyboardInterrupt  # (the run killed there, after a checkpoint)
        a, w = index * self.window, self.window
        return self.series[:, a:a + w], self.series[:, a + 1:a + w + 1]

    def initial_carry(self):
        return None

    def train_loss(self, model, batch, carry):
        x, y = batch
        out, state = model(x, None if carry is None else carry.state)  # (AttributeError: was)
        seen = 0 if carry is None else carry.seen
        return torch.nn.functional.mse_loss(out.sum(-1, keepdim=True), y), Carry(state, seen + 1)

    def validate(self, model):
        return None


def test_a_namedtuple_carry_from_none_resumes_by_its_fields(tmp_path):
    from rnnlab.train import TrainConfig, fit

    series = torch.sin(torch.arange(2 * 61, dtype=torch.float64) / 5).reshape(2, 61, 1)
    cfg = TrainConfig(epochs=2, lr=1e-2, progress=False, checkpoint_every=2)

    def model():
        torch.manual_seed(0)
        return build_model("lstm", input_size=1, hidden_size=3).double()
    whole = model()
    fit(whole, _FromNone(series, 10), cfg)
    cut = model()
    with pytest.raises(KeyboardInterrupt):
        fit(cut, _FromNone(series, 10, fail_at=(1, 3)), cfg, checkpoint_dir=tmp_path)
    resumed = model()
    fit(resumed, _FromNone(series, 10), cfg, checkpoint_dir=tmp_path, resume=True)
    for a, b in zip(whole.parameters(), resumed.parameters()):
        assert_close(a, b, rtol=0, atol=0)


def test_a_namedtuple_reads_back_with_its_name_and_fields(tmp_path):
    saved = {"carry": Carry((torch.ones(2), torch.zeros(2)), 3), "plain": (1, 2)}
    save_tree(tmp_path / "state.safetensors", saved)
    back = load_tree(tmp_path / "state.safetensors")
    assert type(back["carry"]).__name__ == "Carry" and back["carry"]._fields == ("state", "seen")
    assert back["carry"].seen == 3 and type(back["carry"].state) is tuple
    assert_close(back["carry"].state[0], torch.ones(2))
    assert type(back["plain"]) is tuple
    again = load_tree(tmp_path / "state.safetensors")
    assert type(again["carry"]) is type(back["carry"])


def test_a_namedtuple_load_cannot_rebuild_is_saved_as_a_tuple(tmp_path):
    # rename=True's fields (_1) and a subclass named at run time were saved as $namedtuple
    # nodes that load then refused: a checkpoint written that could not be resumed
    renamed = collections.namedtuple("Renamed", ["a", "def"], rename=True)
    odd = type("my carry", (Carry,), {})
    save_tree(tmp_path / "state.safetensors", {"renamed": renamed(torch.ones(2), 1),
                                               "odd": odd(2, 3), "carry": Carry(4, 5)})
    back = load_tree(tmp_path / "state.safetensors")
    assert type(back["renamed"]) is tuple and back["renamed"][1] == 1
    assert_close(back["renamed"][0], torch.ones(2))
    assert back["odd"] == (2, 3) and type(back["odd"]) is tuple
    assert back["carry"].seen == 5  # (a namedtuple load rebuilds stays one)


def _crafted(path, name, fields, values):
    """A training-state file whose tree holds one namedtuple node, as anyone may write it."""
    from rnnlab.io.tree_file import FORMAT
    from rnnlab.io.weights import save_weights

    tree = {"$namedtuple": [name, fields, values]}
    save_weights(path, {}, {"format": FORMAT, "tree": json.dumps(tree)})
    return path


@pytest.mark.parametrize("name, fields, says", [
    ("T", ["\ufb01", "fi"], "as Python reads it"),  # (NFKC: one name; was a SyntaxError)
    ("T", ["a", "\u2115one"], "as Python reads it"),  # (NFKC 'None', a keyword)
    ("T" * 101, ["a"], "at most 100 characters"),
    ("T", ["f" * 101], "at most 100 characters"),
    ("T", [f"f{i}" for i in range(256)], "256 fields"),
    ("T", ["_fields"], "underscore"),
    ("T", ["a", "a"], "duplicate"),
    ("T x", ["a"], "identifiers"),
])
def test_a_namedtuple_of_odd_or_huge_names_in_a_file_is_refused(tmp_path, name, fields, says):
    from rnnlab.io.errors import CheckpointError

    path = _crafted(tmp_path / "state.safetensors", name, fields, [0] * len(fields))
    with pytest.raises(CheckpointError, match="damaged") as e:
        load_tree(path)
    assert says in str(e.value)


def test_a_namedtuple_at_the_limits_reads(tmp_path):
    fields = [f"f{i}" for i in range(255)]
    path = _crafted(tmp_path / "state.safetensors", "T" * 100, fields, list(range(255)))
    back = load_tree(path)
    assert back.f254 == 254 and type(back).__name__ == "T" * 100


def test_a_tree_holding_a_namedtuple_is_written_in_a_format_of_its_own(tmp_path):
    # an rnnlab that reads only rnnlab-tree-1 called such a file "damaged"; with a format
    # of its own it says "a later rnnlab's format, resume it with the rnnlab that wrote it"
    from rnnlab.io.weights import read_header

    save_tree(tmp_path / "nt.safetensors", {"carry": Carry(torch.ones(1), 2)})
    save_tree(tmp_path / "plain.safetensors", {"carry": (torch.ones(1), 2)})
    assert read_header(tmp_path / "nt.safetensors")["__metadata__"]["format"] == "rnnlab-tree-2"
    assert read_header(tmp_path / "plain.safetensors")["__metadata__"]["format"] == "rnnlab-tree-1"
    assert load_tree(tmp_path / "nt.safetensors")["carry"].seen == 2
