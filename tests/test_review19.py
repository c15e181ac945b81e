"""Session 19's merged branches reviewed together: what each tested alone."""

import pytest
import torch

import rnnlab
from rnnlab.io.errors import RnnlabError


def test_shape_and_mismatch_errors_are_rnnlab_errors():
    """``except RnnlabError`` catches a wrong shape or dtype given to rnnlab.nn, as every
    other failure rnnlab raises (ShapeError and MismatchError were ValueError and
    RuntimeError only)."""
    from rnnlab.nn import LSTM

    lstm = LSTM(3, 4).double()
    with pytest.raises(RnnlabError) as err:
        lstm(torch.zeros(5, 2, 7, dtype=torch.float64))  # 7 features, not 3
    assert isinstance(err.value, rnnlab.ShapeError) and isinstance(err.value, RuntimeError)
    with pytest.raises(RnnlabError) as err:
        lstm(torch.zeros(5, 2, 3, dtype=torch.float32))  # float32 into a float64 LSTM
    assert isinstance(err.value, rnnlab.MismatchError) and isinstance(err.value, ValueError)


def test_not_fitted_error_at_the_top_level():
    """The error of a model used before fit is reachable where the models are."""
    with pytest.raises(rnnlab.NotFittedError):
        rnnlab.Forecaster().predict()
    assert issubclass(rnnlab.NotFittedError, RnnlabError)
    assert rnnlab.io.NotFittedError is rnnlab.NotFittedError


def test_the_us_employment_benchmarks_reproduce_their_recorded_origins():
    """README's us_employment table was measured with origins before each series' end
    (``--align end``) and names these scripts to reproduce it: each backtest they run
    passes align='end' (the default became 'date' after the table was recorded)."""
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parents[1] / "benchmarks"
    for name in ("panel_us_employment.py", "peers_panel.py"):
        calls = [n for n in ast.walk(ast.parse((root / name).read_text()))
                 if isinstance(n, ast.Call) and getattr(n.func, "id", None) == "backtest"]
        assert calls, name
        for c in calls:
            align = {k.arg: k.value for k in c.keywords}.get("align")
            assert isinstance(align, ast.Constant) and align.value == "end", (name, c.lineno)


def test_compare_and_forecast_seeds_report_one_spread():
    """``rnnlab compare``'s mean ± std and ``rnnlab forecast --seeds``' summary use one
    definition of the spread over seeds (the sample std; 0 for one seed)."""
    from rnnlab.compare.summary import _stats
    from rnnlab.forecast.metrics import seed_std

    for vals in ([1.0, 2.0], [3.0, 5.0, 10.0], [4.0]):
        assert _stats(vals)["std"] == seed_std(vals)
    assert seed_std([1.0, 2.0]) == pytest.approx(2 ** -0.5)
    assert seed_std([4.0]) == 0.0


def test_the_error_types_readme_names_exist_where_it_says():
    import re
    from pathlib import Path

    import rnnlab.io

    text = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    for name in re.findall(r"`rnnlab\.(\w+Error)`", text):
        assert issubclass(getattr(rnnlab, name), RnnlabError), name
    for name in ("CheckpointError", "RunDirError", "OptionError"):
        assert f"`{name}`" in text and issubclass(getattr(rnnlab.io, name), RnnlabError)


def test_a_stopped_loop_says_resume_or_start_over_by_what_it_kept():
    from rnnlab.train import TrainingInterrupted

    kept = TrainingInterrupted.stopped("stopped at epoch 2, step 5", 130, checkpointed=True)
    none = TrainingInterrupted.stopped("stopped at epoch 2, step 5", 143, checkpointed=False)
    assert str(kept).endswith(TrainingInterrupted.HINT) and not kept.start_over
    assert str(none).endswith(TrainingInterrupted.NO_CHECKPOINTS) and none.start_over
    assert (kept.exit_code, none.exit_code, none.where) == (130, 143, "stopped at epoch 2, step 5")


class _TopOutput(torch.nn.Module):
    """A stack's top outputs and its final states as one flat tuple (traceable)."""

    def __init__(self, stack):
        super().__init__()
        self.stack = stack

    def forward(self, x, lengths):
        out, finals = self.stack(x, None, lengths)
        return (out, *[t for hc in finals for t in hc])


@pytest.mark.parametrize("traced", [[5, 5, 5], [5, 3, 2]])
def test_a_traced_stack_in_training_draws_the_dropout_masks_eager_draws(traced):
    """Dropout between stacked layers is drawn on the valid steps alone (as torch.nn's
    kernel draws it); traced with lengths that were all T, the graph froze the shortcut
    for a batch without padding and drew on every step, so a later batch of shorter
    sequences got other masks than the eager model for the same seed (other outputs and
    final states)."""
    import warnings

    from rnnlab.nn import LSTMCell, Recurrent, Stacked

    torch.manual_seed(0)
    model = _TopOutput(Stacked([Recurrent(LSTMCell(2, 4), batch_first=True),
                                Recurrent(LSTMCell(4, 4), batch_first=True)],
                               dropout=0.5)).double().train()
    x = torch.randn(3, 5, 2, dtype=torch.float64)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # (the tracer's notes)
        graph = torch.jit.trace(model, example_kwarg_inputs={"x": x, "lengths":
                                                             torch.tensor(traced)},
                                check_trace=False)
    for lengths in ([4, 5, 1], [5, 5, 5]):
        torch.manual_seed(1)
        got = graph(x=x, lengths=torch.tensor(lengths))
        torch.manual_seed(1)
        want = model(x, torch.tensor(lengths))
        for g, w in zip(got, want):
            torch.testing.assert_close(g, w)
