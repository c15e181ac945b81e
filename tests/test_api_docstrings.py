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


PACKAGES = ("rnnlab", "rnnlab.nn", "rnnlab.train", "rnnlab.panel", "rnnlab.forecast",
            "rnnlab.lm", "rnnlab.compare", "rnnlab.io", "rnnlab.reference")


def _public():
    """``{"package.name": object}`` of what each package exports (``__all__``; the top
    level's lazy names)."""
    import importlib

    out = {}
    for p in PACKAGES:
        m = importlib.import_module(p)
        for n in getattr(m, "__all__", None) or list(m._LAZY):
            out[f"{p}.{n}"] = getattr(m, n)
    return out


def _modules():
    """The packages and the modules their public classes and functions are defined in."""
    import inspect
    import sys

    names = set(PACKAGES)
    for obj in _public().values():
        if inspect.isclass(obj) or inspect.isfunction(obj):
            names.add(obj.__module__)
    return sorted(n for n in names if n in sys.modules or n in PACKAGES)


# the examples that must be there (a docstring rewritten without its example fails here)
EXAMPLES = {"rnnlab.forecast.forecaster.Forecaster", "rnnlab.panel.model.GlobalForecaster",
            "rnnlab.lm.api.CharLM", "rnnlab.nn.cells.RNNCell", "rnnlab.nn.cells.GRUCell",
            "rnnlab.nn.cells.LSTMCell", "rnnlab.nn.deep.DTRNNCell",
            "rnnlab.train.tensor_task.TensorTask", "rnnlab.reference"}


def test_the_public_api_has_docstring_examples_where_they_are_expected():
    import doctest
    import importlib

    found = set()
    for name in _modules():
        for t in doctest.DocTestFinder().find(importlib.import_module(name), name, globs={}):
            if t.examples:
                found.add(t.name)
    assert EXAMPLES <= found, sorted(EXAMPLES - found)


def _run_doctests(module_names):
    import doctest
    import importlib
    import warnings

    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # (notes a tiny fit gives: not what is checked)
        for name in module_names:
            # globs={}: an example runs as a user pastes it, importing what it uses
            for t in doctest.DocTestFinder().find(importlib.import_module(name), name, globs={}):
                runner.run(t)
    return runner.summarize(verbose=False)


# the modules whose examples train a tiny model, one test each (a second or two each)
TRAINING = ("rnnlab.forecast.forecaster", "rnnlab.lm.api", "rnnlab.panel.model")


@pytest.mark.parametrize("part", TRAINING + ("the others",))
def test_every_docstring_example_of_the_public_api_runs_and_shows_what_it_returns(part, capsys):
    # CharLM's example read an undefined ``text``; DTRNNCell's used torch unimported;
    # TensorTask's named x, model and masked_mse it never made
    names = [part] if part in TRAINING else [m for m in _modules() if m not in TRAINING]
    result = _run_doctests(names)
    report = capsys.readouterr().out
    assert result.failed == 0, report
    assert result.attempted >= (4 if part in TRAINING else 30)


