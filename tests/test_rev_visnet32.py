"""Review of visnet32 (the panel network's ``anchor``), session 32."""

import importlib.util
import sys
import warnings
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _bench_module():
    sys.path.insert(0, str(ROOT / "benchmarks"))  # (script_help, as the script's own run)
    try:
        spec = importlib.util.spec_from_file_location("panel_anchor_bench",
                                                      ROOT / "benchmarks" / "panel_anchor.py")
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        return mod
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))


def test_the_anchor_benchmark_help_says_what_it_compares_and_by_which_rule(capsys):
    mod = _bench_module()
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        with pytest.raises(SystemExit) as done:
            mod.main(["--help"])
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    assert done.value.code == 0
    said = " ".join(capsys.readouterr().out.split())
    # (its first line alone stopped at "(``anchor='last'``, the default)": no word of
    # what it is compared with, the rule, the settings or the time a run takes)
    assert "against none (``anchor='none'``)" in said
    assert "--first-origin 24 --stride 8" in said
    assert "default_rng(32)" in said
    assert "~10 min" in said


def _flat(path: Path) -> str:
    return " ".join(path.read_text(encoding="utf-8").split())


def test_the_panel_guide_says_anchor_none_where_it_says_windows_are_anchored():
    # (docs/panels.md said the recursive encoder reads its window "anchored on its last
    # value", untrue under anchor='none', and named the option nowhere)
    text = _flat(ROOT / "docs" / "panels.md")
    start = text.index('## Sample paths: `strategy="recursive"`')
    recursive = text[start:text.index("## Calibrated intervals", start)]
    assert 'anchored on its last value; `anchor="none"`' in recursive
    assert '`--anchor none`' in text


@pytest.mark.parametrize("module", ["scaling.py", "recursive.py", "net.py"])
def test_the_panel_docstrings_say_the_anchor_is_an_option(module):
    text = _flat(ROOT / "src" / "rnnlab" / "panel" / module)
    assert "anchor='none'" in text


@pytest.mark.slow  # (7 s here, two fits: the first in a process starts torch)
def test_recursive_paths_are_anchored_only_when_asked(monkeypatch):
    # (test_panel_anchor32 checked the direct strategy's forecast and the training
    # windows; the recursive paths, which take their own ``anchored``, went unchecked)
    import rnnlab.panel.global_table as global_table
    from test_panel_anchor32 import KW, _panel
    from rnnlab.panel import GlobalForecaster

    seen, real = [], global_table.recursive_paths

    def paths(*args, **kwargs):
        seen.append(args[9])  # (recursive_paths' anchored)
        return real(*args, **kwargs)

    monkeypatch.setattr(global_table, "recursive_paths", paths)
    for anchor in ("none", "last"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            GlobalForecaster("gru", **{**KW, "epochs": 1}, strategy="recursive",
                             likelihood="gaussian", samples=5, calibrate="none",
                             anchor=anchor).fit(_panel()).predict()
    assert seen == [0.0, 1.0]


def test_the_anchor_option_says_what_none_does_without_a_difference():
    # (README and the option's help spoke only of the seasonal difference; without one,
    # difference='none' or 'auto' beside a calendar or future covariates, anchor='none'
    # reads each series' level, and on 20 us_employment series it doubled the MASE)
    import dataclasses

    from rnnlab.panel import PanelConfig

    field = next(f for f in dataclasses.fields(PanelConfig) if f.name == "anchor")
    help_text = " ".join(field.metadata["rnnlab.option"].help.split())
    assert "without a difference, the series' mean level" in help_text
    readme = _flat(ROOT / "README.md")
    start = readme.index('`anchor="none"` (`--anchor none`)')
    said = readme[start:start + 900]
    assert "Without a difference" in said
    assert "keep `last` there" in said


def _idle_said(**settings):
    from rnnlab.idle_settings import IdleSettingWarning, panel_rules, warn_idle
    from rnnlab.panel import PanelConfig

    cfg = PanelConfig(**settings)
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        warn_idle(cfg, panel_rules(cfg), "GlobalForecaster.fit")
    return [str(w.message) for w in seen if w.category is IdleSettingWarning]


def test_anchor_none_beside_counts_is_said_as_an_idle_setting():
    # (counts are never anchored: a tuner sampling anchor over last | none with
    # likelihood='negbin' trained the same model twice, without a word)
    said = _idle_said(likelihood="negbin", anchor="none")
    assert len(said) == 1 and "anchor='none' does nothing here" in said[0]
    assert "likelihood='negbin'" in said[0]
    assert _idle_said(likelihood="gaussian", anchor="none") == []
    assert _idle_said(likelihood="negbin") == []
    readme = _flat(ROOT / "README.md")
    assert '`anchor="none"` or `anchor="mean_scale"` beside `likelihood="negbin"`' in readme
