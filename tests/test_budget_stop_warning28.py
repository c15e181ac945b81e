"""A resume of a training its time budget had stopped, given no larger budget, trains
nothing and says so with :class:`rnnlab.BudgetStopWarning` (the class a panel's kept
member is said with), at the line that called the fit: ``CharLM.fit`` and ``rnnlab.fit``
gave a plain UserWarning pointing into rnnlab's own files (stacklevel 3 from the loop),
so a filter by class or module could not single it out."""

import warnings
from pathlib import Path

import rnnlab
import rnnlab.panel
from rnnlab.lm import CharLM

LM = dict(model="rnn", hidden_size=8, num_layers=1, embedding=8, dropout=0.0, level="word")
FIT = dict(epochs=50, batch_size=2, seq_len=5, progress=False, sample_every=0)
TEXT = "the cat sat on the mat. " * 30


def test_a_resume_with_the_budget_spent_says_it_with_the_panels_class(tmp_path):
    CharLM(**LM).fit(TEXT, minutes=1e-6, checkpoint_dir=tmp_path, **FIT)
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        CharLM(**LM).fit(TEXT, minutes=1e-6, checkpoint_dir=tmp_path, resume=True, **FIT)
    said = [w for w in seen if issubclass(w.category, rnnlab.BudgetStopWarning)]
    assert len(said) == 1 and "its whole time budget" in str(said[0].message)
    assert Path(said[0].filename).resolve() == Path(__file__).resolve()
    assert rnnlab.BudgetStopWarning is rnnlab.panel.BudgetStopWarning


def test_the_class_is_reached_without_loading_the_panel_package():
    """rnnlab.BudgetStopWarning is said by one-series and language-model fits too: reaching
    it (a filter by class) loaded the panel package, where the class once lived."""
    import subprocess
    import sys

    code = ("import sys, rnnlab; c = rnnlab.BudgetStopWarning; "
            "print(c.__module__, 'rnnlab.panel' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120)
    assert done.stdout.split() == ["rnnlab.train.budget_stop", "False"], done.stderr


def test_rnnlab_train_fit_says_it_too_at_the_callers_line(tmp_path):
    """The README names rnnlab.train.fit among the routes that say it; a larger budget
    trains on, saying nothing."""
    import torch
    from torch import nn

    from rnnlab.train import TensorTask, TrainConfig, fit

    data = (torch.randn(16, 10), torch.randn(16, 1))

    def run(seconds, resume):
        torch.manual_seed(0)
        return fit(nn.Sequential(nn.Linear(10, 1)), TensorTask(*data, batch_size=8),
                   TrainConfig(epochs=50, progress=False, max_seconds=seconds),
                   checkpoint_dir=tmp_path, resume=resume)

    assert run(1e-6, False).stop_reason == "time budget"
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        run(1e-6, True)
    said = [w for w in seen if issubclass(w.category, rnnlab.BudgetStopWarning)]
    assert [Path(w.filename).resolve() for w in said] == [Path(__file__).resolve()]
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        assert run(600.0, True).stop_reason == "epochs done"
    assert not [w for w in seen if issubclass(w.category, rnnlab.BudgetStopWarning)]