def test_the_doctest_run_fails_on_a_wrong_example(tmp_path, monkeypatch, capsys):
    # the check itself can fail: an example whose shown output is wrong is a failure
    (tmp_path / "wrong_example_mod.py").write_text('def f():\n    """\n    >>> 1 + 1\n    3\n'
                                                  '    """\n', encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert _run_doctests(["wrong_example_mod"]).failed == 1
    capsys.readouterr()


# what a user calls most, read by help() or an IDE's hover: every parameter is named
MAIN = {
    "rnnlab:Forecaster": ("__class__", "fit", "predict", "backtest", "plot", "load"),
    "rnnlab:GlobalForecaster": ("__class__", "fit", "predict", "make_future_dataframe",
                                "sample_paths", "plot", "save"),
    "rnnlab:CharLM": ("__class__", "fit", "nll", "nll_ids", "perplexity", "bits_per_char",
                      "generate"),
    "rnnlab.nn:RNNCell": ("__class__",), "rnnlab.nn:GRUCell": ("__class__",),
    "rnnlab.nn:LSTMCell": ("__class__",), "rnnlab.nn:DTRNNCell": ("__class__",),
    "rnnlab.nn:DeepOutput": ("__class__",), "rnnlab.nn:Recurrent": ("__class__",),
    "rnnlab.nn:Bidirectional": ("__class__",), "rnnlab.nn:Stacked": ("__class__",),
    "rnnlab.nn:RNN": ("__class__",), "rnnlab.nn:GRU": ("__class__",),
    "rnnlab.nn:LSTM": ("__class__",), "rnnlab.train:TensorTask": ("__class__",),
    "rnnlab.train:fit": ("__call__",), "rnnlab.panel:read_panel": ("__call__",),
}
UNNAMED = {"self", "cls", "args", "kwargs", "peer", "path"}  # (peer: other libraries' names)


def test_the_main_classes_docstrings_name_every_parameter_of_their_signatures():
    # Forecaster's docstring named none of model, lookback, horizon, config, settings;
    # the cells none of input_size, hidden_size, bias; LSTM not impl; fit not
    # checkpoint_dir, resume; GlobalForecaster.save not overwrite
    import inspect
    import re

    missing = []
    for spec, members in MAIN.items():
        obj = _load(spec)
        for member in members:
            f = obj if member in ("__class__", "__call__") else getattr(obj, member)
            doc = inspect.getdoc(obj if member == "__class__" else f) or ""
            for p in inspect.signature(f).parameters:
                if p not in UNNAMED and not re.search(rf"\b{p}\b", doc):
                    missing.append(f"{spec}.{member}: {p}")
    assert not missing, missing


def test_every_public_class_and_function_has_a_docstring_of_its_own():
    # help(TrainConfig), help(History), help(CheckpointManager)... showed only the
    # signature dataclass writes (or nothing)
    import inspect

    bare = []
    for name, obj in _public().items():
        if not (inspect.isclass(obj) or inspect.isfunction(obj)):
            continue
        doc = obj.__dict__.get("__doc__") if inspect.isclass(obj) else obj.__doc__
        if not doc or doc.startswith(f"{obj.__name__}("):
            bare.append(name)
    for spec in MAIN:  # and the main classes' methods (CharLM.load had none)
        obj = _load(spec)
        for attr in dir(obj) if inspect.isclass(obj) else ():
            f = inspect.getattr_static(obj, attr)
            f = getattr(f, "__func__", f)
            # (inspect.getdoc: an override takes the documented base's docstring; torch's
            # own methods, check_forward_args..., are torch's to document)
            if not attr.startswith("_") and inspect.isfunction(f) and \
                    f.__module__.startswith("rnnlab") and not inspect.getdoc(getattr(obj, attr)):
                bare.append(f"{spec}.{attr}")
    assert not bare, bare


def test_a_dict_given_as_a_config_is_refused_when_made_not_in_fit():
    # ConfigTypeError's docstring names "a dict for a config" as refused: Forecaster(config=
    # {"model": "gru"}) was taken, and fit failed with AttributeError: 'dict' object has no
    # attribute 'impl'; config={} gave the defaults, silently
    from rnnlab import CharLM, ConfigTypeError, Forecaster, GlobalForecaster

    made = (lambda d: Forecaster(config=d), lambda d: GlobalForecaster(config=d),
            lambda d: CharLM(config=d))
    for make in made:
        for d in ({}, {"model": "gru"}):
            with pytest.raises(ConfigTypeError, match=r"config must be a \w+Config or None, "
                                                      r"got dict; a dict's settings go in as "
                                                      r"keywords"):
                make(d)
    with pytest.raises(ConfigTypeError, match="train_config must be a LMTrainConfig"):
        CharLM(hidden_size=8, num_layers=1).fit("abc" * 100, train_config={"epochs": 1})
