"""A researcher's sweep of the deep recurrent architectures (Pascanu et al. 2014: stacked,
DT, DT(S), DOT; bidirectional compositions): what was still wrong after the numerics
(every path equal to the reference loop in float64) held, and checks that keep them so."""

from __future__ import annotations

import pytest
import torch

from rnnlab.nn import Bidirectional, DTRNNCell, GRUCell, Recurrent, Stacked
from rnnlab.nn.registry import build_model, count_parameters


def x64(*shape, seed=0):
    return torch.randn(*shape, dtype=torch.float64, generator=torch.Generator().manual_seed(seed))


# --- build_model: options it cannot take, said by name -------------------------------------


def test_a_dts_rnn_of_depth_one_says_what_to_give_build_model():
    """Old: ``build_model("dts-rnn", depth=1)`` (and ``rnnlab forecast --model dts-rnn
    --depth 1``) said "use shortcut=False", a cell argument no registry user sets."""
    with pytest.raises(ValueError, match=r"'dts-rnn'.*depth >= 2.*--depth.*'dt-rnn'"):
        build_model("dts-rnn", input_size=1, hidden_size=3, depth=1)


@pytest.mark.parametrize("kw,match", [
    (dict(bidirectional=True), r"unknown option\(s\) bidirectional.*brnn, bigru, bilstm.*"
                               r"Bidirectional\(Recurrent"),
    (dict(batch_first=False), r"unknown option\(s\) batch_first.*batch-first"),
    (dict(num_layers=2.5), r"num_layers must be a whole number.*2\.5"),
    (dict(num_layers="2"), r"num_layers must be a whole number.*'2'"),
])
def test_build_model_names_an_option_it_cannot_take(kw, match):
    """Old: "ModelSpec.__init__() got an unexpected keyword argument 'bidirectional'" (a
    researcher asking for a bidirectional DT-RNN was not told how to build one),
    "'float' object cannot be interpreted as an integer", "'<' not supported between
    instances of 'str' and 'int'"."""
    kw = dict(input_size=1, hidden_size=3, **kw)
    with pytest.raises((TypeError, ValueError), match=match):
        build_model("dt-rnn", **kw)


def test_build_model_without_sizes_says_which_to_give():
    with pytest.raises(TypeError, match=r"give input_size \(features per time step\), e\.g\."):
        build_model("lstm", hidden_size=3)


# --- hand-composed layers ----------------------------------------------------------------


def test_a_layers_repr_shows_its_direction_layout_and_impl():
    """Old: ``Recurrent(cell, reverse=True, batch_first=True, impl="reference")`` printed
    as ``Recurrent((cell): ...)``, the same as a forward, time-major, auto layer."""
    back = Recurrent(DTRNNCell(2, 3), reverse=True, batch_first=True, impl="reference")
    assert "reverse=True, batch_first=True, impl='reference'" in repr(back)
    fwd = Recurrent(DTRNNCell(2, 3))
    assert repr(fwd).splitlines()[1].strip().startswith("(cell)")  # defaults: nothing shown


def test_stacked_refuses_layers_whose_sizes_do_not_chain_naming_the_layer():
    """Old: accepted, and the call failed inside with "DTRNNCell: expected input with 3
    features (input_size), got 6", naming no layer (a bidirectional layer below writes
    both directions' features)."""
    bi = Bidirectional(Recurrent(DTRNNCell(2, 3)), Recurrent(DTRNNCell(2, 3), reverse=True))
    with pytest.raises(ValueError, match=r"layer 1 reads 3 features, but layer 0 outputs 6 "
                                         r"\(both directions\).*input_size=6"):
        Stacked([bi, Recurrent(DTRNNCell(3, 3))])
    Stacked([bi, Recurrent(DTRNNCell(6, 3))])  # the right size builds


