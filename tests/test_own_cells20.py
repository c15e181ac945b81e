"""A researcher's own cell, as README.md's "Writing your own cell" says to write one: a
cell of their own runs in every layer on the step loop, its architecture is registered by
name (clashes refused), a model saved with it loads once it is registered and says what
is missing when it is not, an installed package's architecture reaches the command line
(entry points), and the typing lets a cell annotate its own state."""

import importlib.metadata
import typing
from pathlib import Path

import pytest
import torch
from torch import Tensor, nn

import rnnlab.nn.plugins as plugins
from rnnlab.io.errors import CheckpointError
from rnnlab.nn import (Architecture, Bidirectional, CellBase, LSTMCell, Recurrent, Stacked,
                       register_architecture)
from rnnlab.nn.registry import ARCHITECTURES, build_model, get_architecture
from test_docs_snippets import readme_block
from pyproject_data import pyproject

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def registry():
    """The registry as it was after the test (the names a test adds removed)."""
    before = dict(ARCHITECTURES)
    yield ARCHITECTURES
    for name in set(ARCHITECTURES) - set(before):
        del ARCHITECTURES[name]
    ARCHITECTURES.update(before)
    plugins.load_entry_points.cache_clear()


class LayerNormGRUCell(CellBase):
    """A GRU with layer norm on both projections: parameters of its own, initialised by
    its own reset_parameters (which CellBase.__init__ called before they existed)."""

    def __init__(self, input_size: int, hidden_size: int):
        super().__init__(input_size, hidden_size, num_chunks=3)
        self.ln_x = nn.LayerNorm(3 * hidden_size, dtype=torch.float64)
        self.ln_h = nn.LayerNorm(3 * hidden_size, dtype=torch.float64)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        super().reset_parameters()
        self.ln_x.reset_parameters()
        self.ln_h.reset_parameters()

    def project_input(self, x: Tensor) -> Tensor:
        return self.ln_x(super().project_input(x))

    def recur(self, xp: Tensor, h: Tensor) -> typing.Tuple[Tensor, Tensor]:
        H = self.hidden_size
        hp = self.ln_h(nn.functional.linear(h, self.weight_hh, self.bias_hh))
        (x_r, x_z, x_n), (h_r, h_z, h_n) = xp.split(H, -1), hp.split(H, -1)
        r, z = torch.sigmoid(x_r + h_r), torch.sigmoid(x_z + h_z)
        h = z * h + (1 - z) * torch.tanh(x_n + r * h_n)
        return h, h


def test_a_cell_that_overrides_reset_parameters_is_built_and_runs_like_its_steps():
    # was: AttributeError: 'LayerNormGRUCell' object has no attribute 'ln_x', from
    # CellBase.__init__ calling the override before the subclass made its layer norms
    torch.manual_seed(0)
    cell = LayerNormGRUCell(3, 5).double()
    assert torch.equal(cell.ln_x.weight, torch.ones(15, dtype=torch.float64))  # its own init
    x = torch.randn(4, 6, 3, dtype=torch.float64)
    lengths = torch.tensor([6, 4, 2, 1])
    out, h = Recurrent(cell, batch_first=True)(x, lengths=lengths)
    for b, n in enumerate(lengths.tolist()):
        s = torch.zeros(5, dtype=torch.float64)
        for t in range(n):
            s = cell(x[b, t], s)
        torch.testing.assert_close(out[b, n - 1], s)
        torch.testing.assert_close(h[b], s)
    assert not out[3, 1:].any()  # zero past its end


def test_base_parameters_are_drawn_as_before_for_the_standard_cells():
    # (the base's draw, now called by name, consumes the stream as torch's cell does)
    torch.manual_seed(3)
    ours = LSTMCell(4, 6)
    torch.manual_seed(3)
    theirs = nn.LSTMCell(4, 6)
    for k, v in theirs.state_dict().items():
        assert torch.equal(ours.state_dict()[k], v), k


def test_recur_takes_the_cells_own_state_type():
    """mypy called ``def recur(self, xp: Tensor, h: Tensor)`` an incompatible override of
    CellBase.recur (state: Tensor | tuple[Tensor, ...]) in every cell a user typed."""
    hints = typing.get_type_hints(CellBase.recur)
    assert hints["state"] is typing.Any
    assert (ROOT / "src" / "rnnlab" / "py.typed").is_file()  # PEP 561: annotations are read
    cfg = pyproject()
    assert "py.typed" in cfg["tool"]["setuptools"]["package-data"]["rnnlab"]


