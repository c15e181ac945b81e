"""The warning classes rnnlab raises are importable from its public packages, to filter
them: ``HolidaysReleaseWarning``, ``UtcClockWarning``, ``CoarseHolidayWarning`` ... were
only at their private modules' paths (``rnnlab.panel.holidays_release``)."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"


def _warning_classes():
    """(module, class name) of every class of rnnlab's source that is a warning."""
    found = []
    for path in sorted((SRC / "rnnlab").rglob("*.py")):
        module = ".".join(path.relative_to(SRC).with_suffix("").parts)
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.ClassDef) and not node.name.startswith("_"):
                found.append((module, node.name))
    out = []
    for module, name in found:
        value = getattr(importlib.import_module(module), name)
        if isinstance(value, type) and issubclass(value, Warning):
            out.append((module, name))
    return out


def test_every_warning_class_is_exported_at_the_top_level():
    import rnnlab

    classes = _warning_classes()
    assert len(classes) >= 17
    for module, name in classes:
        assert name in rnnlab.__all__, f"{module}.{name}"
        assert getattr(rnnlab, name) is getattr(importlib.import_module(module), name)


@pytest.mark.parametrize("package, names", [
    ("rnnlab.forecast", ["HolidaysReleaseWarning", "UtcClockWarning", "CoarseHolidayWarning",
                         "OutlierWarning", "CalendarWarning", "ResumeDataWarning",
                         "OffGridWarning"]),
    ("rnnlab.panel", ["HolidaysReleaseWarning", "UtcClockWarning", "CoarseHolidayWarning",
                      "FarCovariateWarning", "TargetCovariateWarning", "OutlierWarning",
                      "OffGridWarning"]),
    ("rnnlab.lm", ["FitInputNote"]), ("rnnlab.train", ["OneProcessNote"])])
def test_the_models_packages_export_the_warnings_they_raise(package, names):
    import rnnlab

    module = importlib.import_module(package)
    for name in names:
        assert name in module.__all__ and getattr(module, name) is getattr(rnnlab, name)


def test_a_warning_filtered_by_its_public_name_is_silent():
    import warnings

    from rnnlab.forecast import HolidaysReleaseWarning

    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        warnings.filterwarnings("ignore", category=HolidaysReleaseWarning)
        warnings.warn("another release", HolidaysReleaseWarning)
    assert seen == []