def test_bidirectional_refuses_directions_that_read_different_inputs():
    with pytest.raises(ValueError, match=r"forward_layer's cell takes 2 features and "
                                         r"backward_layer's 3"):
        Bidirectional(Recurrent(DTRNNCell(2, 3)), Recurrent(DTRNNCell(3, 3), reverse=True))


# --- rnnlab compare and rnnlab models: the deep models' shape ----------------------------


def test_compare_gives_each_model_the_shape_options_it_reads():
    """Old: CompareConfig had no depth, width, nonlinearity or out_depth (nor
    ``rnnlab compare`` their flags): every deep model was compared at depth 2, width H,
    whatever the researcher wanted to compare."""
    from rnnlab.compare import CompareConfig
    from rnnlab.compare.matching import count_for, forecast_config, lm_model_config

    cfg = CompareConfig(models=("lstm", "dt-rnn", "dot-rnn", "rnn"), depth=3, width=5,
                        out_depth=2, nonlinearity="relu")
    dt = forecast_config(cfg, "dt-rnn", 8, seed=0)
    assert (dt.depth, dt.width, dt.nonlinearity, dt.out_depth) == (3, 5, "relu", 1)
    assert forecast_config(cfg, "dot-rnn", 8, seed=0).out_depth == 2
    assert forecast_config(cfg, "rnn", 8, seed=0).nonlinearity == "relu"
    lstm = forecast_config(cfg, "lstm", 8, seed=0)  # reads none of them: its defaults
    assert (lstm.depth, lstm.width, lstm.nonlinearity) == (2, None, "tanh")
    lm = lm_model_config(cfg.replace(task="lm", data="time-machine"), "dt-rnn", 8)
    assert (lm.depth, lm.width) == (3, 5)
    # parameter matching counts the networks at that shape
    deeper = count_for(cfg, "dt-rnn", 8)
    assert deeper > count_for(cfg.replace(depth=2), "dt-rnn", 8)


def test_compare_refuses_a_shape_option_no_compared_model_reads():
    from rnnlab.compare import CompareConfig

    with pytest.raises(ValueError, match=r"depth \(--depth\) 3 shapes dt-rnn.*none of the "
                                         r"compared models \(lstm, gru\)"):
        CompareConfig(models=("lstm", "gru"), depth=3)
    with pytest.raises(ValueError, match=r"width \(--width\) must be an integer >= 1"):
        CompareConfig(models=("dt-rnn",), width=0)
    CompareConfig(models=("lstm",), match_params=True, match_to="dt-rnn", depth=3)  # the reference


def test_compare_tables_name_the_shape_a_model_ran_at():
    from rnnlab.compare import CompareConfig
    from rnnlab.compare.summary import markdown_table, summarize, terminal_table

    cfg = CompareConfig(models=("dt-rnn", "lstm"), seeds=(0,), depth=3)
    recs = [{"model": m, "seed": 0, "params": 100, "hidden_size": 4, "num_layers": 1,
             "path": "fused", "metrics": {"forecast": {k: 1.0 for k in
                                                       ("rmse", "mae", "mape", "smape", "mase")}},
             "train_seconds": 1.0, "steps_per_second": 10.0, "best_epoch": 1, "epochs_run": 3,
             "first_train_loss": 1.0, "last_train_loss": 0.5, "loss_fell": True,
             "stop_reason": "epochs done"} for m in cfg.models]
    rows = summarize(cfg, recs, {})
    assert "| dt-rnn (depth 3) |" in markdown_table(cfg, rows)
    assert "| lstm |" in markdown_table(cfg, rows)
    assert "dt-rnn (depth 3)" in terminal_table(cfg, rows, [])


