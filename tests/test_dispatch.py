"""rnnlab.nn.dispatch: one place decides which path runs; rnnlab has no import cycles."""

from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
import torch

from rnnlab.nn import GRUCell, LSTMCell, Recurrent, RNNCell, Stacked, auto_table, dispatch, paths
from rnnlab.nn.deep import DTRNNCell
from rnnlab.nn.registry import build_model

SRC = Path(__file__).resolve().parents[1] / "src"


# -- imports -------------------------------------------------------------------------------
def _modules():
    """{module name: file} of every module of the rnnlab package."""
    out = {}
    for f in sorted((SRC / "rnnlab").rglob("*.py")):
        parts = list(f.relative_to(SRC).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = f
    return out


def _type_checking_only(node) -> bool:
    """``if TYPE_CHECKING:`` (or ``typing.TYPE_CHECKING``)."""
    if not isinstance(node, ast.If):
        return False
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _imports(name: str, path: Path, modules, function_level: bool):
    """The rnnlab modules that importing ``name`` executes: what it imports (at module
    level, or anywhere with ``function_level``), and their packages' ``__init__`` that
    are not ``name``'s own packages (those are already being imported). The body of an
    ``if TYPE_CHECKING:`` block is never executed (it is what type checkers read: the
    lazy names of a package, annotations' classes), so it imports nothing here."""
    is_pkg = path.name == "__init__.py"
    tree = ast.parse(path.read_text())

    def walk(node, top):
        for child in ast.iter_child_nodes(node):
            inside_def = isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
            if inside_def and not function_level:
                continue
            if _type_checking_only(child):
                yield from (n for c in child.orelse for n in walk(ast.Module([c], []), top))
                continue
            if isinstance(child, (ast.Import, ast.ImportFrom)):
                yield child
            yield from walk(child, top and not inside_def)

    targets = set()
    for node in walk(tree, True):
        if isinstance(node, ast.Import):
            bases = [a.name for a in node.names]
            subs = []
        else:
            if node.level:
                pkg = name.split(".") if is_pkg else name.split(".")[:-1]
                pkg = pkg[: len(pkg) - (node.level - 1)]
                base = ".".join(pkg + ([node.module] if node.module else []))
            else:
                base = node.module or ""
            bases = [base]
            subs = [f"{base}.{a.name}" for a in node.names]
        for t in bases + [s for s in subs if s in modules]:
            if not t.startswith("rnnlab"):
                continue
            parts = t.split(".")
            for k in range(1, len(parts) + 1):  # the packages on the way, then the module
                m = ".".join(parts[:k])
                if m in modules and m != name and not name.startswith(m + "."):
                    targets.add(m)
    return targets


def _cycle(graph):
    """One cycle of the directed graph as a list of nodes, or None."""
    state, stack = {}, []

    def visit(n):
        state[n] = 1
        stack.append(n)
        for m in sorted(graph.get(n, ())):
            if state.get(m) == 1:
                return stack[stack.index(m):] + [m]
            if m not in state:
                found = visit(m)
                if found:
                    return found
        stack.pop()
        state[n] = 2
        return None

    for n in sorted(graph):
        if n not in state:
            found = visit(n)
            if found:
                return found
    return None


def test_rnnlab_has_no_import_cycles():
    """Module-level imports of the whole package form no cycle, and neither do rnnlab.nn's
    imports counted anywhere (a cycle hidden inside a function is still a cycle)."""
    modules = _modules()
    top = {n: _imports(n, f, modules, False) for n, f in modules.items()}
    assert _cycle(top) is None, f"import cycle: {' -> '.join(_cycle(top))}"
    nn_all = {n: {m for m in _imports(n, f, modules, True) if m.startswith("rnnlab.nn")}
              for n, f in modules.items() if n.startswith("rnnlab.nn")}
    assert _cycle(nn_all) is None, f"import cycle: {' -> '.join(_cycle(nn_all))}"


def test_cycle_finder_finds_cycles():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


def test_every_module_imports():
    for name in _modules():
        if not name.endswith("__main__"):
            importlib.import_module(name)


# -- names and tables ---------------------------------------------------------------------
def test_one_list_of_impls_everywhere():
    from rnnlab.bench.suite import FAST_IMPLS
    from rnnlab.nn import paths, torch_compat
    from rnnlab.train.cli_args import add_impl_arg  # noqa: F401  (reads paths.IMPLS)

    assert paths.IMPLS is dispatch.IMPLS
    assert tuple(FAST_IMPLS) == dispatch.LOOP_IMPLS
    assert torch_compat.IMPLS == dispatch.COMPAT_IMPLS
    assert set(dispatch.MODEL_IMPLS) == set(dispatch.IMPLS) | {"fused"}


def test_kernel_table_names_every_fast_cell():
    I, H = 3, 4
    assert dispatch.fused_op(LSTMCell(I, H)) is torch.lstm
    assert dispatch.fused_op(GRUCell(I, H)) is torch.gru
    assert dispatch.fused_op(GRUCell(I, H, reset_after=False)) is None
    assert dispatch.fused_op(RNNCell(I, H, nonlinearity="relu")) is torch.rnn_relu
    assert dispatch.kernel_for(GRUCell(I, H, reset_after=False)) is not None
    assert dispatch.kernel_for(DTRNNCell(I, H, depth=2)) is not None
    assert dispatch.kernel_for(LSTMCell(I, H)) is None

    class Peephole(LSTMCell):  # exact types: a subclass may change the equation
        pass

    assert dispatch.fused_op(Peephole(I, H)) is None
    assert Recurrent(Peephole(I, H)).path == "reference"


def test_one_meaning_of_path_names():
    """Recurrent.path, the torch-compatible modules' path and path_for speak one language."""
    x = torch.randn(5, 2, 3)
    gru_cho = build_model("gru-cho", input_size=3, hidden_size=4).body
    dt = Recurrent(DTRNNCell(3, 4, depth=2))
    assert gru_cho.path == dt.path == "fast"  # was "rnnlab-fast" on the torch-compatible GRU
    assert gru_cho.path_for(x) == dt.path_for(x) == "fast-torch"
    for m in (gru_cho, dt):
        assert m.path in dispatch.FAMILIES and m.path_for(x) in dispatch.PATHS


def test_impl_is_validated_wherever_it_is_set():
    layer = Recurrent(LSTMCell(3, 4))
    with pytest.raises(ValueError, match="Recurrent: impl must be one of"):
        layer.impl = "cudnn"
    with pytest.raises(ValueError, match="impl must be one of"):
        build_model("lstm", input_size=3, hidden_size=4, impl="cudnn")
    with pytest.raises(ValueError, match="set_impl: impl must be one of"):
        paths.set_impl(layer, "fused")  # a construction-time choice only


def _fake_cuda(monkeypatch, triton_ok: bool):
    """Make the choice table see a CUDA input whose Triton loops can (or cannot) run."""
    monkeypatch.setattr(dispatch, "triton_reason",
                        lambda cell, x: None if triton_ok else "Triton is not installed")
    return SimpleNamespace(device=torch.device("cuda"), dtype=torch.float32)  # all it reads


def test_auto_picks_the_measured_fastest_backend_per_device(monkeypatch):
    cell = DTRNNCell(3, 4, depth=2)
    x = _fake_cuda(monkeypatch, triton_ok=True)
    assert dispatch.path_for(cell, "auto", x) == "fast-triton-split"
    assert dispatch.path_for(cell, "fast", x) == "fast-torch"  # asked for by name
    assert dispatch.path_for(cell, "triton", x) == "fast-triton"
    assert dispatch.path_for(LSTMCell(3, 4), "auto", x) == "fused"  # cuDNN for the standard
    x = _fake_cuda(monkeypatch, triton_ok=False)
    assert dispatch.path_for(cell, "auto", x) == "fast-torch"  # falls back, says so
    with pytest.raises(RuntimeError, match="not installed"):
        dispatch.path_for(cell, "triton-split", x)
    cuda, cpu = x, torch.empty(1, 1, 1)
    assert dispatch.auto_rule(cell, cuda).backends[0] == "triton-split"
    assert dispatch.auto_rule(cell, cpu).backends == ("torch",)


def test_auto_keeps_torch_ops_under_tracing(monkeypatch):
    """torch.compile records torch ops: a Triton launch would be lost. torch.jit.trace
    records the kernel's forward ops, not its autograd node (its graph failed on the
    kernel's out= ops): the step loop runs there."""
    x = _fake_cuda(monkeypatch, triton_ok=True)
    monkeypatch.setattr(torch.compiler, "is_compiling", lambda: True)
    assert dispatch.path_for(DTRNNCell(3, 4, depth=2), "auto", x) == "fast-torch"
    monkeypatch.setattr(torch.compiler, "is_compiling", lambda: False)
    monkeypatch.setattr(torch.jit, "is_tracing", lambda: True)
    for impl in ("auto", "fast", "triton"):
        assert dispatch.path_for(DTRNNCell(3, 4, depth=2), impl, x) == "reference"


def test_auto_rules_can_depend_on_size(monkeypatch):
    """A measurement that favours another backend up to some size is one more rule."""
    x = _fake_cuda(monkeypatch, triton_ok=True)
    small = dispatch.AutoRule("cuda", ("torch",), "made up for this test", max_hidden=8)
    monkeypatch.setattr(auto_table, "AUTO", (small,) + dispatch.AUTO)
    assert dispatch.path_for(DTRNNCell(3, 4, depth=2), "auto", x) == "fast-torch"
    assert dispatch.path_for(DTRNNCell(3, 16, depth=2), "auto", x) == "fast-triton-split"
    monkeypatch.setattr(auto_table, "AUTO", ())
    assert dispatch.path_for(DTRNNCell(3, 16, depth=2), "auto", x) == "fast-torch"


def test_auto_on_cpu_runs_torch_ops_even_where_triton_runs():
    """Triton's CPU interpreter (the tests') can run the loops on the CPU; auto does not."""
    model = Stacked([Recurrent(DTRNNCell(3, 4, depth=2)), Recurrent(LSTMCell(4, 4))])
    assert paths.describe_path(model) == "fast-torch+fused"
    with torch.autocast("cpu", dtype=torch.bfloat16):
        assert paths.path_of(model, torch.empty(1, 1, 1)) == "fused+reference"


def test_set_impl_and_construction_agree_for_every_choice():
    for impl in dispatch.MODEL_IMPLS:
        for name in ("lstm", "gru-cho", "dt-rnn"):
            built = build_model(name, input_size=3, hidden_size=4, impl=impl)
            if impl in dispatch.IMPLS:
                later = build_model(name, input_size=3, hidden_size=4)
                paths.set_impl(later, impl)
                assert [getattr(m, "impl", None) for m in built.modules()] == \
                    [getattr(m, "impl", None) for m in later.modules()]


def test_a_kernel_asked_for_by_name_is_refused_under_autocast(monkeypatch):
    """impl="fast" / a Triton impl under autocast ran the step loop, said only by the path
    ("reference"): ``--impl triton-split --precision bf16-mixed`` trained on the loop. Now
    refused with what to do; "auto" still gives way to the loop, and a layer on torch's
    kernel keeps it."""
    monkeypatch.setattr(dispatch, "triton_reason", lambda cell, x: None)  # as on CUDA
    cell, x = DTRNNCell(3, 4, depth=2), torch.randn(2, 1, 3)
    with torch.autocast("cpu", dtype=torch.bfloat16):
        assert dispatch.path_for(cell, "auto", x) == "reference"
        assert dispatch.path_for(cell, "reference", x) == "reference"
        assert dispatch.path_for(LSTMCell(3, 4), "fast", x) == "fused"
        for impl in dispatch.LOOP_IMPLS:
            with pytest.raises(RuntimeError, match=rf"impl='{impl}' cannot run DTRNNCell under "
                                                   rf"autocast \(cpu\).*impl='auto'"):
                dispatch.path_for(cell, impl, x)
        with pytest.raises(RuntimeError, match="under autocast"):
            Recurrent(cell, impl="triton-split")(x)
        gru = build_model("gru-cho", input_size=3, hidden_size=4, impl="fast")
        with pytest.raises(RuntimeError, match="impl='fast' cannot run GRUCell under autocast"):
            paths.path_of(gru, x)
    assert dispatch.path_for(cell, "triton-split", x) == "fast-triton-split"


@pytest.mark.skipif(not torch.cuda.is_available(), reason="the choice on a real CUDA device")
def test_auto_on_this_cuda_device_runs_every_custom_architecture_on_the_split_loop():
    """What ``impl="auto"`` gives a user of each custom architecture on this GPU (the fake
    device above checks the table; this, that Triton really runs here): the split Triton
    loop, recorded as the path, and a call that runs; torch's kernel for the standard."""
    from rnnlab.nn.fast.triton_common import triton

    cuda = torch.device("cuda")
    want = "fast-triton-split" if triton is not None else "fast-torch"
    for name in ("gru-cho", "dt-rnn", "dts-rnn", "dot-rnn", "stacked-dt-rnn", "lstm"):
        model = build_model(name, input_size=3, hidden_size=8).to(cuda)
        assert paths.describe_path(model, torch.float32, cuda) == (
            "fused" if name == "lstm" else want), name
        out, _ = model(torch.randn(2, 5, 3, device=cuda))
        out.sum().backward()
        assert torch.isfinite(out).all()


def test_triton_refuses_inputs_past_its_32_bit_offsets(monkeypatch):
    """The Triton kernels compute offsets such as t * B * G in 32-bit integers: a layer
    whose buffers pass 2**31 - 1 elements would read and write outside them (a crash or
    wrong numbers on the GPU). A Triton impl is refused there, saying why; auto runs the
    torch ops. (An expanded input: the shape without the memory.)"""
    from rnnlab.nn.fast import triton_common

    monkeypatch.setattr(triton_common, "unavailable_reason", lambda x: None)  # as on CUDA
    monkeypatch.setattr(auto_table, "AUTO", (dispatch.AutoRule("cpu", ("triton-split", "torch"),
                                                               "as on CUDA, for this test"),))
    dt = DTRNNCell(3, 1024, depth=4, shortcut=True)  # the largest buffer: 2 x 1024 per row
    gru = GRUCell(3, 1024, reset_after=False)  # 3 x 1024 per row
    for cell, fits, big in ((dt, (1000, 1000), (1000, 1049)),  # (T + 1) * B * 2048
                            (gru, (698, 1000), (699, 1000))):  # (T + 1) * B * 3072
        fits, big = (torch.zeros(1, 1, 3).expand(*shape, 3) for shape in (fits, big))
        assert dispatch.triton_reason(cell, fits) is None
        assert dispatch.path_for(cell, "auto", fits) == "fast-triton-split"
        assert "past the 2**31 - 1 the kernels' 32-bit offsets reach" in \
            dispatch.triton_reason(cell, big)
        assert dispatch.path_for(cell, "auto", big) == "fast-torch"
        with pytest.raises(RuntimeError, match=r"impl='triton-split' cannot run .* shape "
                                               + re.escape(f"{tuple(big.shape)} needs buffers")):
            dispatch.path_for(cell, "triton-split", big)


def test_the_autocast_refusal_says_the_same_in_the_layers_and_the_commands():
    """Two checks refuse a kernel asked for by name under autocast: the layers' (path_for)
    and the commands' (names.unread_impl, before the run folder). One wording of why."""
    from rnnlab.names import UNDER_AUTOCAST, unread_impl

    cell, x = DTRNNCell(3, 4, depth=2), torch.randn(2, 1, 3)
    with torch.autocast("cpu", dtype=torch.bfloat16):
        with pytest.raises(RuntimeError) as layer:
            dispatch.path_for(cell, "fast", x)
    command = unread_impl("fast", ["dt-rnn"], "--model dt-rnn", "", "bf16-mixed")
    assert UNDER_AUTOCAST in str(layer.value) and UNDER_AUTOCAST in command
    assert "--precision 32" in command and "precision '32'" in str(layer.value)


def test_the_cycle_walk_skips_only_type_checking_blocks(tmp_path):
    """What the import-cycle test counts: an import under ``if TYPE_CHECKING:`` is not
    executed; one in its ``else:`` and any other ``if`` is."""
    f = tmp_path / "m.py"
    f.write_text("from typing import TYPE_CHECKING\n"
                 "if TYPE_CHECKING:\n    from rnnlab.a import x\n"
                 "else:\n    from rnnlab.b import y\n"
                 "if x:\n    from rnnlab.c import z\n")
    modules = {"rnnlab.a": f, "rnnlab.b": f, "rnnlab.c": f, "rnnlab.m": f, "rnnlab": f}
    assert _imports("rnnlab.m", f, modules, False) == {"rnnlab.b", "rnnlab.c"}