def test_register_architecture_refuses_clashes_and_bad_names(registry):
    build = readme_build()
    with pytest.raises(ValueError, match="'lstm' is rnnlab's own architecture"):
        register_architecture(Architecture("lstm", "mine", build))
    assert ARCHITECTURES["lstm"].build is not build
    register_architecture(Architecture("mine", "first", build))
    with pytest.raises(ValueError, match="'mine' is registered already.*replace=True"):
        register_architecture(Architecture("mine", "second", build))
    register_architecture(Architecture("mine", "second", build), replace=True)
    assert get_architecture("mine").description == "second"
    with pytest.raises(ValueError, match="one word"):
        register_architecture(Architecture("my model", "x", build))
    with pytest.raises(ValueError, match="options are the ModelSpec shape options"):
        register_architecture(Architecture("mine2", "x", build, options=("heads",)))
    with pytest.raises(ValueError, match="a tuple of depth"):
        register_architecture(Architecture("mine2", "x", build, options="depth"))
    with pytest.raises(ValueError, match="min_layers <= default_layers"):
        register_architecture(Architecture("mine3", "x", build, min_layers=2))
    assert "mine2" not in ARCHITECTURES and "mine3" not in ARCHITECTURES


def readme_build():
    ns: dict = {}
    exec(readme_block("## Writing your own cell").replace("register_architecture(Arch",
                                                          "(Arch"), ns)
    return ns["build_mgu"]


def test_readme_own_cell_block_runs_as_written(registry):
    ns: dict = {}
    exec(readme_block("## Writing your own cell"), ns)
    assert ns["out"].shape == (4, 10, 16) and not ns["out"][3, 1:].any()
    assert ns["layer"].path_for(ns["x"]) == "reference"
    assert ns["bi"](ns["x"])[0].shape == (4, 10, 32)
    model = build_model("mgu", input_size=3, hidden_size=8, num_layers=2)
    assert isinstance(model.body, Stacked) and model(ns["x"])[0].shape == (4, 10, 8)
    from rnnlab.compare import CompareConfig
    from rnnlab.forecast import Forecaster
    from rnnlab.lm import CharLM

    assert Forecaster(model="mgu").config.model == "mgu"
    assert CharLM(model="mgu").config.model == "mgu"
    assert CompareConfig(models=("mgu", "gru")).models == ("mgu", "gru")


def test_a_fast_path_cell_subclassed_runs_its_own_equation_in_every_layer():
    class Halved(LSTMCell):  # changes the equation: no fast path of LSTMCell may run it
        def recur(self, xp, state):
            h, (_, c) = super().recur(xp, state)
            return h / 2, (h / 2, c)

    torch.manual_seed(0)
    x = torch.randn(3, 5, 4, dtype=torch.float64)
    cells = [Halved(n, 4).double() for n in (4, 4, 8, 4)]
    stack = Stacked([Bidirectional(Recurrent(cells[0], batch_first=True),
                                   Recurrent(cells[1], reverse=True, batch_first=True)),
                     Recurrent(cells[2], batch_first=True)])
    from rnnlab.nn.paths import path_of
    assert path_of(stack, x) == "reference"
    state, outs = None, []
    for t in range(5):
        state = cells[3](x[:, t], state)
        outs.append(state[0])
    out, _ = Recurrent(cells[3], batch_first=True)(x)
    torch.testing.assert_close(out, torch.stack(outs, 1))
    assert stack(x)[0].shape == (3, 5, 4)


def test_shape_options_reach_an_architecture_of_ones_own_in_compare(registry):
    seen = []

    def build(spec, num_layers):
        seen.append(spec.depth)
        return readme_build()(spec, num_layers)

    register_architecture(Architecture("mgu-deep", "reads depth", build, options=("depth",)))
    from rnnlab.compare import CompareConfig

    # was: {} (the shape table knew rnnlab's own names only), and --depth 3 refused as read
    # by none of the compared models
    cfg = CompareConfig(models=("mgu-deep", "lstm"), depth=3)
    assert cfg.shape_for("mgu-deep") == {"depth": 3}
    build_model("mgu-deep", input_size=1, hidden_size=4, **cfg.shape_for("mgu-deep"))
    assert seen == [3]


def test_loading_a_model_of_an_unregistered_architecture_says_so():
    from rnnlab.lm.config import LMConfig, from_dict

    saved = dict(LMConfig(model="lstm").__dict__, model="not-registered-mgu")
    with pytest.raises(CheckpointError) as e:
        from_dict(LMConfig, saved, source="run/model/model.json")
    msg = str(e.value)
    # was: "...unknown model ...; the file was edited or damaged: restore it or train again"
    assert "'not-registered-mgu', which is not registered in this process" in msg
    assert "register_architecture" in msg and "damaged" not in msg