def test_models_lists_the_counts_at_the_depth_asked_for(capsys):
    """Old: ``rnnlab models`` had no --depth, --width or --out-depth: the deep models were
    counted at depth 2 and width = hidden size, which the listing did not say."""
    from rnnlab.cli import main

    assert main(["models", "--hidden-size", "8", "--depth", "3", "--width", "4",
                 "--out-depth", "2"]) == 0
    out = capsys.readouterr().out
    assert "depth=3, width=4; dot-rnn, dots-rnn: out_depth=2" in out
    for name, kw in (("dt-rnn", dict(depth=3, width=4)), ("lstm", {}),
                     ("dot-rnn", dict(depth=3, width=4, out_depth=2))):
        n = count_parameters(build_model(name, input_size=1, hidden_size=8, **kw))
        assert any(line.split()[:3] == [name, "1", f"{n:,}"] for line in out.splitlines())
    assert main(["models", "--depth", "1"]) == 0  # dts-rnn cannot: said on its row
    assert "needs depth >= 2" in capsys.readouterr().out


# --- torch.func: per-sample gradients of variable-length sequences -----------------------


@pytest.mark.parametrize("name", ["dts-rnn", "stacked-dt-rnn", "dot-rnn", "bilstm", "gru-cho"])
def test_per_sample_gradients_take_per_sample_lengths(name):
    """Old: ``vmap(grad(loss), in_dims=(None, 0, 0))(params, x, lengths)`` died with "vmap:
    It looks like you're ... calling .item() on a Tensor" (rnnlab's layers read the
    lengths' values) or "stack expects each tensor to be equal size" (the torch-style
    models packed them). Each sample's gradient equals that of its sequence cut to its
    length, run alone."""
    from torch.func import functional_call, grad, vmap

    torch.manual_seed(0)
    model = build_model(name, input_size=2, hidden_size=3).double()
    params = {k: v.detach() for k, v in model.named_parameters()}
    x, lengths = x64(3, 4, 2), torch.tensor([4, 2, 1])

    def loss(p, xs, ls):
        out, state = functional_call(model, p, (xs, None, ls))
        if ls is not None:
            out = out * (torch.arange(xs.shape[1]) < ls.unsqueeze(1)).unsqueeze(-1)
        leaves = torch.utils._pytree.tree_leaves(state)
        return (out ** 2).sum() + sum((s.sin() ** 2).sum() for s in leaves)

    per_sample = vmap(grad(loss), in_dims=(None, 0, 0))(params, x.unsqueeze(1),
                                                        lengths.unsqueeze(1))
    for b in range(3):
        alone = grad(loss)(params, x[b:b + 1, :lengths[b]], None)
        for k in params:
            torch.testing.assert_close(per_sample[k][b], alone[k], rtol=0, atol=1e-12)


def test_a_forecast_comparison_refuses_dropout_no_model_applies():
    """Old: ``rnnlab compare --dropout 0.3`` of one-layer forecasting models (the default
    rnn, lstm, gru) trained without any dropout, and config.json said 0.3."""
    from rnnlab.compare import CompareConfig, plan_sizes

    with pytest.raises(ValueError, match=r"dropout \(--dropout\) 0.3 acts between stacked "
                                         r"layers, and every compared model has one"):
        plan_sizes(CompareConfig(models=("rnn", "dt-rnn"), dropout=0.3, hidden_size=4))
    plan_sizes(CompareConfig(models=("rnn", "stacked-dt-rnn"), dropout=0.3, hidden_size=4))
    plan_sizes(CompareConfig(models=("rnn",), dropout=0.3, num_layers=2, hidden_size=4))


def test_the_torch_free_shape_readers_equal_the_registry():
    """rnnlab.names.SHAPE_READERS (read by CompareConfig, torch-free) is the registry's
    Architecture.options turned around."""
    from rnnlab.names import SHAPE_READERS
    from rnnlab.nn.registry import ARCHITECTURES

    for option, readers in SHAPE_READERS.items():
        assert set(readers) == {n for n, a in ARCHITECTURES.items() if option in a.options}
    assert set(SHAPE_READERS) == {o for a in ARCHITECTURES.values() for o in a.options}


