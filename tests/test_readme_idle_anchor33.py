"""README's list of idle settings names every anchor that likelihood='negbin' leaves idle
(it named anchor="none" alone; anchor="mean_scale" is idle there too, and the warning says
so): each anchor away from the default that warns beside negbin is named in the sentence."""

import dataclasses
import re
import warnings
from pathlib import Path

from rnnlab.idle_settings import IdleSettingWarning, panel_rules, warn_idle
from rnnlab.panel.config import ANCHORS, PanelConfig

README = Path(__file__).resolve().parents[1] / "README.md"


def idle_sentence() -> str:
    """README's sentence on settings the rest of the configuration does not read."""
    text = " ".join(README.read_text(encoding="utf-8").split())
    start = text.index("A setting given that the rest of the configuration does not read")
    return text[start:text.index("`rnnlab.IdleSettingWarning`", start)]


def warned(cfg) -> list:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        warn_idle(cfg, panel_rules(cfg), "GlobalForecaster.fit")
    return [str(w.message) for w in caught if issubclass(w.category, IdleSettingWarning)]


def test_every_anchor_idle_beside_negbin_is_named_in_the_readme():
    field = next(f for f in dataclasses.fields(PanelConfig) if f.name == "anchor")
    idle = [a for a in ANCHORS if a != field.default and
            any(f"anchor={a!r} does nothing" in m
                for m in warned(PanelConfig(likelihood="negbin", anchor=a)))]
    assert set(idle) == {"none", "mean_scale"}  # (every one away from "last" warns)
    sentence = idle_sentence()
    named = set(re.findall(r'`anchor="(\w+)"`', sentence))
    assert set(idle) <= named, f"idle anchors not named in README: {set(idle) - named}"
    assert '`likelihood="negbin"`' in sentence
