"""The names a package loads on first use (rnnlab.lazy) are visible without running
``__getattr__``: to ``dir()`` (a notebook's tab completion, ``help(rnnlab)``) and to type
checkers and IDEs, which read an ``if TYPE_CHECKING:`` block (the docstring sweep of
session 22: an IDE's hover over ``rnnlab.Forecaster`` or ``rnnlab.train.TensorTask`` found
nothing, and ``dir(rnnlab)`` listed none of its public names)."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "rnnlab"
PACKAGES = ("rnnlab", "rnnlab.train", "rnnlab.panel", "rnnlab.forecast", "rnnlab.lm",
            "rnnlab.compare", "rnnlab.io", "rnnlab.bench")


def _type_checking_imports(package: str) -> dict:
    """``{name: module}`` of what the package's ``if TYPE_CHECKING:`` block imports."""
    path = SRC.joinpath(*package.split(".")[1:], "__init__.py")
    out = {}
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.If) and getattr(node.test, "id", None) == "TYPE_CHECKING":
            for imp in node.body:
                for alias in imp.names:
                    out[alias.name] = "." * imp.level + (imp.module or "")
    return out


@pytest.mark.parametrize("package", PACKAGES)
def test_the_type_checking_block_imports_each_lazy_name_from_where_it_loads(package):
    import importlib

    lazy = importlib.import_module(package)._LAZY
    seen = _type_checking_imports(package)
    assert set(seen) == set(lazy)
    if isinstance(lazy, dict):
        assert seen == lazy
    else:  # (rnnlab.io: a set, all from .weights)
        assert set(seen.values()) == {".weights"}


def test_dir_of_each_package_lists_its_public_names_without_importing_torch():
    code = ("import importlib, sys\n"
            f"for p in {PACKAGES!r}:\n"
            "    m = importlib.import_module(p)\n"
            "    missing = set(getattr(m, '__all__', ())) - set(dir(m))\n"
            "    assert not missing, (p, missing)\n"
            "assert 'torch' not in sys.modules\n"
            "import rnnlab\n"
            "assert set(rnnlab.__all__) == set(rnnlab._LAZY)\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