def test_dot_rnn_outputs_past_a_sequences_end_are_zero_as_every_models():
    """Old: with ``lengths``, the deep output of ``dot-rnn`` gave phi(bias) at the padded
    steps, where every other architecture gives zeros: a mean over time, or the
    output read at a fixed last step, differed by architecture for the same lengths."""
    x, lengths = x64(3, 4, 2), torch.tensor([4, 1, 2])
    pad = torch.arange(4) >= lengths.unsqueeze(1)  # (B, T)
    for name in ("dot-rnn", "dt-rnn", "lstm"):
        torch.manual_seed(0)
        model = build_model(name, input_size=2, hidden_size=3).double()
        out, _ = model(x, None, lengths)
        assert bool((out[pad] == 0).all()), name
        valid, _ = model(x[1:2, :1])  # the short sequence alone: same valid outputs
        torch.testing.assert_close(out[1:2, :1], valid, rtol=0, atol=1e-12)


# --- every path equals the reference loop: random shapes, and the whole matrix (slow) ----

from hypothesis import given, settings, strategies as st  # noqa: E402
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence  # noqa: E402

from rnnlab.nn.paths import set_impl  # noqa: E402


def _cell(kind, i, h, depth):
    if kind == "cho":
        return GRUCell(i, h, reset_after=False)
    return DTRNNCell(i, h, depth=depth, width=4 if depth > 1 else None, shortcut=kind == "dts")


def _stack(kind, bidirectional, layers, batch_first, depth, I=2, H=3):
    built, size = [], I
    for _ in range(layers):
        fwd = Recurrent(_cell(kind, size, H, depth), batch_first=batch_first)
        if bidirectional:
            back = Recurrent(_cell(kind, size, H, depth), reverse=True, batch_first=batch_first)
            built.append(Bidirectional(fwd, back))
        else:
            built.append(fwd)
        size = H * (2 if bidirectional else 1)
    return Stacked(built).double()


def _leaves(state):
    return [] if state is None else torch.utils._pytree.tree_leaves(state)


def _run(model, x, state, lengths, mode):
    """(outputs, final states, grads of params, x and the initial state) for one loss."""
    x = x.clone().requires_grad_(True)
    given_leaves = [s.clone().requires_grad_(True) for s in _leaves(state)]
    if state is not None:
        spec = torch.utils._pytree.tree_structure(state)
        state = torch.utils._pytree.tree_unflatten(given_leaves, spec)
    bf = model.batch_first
    if mode == "packed":
        packed = pack_padded_sequence(x, lengths, batch_first=bf, enforce_sorted=False)
        out, fin = model(packed, state)
        out = pad_packed_sequence(out, batch_first=bf, total_length=x.shape[1 if bf else 0])[0]
    else:
        out, fin = model(x, state, lengths if mode == "lengths" else None)
    w = torch.linspace(-1, 1, out.numel(), dtype=out.dtype).view_as(out)
    loss = (out * w).sum() + sum(((k + 1.3) * s).sin().sum() for k, s in enumerate(_leaves(fin)))
    grads = torch.autograd.grad(loss, list(model.parameters()) + [x] + given_leaves)
    return [out.detach()] + [s.detach() for s in _leaves(fin)] + list(grads)


def _assert_paths_equal(kind, bidirectional, layers, batch_first, depth, T, B, mode, given_state,
                        impls, seed=0):
    torch.manual_seed(seed)
    ref = _stack(kind, bidirectional, layers, batch_first, depth)
    set_impl(ref, "reference")
    x = x64(*((B, T, 2) if batch_first else (T, B, 2)), seed=seed)
    g = torch.Generator().manual_seed(seed + 1)
    lengths = None
    if mode != "none":  # one of them runs all T steps, one may run a single step
        lengths = torch.randint(1, T + 1, (B,), generator=g)
        lengths[0] = T
    state = None
    if given_state:
        one = lambda: torch.randn(B, 3, dtype=torch.float64, generator=g)  # noqa: E731
        state = [(one(), one()) if bidirectional else one() for _ in range(layers)]
    want = _run(ref, x, state, lengths, mode)
    for impl in impls:
        model = _stack(kind, bidirectional, layers, batch_first, depth)
        model.load_state_dict(ref.state_dict())
        set_impl(model, impl)
        got = _run(model, x, state, lengths, mode)
        assert len(got) == len(want)
        for a, b in zip(got, want):
            torch.testing.assert_close(a, b, rtol=0, atol=1e-10)


