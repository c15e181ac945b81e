"""Optional packages: the extra of ``pyproject.toml`` that brings each, and one error
for a feature whose package is not installed.

``pip install rnnlab`` brings what the core needs (torch, numpy, pandas, matplotlib, tqdm,
safetensors). ``pip install 'rnnlab[panel]'`` adds statsmodels (ETS and TSLM baselines;
scipy comes with it), properscoring (CRPS) and holidays (the ``holiday`` calendar feature
and the holiday counts ``quarter_holidays``, ``month_holidays``);
``pip install 'rnnlab[triton]'`` adds Triton (the GPU loops of the deep cells);
``pip install 'rnnlab[yaml]'`` adds PyYAML (``--config FILE.yaml``);
``pip install 'rnnlab[arima]'`` adds statsforecast (the ``arima`` panel baseline). A feature
whose package is missing raises :class:`MissingExtraError` naming the extra, before any
training where it can (``tests/test_install_sweep.py``).
"""

from __future__ import annotations

import importlib
from types import ModuleType

from .io.errors import RnnlabError

# top-level module -> the extra that installs it
EXTRA_OF = {"statsmodels": "panel", "scipy": "panel", "properscoring": "panel",
            "holidays": "panel", "triton": "triton", "yaml": "yaml",
            "statsforecast": "arima"}


class MissingExtraError(RnnlabError, ImportError):
    """An optional package a feature needs cannot be imported; the message names the extra
    to install. An ``ImportError`` too, so ``except ImportError`` still catches it."""


def install_hint(module: str) -> str:
    """The command that installs ``module`` with rnnlab: ``pip install 'rnnlab[panel]'``."""
    extra = EXTRA_OF.get(module.split(".")[0])
    return f"pip install 'rnnlab[{extra}]'" if extra else f"pip install {module.split('.')[0]}"


def missing_reason(module: str, feature: str, instead: str = "") -> str:
    """``feature needs module, which is not installed: pip install 'rnnlab[extra]'``."""
    tail = f"; or {instead}" if instead else ""
    return (f"{feature} needs {module.split('.')[0]}, which is not installed: "
            f"{install_hint(module)}{tail}")


def require(module: str, feature: str, instead: str = "") -> ModuleType:
    """Import ``module`` for ``feature`` (e.g. ``"the ETS baseline"``), or raise
    :class:`MissingExtraError` naming the extra (and ``instead``: what else to do)."""
    try:
        return importlib.import_module(module)
    except ImportError as e:
        detail = "" if getattr(e, "name", None) == module.split(".")[0] else f" ({e})"
        raise MissingExtraError(missing_reason(module, feature, instead) + detail,
                                name=module) from None


def is_installed(module: str) -> bool:
    """True when ``module`` imports (a broken install counts as missing)."""
    try:
        importlib.import_module(module)
    except ImportError:
        return False
    return True
