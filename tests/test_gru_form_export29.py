"""The GRU form's warning is one class, importable where users filter warnings."""

import warnings

import torch

import rnnlab
import rnnlab.nn
from rnnlab.nn import GRU


def test_gru_form_warning_is_exported_and_filterable():
    assert rnnlab.GRUFormWarning is rnnlab.nn.GRUFormWarning
    assert "GRUFormWarning" in rnnlab.__all__ and "GRUFormWarning" in rnnlab.nn.__all__
    torch.manual_seed(0)
    theirs = torch.nn.GRU(3, 4).state_dict()
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        GRU(3, 4, reset_after=False).load_state_dict(theirs)
    assert any(issubclass(w.category, rnnlab.GRUFormWarning) for w in seen)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        warnings.filterwarnings("ignore", category=rnnlab.GRUFormWarning)
        GRU(3, 4, reset_after=False).load_state_dict(theirs)