@settings(max_examples=15, deadline=None, derandomize=True)
@given(kind=st.sampled_from(["dt", "dts", "cho"]), bidirectional=st.booleans(),
       layers=st.integers(1, 3), batch_first=st.booleans(), depth=st.integers(1, 3),
       T=st.integers(1, 4), B=st.integers(1, 3),
       mode=st.sampled_from(["none", "lengths", "packed"]), given_state=st.booleans())
def test_random_deep_stacks_equal_the_reference_loop(kind, bidirectional, layers, batch_first,
                                                     depth, T, B, mode, given_state):
    """Any DT / DT(S) / Cho-GRU stack, uni- or bidirectional, 1-3 layers, either layout,
    T and B from 1, lengths (one of T, possibly 1), packed or not, a given initial state
    or none: outputs, final states and the gradients of the weights, the input and the
    initial state equal the reference loop in float64 on impl "fast" and "auto"."""
    depth = max(depth, 2) if kind == "dts" else depth
    _assert_paths_equal(kind, bidirectional, layers, batch_first, depth, T, B, mode,
                        given_state, ("fast", "auto"))


@pytest.mark.slow
@pytest.mark.parametrize("kind,depth", [("dt", 1), ("dt", 3), ("dts", 2), ("cho", 1)])
@pytest.mark.parametrize("bidirectional", [False, True])
@pytest.mark.parametrize("layers", [1, 3])
@pytest.mark.parametrize("mode", ["none", "lengths", "packed"])
def test_the_deep_matrix_equals_the_reference_on_every_loop_impl(kind, depth, bidirectional,
                                                                 layers, mode):
    """The matrix by hand, with a given state and without, Triton's loops included where
    they run (Triton's interpreter on the CPU); batch_first with 3 layers (the random test
    above draws every layout)."""
    batch_first = layers == 3
    from rnnlab.nn import dispatch

    impls = ["fast", "auto"]
    probe = torch.zeros(1, dtype=torch.float64)
    if dispatch.triton_reason(DTRNNCell(1, 1), probe) is None:
        impls += ["triton", "triton-split"]
    for given_state in (False, True):
        _assert_paths_equal(kind, bidirectional, layers, batch_first, depth, 4, 3, mode,
                            given_state, impls)


def test_the_cho_grus_docstring_names_the_path_it_runs():
    """Old: ``GRU(reset_after=False)``'s docstring said it "runs the reference path"; it
    runs rnnlab's whole-sequence kernel (the step loop only with impl="reference")."""
    from rnnlab.nn import GRU

    gru = GRU(2, 3, reset_after=False)
    assert gru.path_for(torch.randn(4, 1, 2)) == "fast-torch"
    assert "fast-torch" in GRU.__doc__ and "runs the reference path" not in GRU.__doc__


def test_compare_refuses_a_flag_of_the_other_task(tmp_path, capsys):
    """Old: ``rnnlab compare --task lm --lookback 24`` (or a forecast with ``--seq-len``)
    ran, recording the flag in config.json, and nothing read it."""
    from rnnlab.cli import main

    out = tmp_path / "cmp"
    tiny = ["--models", "rnn", "--seeds", "0", "--epochs", "1", "--hidden-size", "2"]
    code = main(["compare", "--task", "lm", "--data", "time-machine", "--lookback", "24",
                 "--forecast-strategy", "recursive", "--max-chars", "3000", "--out", str(out),
                 *tiny])
    err = capsys.readouterr().err
    assert code != 0 and "--lookback --forecast-strategy: read by --task forecast only" in err
    assert main(["compare", "--seq-len", "24", "--out", str(out), *tiny]) != 0
    assert "--seq-len: read by --task lm only" in capsys.readouterr().err
    assert not out.exists()