def fake_entry_points(*values):
    eps = [importlib.metadata.EntryPoint(name=f"p{k}", value=v, group=plugins.GROUP)
           for k, v in enumerate(values)]
    return lambda group: [ep for ep in eps if ep.group == group]


def test_an_installed_packages_architecture_is_found_by_name(registry, monkeypatch, capsys):
    from own_cell_plugin20 import NAME

    monkeypatch.setattr(plugins, "entry_points", fake_entry_points(
        "own_cell_plugin20:register", "no_such_module_20"))
    plugins.load_entry_points.cache_clear()
    assert NAME not in ARCHITECTURES
    with pytest.warns(RuntimeWarning, match="'p1' .*no_such_module_20.* failed to load"):
        model = build_model(NAME, input_size=2, hidden_size=3)  # loads the plugins, once
    out, _ = model(torch.randn(2, 4, 2), lengths=torch.tensor([4, 2]))
    assert out.shape == (2, 4, 3) and not out[1, 2:].any()
    from rnnlab.cli import main

    del ARCHITECTURES[NAME]
    plugins.load_entry_points.cache_clear()
    with pytest.warns(RuntimeWarning):
        assert main(["models"]) == 0
    assert NAME in capsys.readouterr().out


def test_a_projected_lstm_subclass_with_its_own_reset_parameters_is_built():
    class Peephole(LSTMCell):
        def __init__(self, input_size, hidden_size, proj_size=0):
            super().__init__(input_size, hidden_size, proj_size=proj_size)
            self.w_c = nn.Parameter(torch.empty(3, hidden_size))
            self.reset_parameters()

        def reset_parameters(self):
            super().reset_parameters()
            nn.init.zeros_(self.w_c)

    cell = Peephole(4, 6, proj_size=3)  # was: no attribute 'w_c' (LSTMCell's own redraw)
    assert cell.weight_hh.shape == (24, 3) and not cell.w_c.any()


def test_a_cell_without_recur_says_what_to_write():
    class Forgot(CellBase):
        pass

    with pytest.raises(NotImplementedError, match="Forgot has no recur"):
        Recurrent(Forgot(2, 3))(torch.randn(4, 1, 2))


def test_impl_of_rnnlabs_loop_is_not_refused_as_unread_for_an_architecture_of_ones_own():
    from rnnlab.names import unread_impl

    # was: "--model mgu runs torch's fused kernel whatever it says" (it runs the step loop,
    # or whatever its cells have; the run records the path it took)
    assert unread_impl("fast", ("mgu",), "--model mgu", "pick one") is None
    assert "fused kernel" in unread_impl("fast", ("lstm",), "--model lstm", "pick one")


@pytest.mark.slow  # (a fresh process importing torch: 8 s on 2 shared cores)
def test_the_rnnlab_command_finds_an_installed_packages_architecture(tmp_path):
    """A separate ``rnnlab`` process, which never imports the user's code, finds the
    architecture an installed distribution declares (a real dist-info on its path)."""
    import os
    import shutil
    import subprocess
    import sys

    info = tmp_path / "own_cells-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: own-cells\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(
        "[rnnlab.architectures]\nindrnn = own_cell_plugin20:register\n")
    shutil.copy(Path(__file__).parent / "own_cell_plugin20.py", tmp_path)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        [str(tmp_path), str(ROOT / "src"), os.environ.get("PYTHONPATH", "")]))
    done = subprocess.run([sys.executable, "-m", "rnnlab", "models", "--hidden-size", "4"],
                          env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    row = [line for line in done.stdout.splitlines() if line.startswith("plugin-indrnn")]
    assert row and "IndRNN" in row[0], done.stdout  # (weight_ih 4x1, weight_hh 4, bias_ih 4)
    assert row[0].split()[2] == "12"


def test_an_architecture_reading_depth_alone_at_depth_1(registry, capsys):
    def build(spec, num_layers):
        return readme_build()(spec, num_layers)

    def broken(spec, num_layers):
        raise RuntimeError("not written yet")

    register_architecture(Architecture("mgu-d", "reads depth", build, options=("depth",)))
    register_architecture(Architecture("mgu-broken", "unfinished", broken))
    from rnnlab.cli import main
    from rnnlab.compare import CompareConfig

    # was: KeyError 'width' (both dropped the width at depth 1 as if every reader had one)
    assert CompareConfig(models=("mgu-d",), depth=1).shape_for("mgu-d") == {"depth": 1}
    assert main(["models", "--depth", "1"]) == 0  # was: KeyError; then the RuntimeError
    out = capsys.readouterr().out
    assert "mgu-d " in out and "its build failed: RuntimeError: not written yet" in out
