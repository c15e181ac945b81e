"""The API as ``help()`` shows it: the configs' docstrings list every setting with its
default and help, every public name says what it is, and the docstrings' examples run
and show what they return (the docstring sweep of session 22)."""

from dataclasses import MISSING, fields

import pytest

CONFIGS = ("rnnlab.forecast:ForecastConfig", "rnnlab.panel:PanelConfig",
           "rnnlab.lm:LMConfig", "rnnlab.lm:LMTrainConfig")


def _load(spec):
    import importlib

    module, name = spec.split(":")
    return getattr(importlib.import_module(module), name)


@pytest.mark.parametrize("spec", CONFIGS)
def test_help_of_a_config_lists_each_setting_with_its_default_and_help(spec):
    # help(ForecastConfig) said "with the help given here" and gave none: the help lived
    # in the fields' metadata, which help() and an IDE never show
    from rnnlab.options import declared

    cls = _load(spec)
    doc = cls.__doc__
    helps = {f.name: opt.help for f, opt in declared(cls)}
    for f in fields(cls):
        default = f.default if f.default is not MISSING else f.default_factory()
        assert f"    {f.name} = {default!r}" in doc, f.name
        if f.name in helps:
            assert " ".join(helps[f.name].split()[:6]) in " ".join(doc.split()), f.name