def test_the_registrys_state_shapes_are_as_its_docstring_says():
    """The registry's docstring said only "opaque"; it now says what each family's final
    state holds, and this pins it (and that passing it back continues the sequence)."""
    import rnnlab.nn.registry as registry

    doc = " ".join(registry.__doc__.split())
    assert "one (L*D, B, H) tensor" in doc and "a list of one (B, H) tensor per stacked" in doc
    x = x64(2, 5, 1)
    for name, arch in registry.ARCHITECTURES.items():
        torch.manual_seed(0)
        model = build_model(name, input_size=1, hidden_size=3, num_layers=2).double()
        out, state = model(x)
        if "depth" in arch.options:
            assert isinstance(state, list) and [tuple(s.shape) for s in state] == [(2, 3)] * 2
        else:
            D = 2 if arch.bidirectional else 1
            parts = state if name.endswith("lstm") else (state,)
            assert isinstance(parts[0], torch.Tensor) and len(parts) == (2 if "lstm" in name
                                                                       else 1)
            assert all(tuple(s.shape) == (2 * D, 2, 3) for s in parts), name
        if not arch.bidirectional:  # two halves with the state carried = the whole
            first, carried = model(x[:, :2])
            rest, _ = model(x[:, 2:], carried)
            torch.testing.assert_close(torch.cat([first, rest], 1), out, rtol=0, atol=1e-12)


def test_lengths_beside_a_packed_sequence_are_refused_not_ignored():
    """Old: ``layer(packed, None, lengths)`` ran on the packed lengths and dropped the
    others unsaid (rnnlab's layers), or died with "'PackedSequence' object has no
    attribute 'dim'" (the registry's torch-style models)."""
    x, lengths = x64(4, 2, 2), torch.tensor([4, 2])
    packed = pack_padded_sequence(x, lengths)
    cell = lambda: DTRNNCell(2, 3).double()  # noqa: E731
    layers = [Recurrent(cell()), Bidirectional(Recurrent(cell()), Recurrent(cell(), reverse=True)),
              Stacked([Recurrent(cell())])]
    for layer in layers:
        with pytest.raises(ValueError, match="lengths with a PackedSequence, which carries"):
            layer(packed, None, torch.tensor([3, 1]))
        layer(packed)  # alone: fine
    for name in ("lstm", "dt-rnn"):
        model = build_model(name, input_size=2, hidden_size=3).double()
        bf = pack_padded_sequence(x.transpose(0, 1), lengths, batch_first=True)
        with pytest.raises(ValueError, match="lengths with a PackedSequence, which carries"):
            model(bf, None, lengths)


@pytest.mark.filterwarnings("ignore:`torch.jit.script` is deprecated")  # torch's own jvp set-up
@pytest.mark.parametrize("name", ["dts-rnn", "gru-cho"])
def test_forward_mode_ad_runs_on_the_loop(name):
    """Old: inside ``torch.autograd.forward_ad.dual_level()`` the deep-transition and
    Cho-GRU models died with "You must implement the jvp function for custom
    autograd.Function" (their kernels have none); the dispatch now runs the loop there,
    and the tangent equals the reference path's."""
    import torch.autograd.forward_ad as fwAD

    torch.manual_seed(0)
    model = build_model(name, input_size=2, hidden_size=3, num_layers=2).double()
    ref = build_model(name, input_size=2, hidden_size=3, num_layers=2, impl="reference").double()
    ref.load_state_dict(model.state_dict())
    x, t = x64(2, 4, 2), x64(2, 4, 2, seed=1)
    tangents = []
    for m in (model, ref):
        with fwAD.dual_level():
            out, _ = m(fwAD.make_dual(x, t), None, torch.tensor([4, 2]))
            tangents.append(fwAD.unpack_dual(out).tangent)
    torch.testing.assert_close(tangents[0], tangents[1], rtol=0, atol=1e-12)
    assert model.body.path_for(x) != "reference"  # outside: the kernel, as before


