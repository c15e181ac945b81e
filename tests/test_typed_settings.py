"""The TypedDicts that type ``Forecaster(**settings)``, ``GlobalForecaster(**settings)``,
``CharLM(**kwargs)`` and ``CharLM.fit(**kwargs)`` for checkers: one key per config field,
so a field added to a config and not to its TypedDict (or renamed) fails here, not in a
user's type check. tests/test_typing_downstream.py runs mypy on them (where installed)."""

import inspect
import typing
from dataclasses import fields

import pytest

from rnnlab.forecast import ForecastConfig, Forecaster
from rnnlab.forecast.typed_settings import ForecastConfigDict, ForecastSettings
from rnnlab.lm import CharLM, LMConfig, LMTrainConfig
from rnnlab.lm.typed_settings import LMSettings, LMTrainSettings
from rnnlab.panel import GlobalForecaster, PanelConfig
from rnnlab.panel.typed_settings import PanelConfigDict, PanelSettings


def _named(function) -> set:
    """The keyword parameters a constructor names itself (model, lookback, horizon)."""
    return {p.name for p in inspect.signature(function).parameters.values()
            if p.kind is p.POSITIONAL_OR_KEYWORD} - {"self", "config"}


@pytest.mark.parametrize("typed, config, function", [
    (ForecastSettings, ForecastConfig, Forecaster.__init__),
    (PanelSettings, PanelConfig, GlobalForecaster.__init__),
    (LMSettings, LMConfig, CharLM.__init__),
    (LMTrainSettings, LMTrainConfig, CharLM.fit),
])
def test_settings_keys_are_the_config_fields_the_call_does_not_name(typed, config, function):
    named = _named(function) if function is not CharLM.fit else set()
    assert set(typed.__annotations__) == {f.name for f in fields(config)} - named
    assert not typed.__required_keys__  # (total=False: every setting may be left out)


@pytest.mark.parametrize("typed, config", [(ForecastConfigDict, ForecastConfig),
                                           (PanelConfigDict, PanelConfig)])
def test_config_dicts_have_every_field(typed, config):
    assert set(typed.__annotations__) == {f.name for f in fields(config)}
    assert not typed.__required_keys__


@pytest.mark.parametrize("typed, config", [
    (ForecastConfigDict, ForecastConfig), (PanelConfigDict, PanelConfig),
    (LMSettings, LMConfig), (LMTrainSettings, LMTrainConfig)])
def test_settings_types_follow_the_fields(typed, config):
    # a tuple field is any sequence in the TypedDict (the config takes a list); the rest
    # are the field's own type, so a field's type changed without its key's fails here
    for f in fields(config):
        want = f.type.replace("Tuple[float, float]", "Sequence[float]")
        want = want.replace("Tuple[float, ...]", "Sequence[float]")
        want = want.replace("Tuple[str, ...]", "Sequence[str]")
        assert typed.__annotations__[f.name].__forward_arg__ == want, f.name


def test_the_settings_are_what_the_constructors_take():
    for function, typed in [(Forecaster.__init__, "ForecastSettings"),
                            (GlobalForecaster.__init__, "PanelSettings"),
                            (CharLM.__init__, "LMSettings"), (CharLM.fit, "LMTrainSettings")]:
        kwargs = [p for p in inspect.signature(function).parameters.values()
                  if p.kind is p.VAR_KEYWORD]
        assert [p.annotation for p in kwargs] == [f"Unpack[{typed}]"], function
        # resolvable at run time too: help(), doc tools and get_type_hints read them
        hint = typing.get_type_hints(function)[kwargs[0].name]
        assert typing.get_args(hint)[0].__name__ == typed


def test_a_dict_of_settings_still_runs():
    settings: ForecastSettings = {"hidden_size": 8, "calendar": ["holiday"], "country": "US"}
    assert Forecaster(lookback=3, **settings).config.calendar == ("holiday",)
    # the annotations resolve at run time too (get_type_hints, help() and doc tools)
    assert typing.get_type_hints(ForecastSettings)["betas"] == typing.Sequence[float]
