"""``fit`` and ``load`` give, to a type checker too, the class they are called on.

They were annotated to return the base class (``-> "Forecaster"``), so a user's subclass
lost its own methods to mypy/pyright after ``MyForecaster.load(p)`` or a chained
``MyForecaster(...).fit(data)``; at run time they already gave the subclass. Each now
returns a TypeVar bound to its class (``self: T`` / ``cls: Type[T]``): no typing_extensions
(Self) dependency."""

import typing

import numpy as np
import pandas as pd
import pytest


def _classes():
    from rnnlab.forecast import Forecaster
    from rnnlab.lm import CharLM
    from rnnlab.panel import GlobalForecaster

    return (Forecaster, GlobalForecaster, CharLM)


@pytest.mark.parametrize("index", range(3))
def test_fit_and_load_are_annotated_to_return_the_class_called_on(index):
    cls = _classes()[index]
    for name, first in (("fit", "self"), ("load", "cls")):
        hints = typing.get_type_hints(getattr(cls, name))
        returned = hints["return"]
        assert isinstance(returned, typing.TypeVar), (cls.__name__, name, returned)
        bound = returned.__bound__
        assert getattr(bound, "__forward_arg__", bound) in (cls.__name__, cls)
        assert hints[first] == (returned if first == "self" else typing.Type[returned])


def test_a_subclass_keeps_its_class_through_fit_save_and_load(tmp_path):
    from rnnlab.forecast import Forecaster
    from rnnlab.lm import CharLM

    class MyForecaster(Forecaster):
        def twice(self) -> int:
            return 2

    class MyLM(CharLM):
        def twice(self) -> int:
            return 2

    t = np.arange(48)
    y = pd.Series(10 + np.sin(t / 3), index=pd.date_range("2000-01", periods=48, freq="MS"))
    f = MyForecaster("gru", hidden_size=4, epochs=1, ensemble=1, progress=False, lookback=6,
                     horizon=3).fit(y)
    f.save(tmp_path / "f")
    assert type(f) is MyForecaster and type(MyForecaster.load(tmp_path / "f")) is MyForecaster
    lm = MyLM(hidden_size=8, num_layers=1, embedding=4).fit(
        "the quick brown fox jumps over the lazy dog. " * 20, seq_len=16, batch_size=4,
        epochs=1, progress=False)
    lm.save(tmp_path / "lm")
    assert type(lm) is MyLM and MyLM.load(tmp_path / "lm").twice() == 2