@pytest.mark.parametrize("name", ["drnn", "bigru", "gru-cho", "dt-rnn", "dts-rnn", "dot-rnn",
                                  "dots-rnn", "stacked-dt-rnn"])
def test_registry_models_equal_their_reference_with_lengths_and_a_carried_state(name):
    """Each registry model on "auto" (and "fast" where rnnlab's loop runs) equals
    impl="reference" in float64: 3 layers, T=1 and T=4, lengths with T and 1, a state
    carried from a first call as the initial state; outputs, states and gradients."""
    from rnnlab.nn.registry import ARCHITECTURES

    arch = ARCHITECTURES[name]
    kw = dict(input_size=2, hidden_size=3, num_layers=3)
    if "depth" in arch.options:
        kw.update(depth=3, width=4)
    torch.manual_seed(0)
    ref = build_model(name, impl="reference", **kw).double()
    impls = ["auto"] + (["fast"] if name in ("gru-cho",) or "depth" in arch.options else [])
    for T in (1, 4):
        x, lengths = x64(3, T, 2, seed=T), torch.tensor([T, 1, max(1, T - 1)])
        _, carried = ref(x64(3, 2, 2, seed=9))
        want = _model_run(ref, x, carried, lengths)
        for impl in impls:
            model = build_model(name, impl=impl, **kw).double()
            model.load_state_dict(ref.state_dict())
            for a, b in zip(_model_run(model, x, carried, lengths), want):
                torch.testing.assert_close(a, b, rtol=0, atol=1e-10)


def _model_run(model, x, state, lengths):
    x = x.clone().requires_grad_(True)
    leaves = [s.detach().clone().requires_grad_(True) for s in _leaves(state)]
    state = torch.utils._pytree.tree_unflatten(leaves, torch.utils._pytree.tree_structure(state))
    out, fin = model(x, state, lengths)
    w = torch.linspace(-1, 1, out.numel(), dtype=out.dtype).view_as(out)
    loss = (out * w).sum() + sum((1.7 * s).sin().sum() for s in _leaves(fin))
    grads = torch.autograd.grad(loss, list(model.parameters()) + [x] + leaves)
    return [out.detach()] + [s.detach() for s in _leaves(fin)] + list(grads)


def test_stacked_refuses_what_is_no_recurrent_layer_saying_where_it_goes():
    """Old: accepted, and the call died with "DTRNNCell.forward() takes from 2 to 3
    positional arguments but 4 were given" (a cell not run over time) or "DeepOutput.
    forward() takes 2 positional arguments but 4 were given"."""
    from rnnlab.nn import DeepOutput

    with pytest.raises(TypeError, match=r"layer 0 is a DTRNNCell.*Recurrent\(DTRNNCell"):
        Stacked([DTRNNCell(2, 3)])
    with pytest.raises(TypeError, match=r"layer 1 is a DeepOutput.*goes after the stack"):
        Stacked([Recurrent(DTRNNCell(2, 3)), DeepOutput(3)])
    with pytest.raises(TypeError, match=r"layer 0 is a Linear"):
        Stacked([torch.nn.Linear(2, 3)])


