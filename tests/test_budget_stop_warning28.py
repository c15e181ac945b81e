"""A resume of a training its time budget had stopped, given no larger budget, trains
nothing and says so with :class:`rnnlab.BudgetStopWarning` (the class a panel's kept
member is said with), at the line that called the fit: ``CharLM.fit`` and ``rnnlab.fit``
gave a plain UserWarning pointing into rnnlab's own files (stacklevel 3 from the loop),
so a filter by class or module could not single it out."""

import warnings
from pathlib import Path

import rnnlab
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