def test_a_width_at_depth_one_is_refused_where_it_shapes_nothing():
    """Old: ``build_model("dt-rnn", depth=1, width=7)`` (``rnnlab forecast --model dt-rnn
    --depth 1 --width 7``) built the one-layer cell and ignored the width; dot-rnn's deep
    output still reads it, and a comparison gives it to the models it shapes."""
    from rnnlab.compare import CompareConfig

    with pytest.raises(ValueError, match=r"'dt-rnn' at depth=1 has no intermediate layer for "
                                         r"width=7"):
        build_model("dt-rnn", input_size=1, hidden_size=3, depth=1, width=7)
    dot = build_model("dot-rnn", input_size=1, hidden_size=3, depth=1, width=7)
    assert dot.output_size == 7
    cfg = CompareConfig(models=("dt-rnn", "dot-rnn"), depth=1, width=7)
    assert "width" not in cfg.shape_for("dt-rnn") and cfg.shape_for("dot-rnn")["width"] == 7
    with pytest.raises(ValueError,
                       match=r"width \(--width\) 7 shapes dot-rnn(, dots-rnn)? at depth 1"):
        CompareConfig(models=("dt-rnn", "lstm"), depth=1, width=7)


@pytest.mark.parametrize("kw,flag", [(dict(test_size=0), "--test-size"),
                                     (dict(val_size=-1), "--val-size"),
                                     (dict(val_fraction=1.0), "--val-fraction"),
                                     (dict(clip_norm=-1.0), "--clip-norm"),  # (0: off)
                                     (dict(depth=0, models=("dt-rnn",)), "--depth")])
def test_compare_still_checks_every_shared_number(kw, flag):
    """The shape options were added among CompareConfig's checks; every check after them
    still runs (none of these had a test)."""
    from rnnlab.compare import CompareConfig

    with pytest.raises(ValueError, match=f"\\({flag}\\) must be"):
        CompareConfig(**kw)


def test_every_architectures_weights_round_trip_into_a_fresh_model_and_torch_nn():
    """A state_dict loads strictly into a fresh model of another impl (and the torch.nn
    module of the same kind for the torch-style bodies, as the README promises), with
    the same outputs."""
    from rnnlab.nn.registry import ARCHITECTURES

    torch_kind = {"rnn": torch.nn.RNN, "drnn": torch.nn.RNN, "brnn": torch.nn.RNN,
                  "gru": torch.nn.GRU, "bigru": torch.nn.GRU, "lstm": torch.nn.LSTM,
                  "bilstm": torch.nn.LSTM}
    x = x64(2, 3, 2)
    for name, arch in ARCHITECTURES.items():
        kw = dict(input_size=2, hidden_size=3, num_layers=2)
        if "depth" in arch.options:
            kw.update(depth=3, width=4)
        a = build_model(name, **kw).double()
        b = build_model(name, impl="reference", **kw).double()
        b.load_state_dict(a.state_dict(), strict=True)
        torch.testing.assert_close(a(x)[0], b(x)[0], rtol=0, atol=1e-12)
        if name in torch_kind:
            t = torch_kind[name](2, 3, num_layers=2, batch_first=True,
                                 bidirectional=arch.bidirectional).double()
            t.load_state_dict(a.body.state_dict(), strict=True)
            torch.testing.assert_close(t(x)[0], a(x)[0], rtol=0, atol=1e-12)
            a.body.load_state_dict(t.state_dict(), strict=True)


@pytest.mark.parametrize("kw", [{"reverse": "yes"}, {"reverse": "False"}, {"batch_first": None},
                                {"batch_first": 2}])
def test_recurrent_flags_that_are_not_true_or_false_are_refused(kw):
    """Old: ``Recurrent(cell, reverse="False")`` ran the sequence backwards (any non-empty
    string is true), silently."""
    import rnnlab.nn as R

    with pytest.raises(TypeError, match=f"{next(iter(kw))} must be True or False"):
        R.Recurrent(R.GRUCell(3, 4), **kw)
    assert R.Recurrent(R.GRUCell(3, 4), reverse=1, batch_first=True).reverse is True
