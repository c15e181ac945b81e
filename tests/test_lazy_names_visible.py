"""The names a package loads on first use (rnnlab.lazy) are listed by ``dir()`` without
being imported: a notebook's tab completion and ``help(rnnlab)`` read ``dir()``, which
listed none of rnnlab's public names (the docstring sweep of session 22; what type
checkers see is tests/test_typing_exports.py's)."""

import subprocess
import sys

PACKAGES = ("rnnlab", "rnnlab.train", "rnnlab.panel", "rnnlab.forecast", "rnnlab.lm",
            "rnnlab.compare", "rnnlab.io", "rnnlab.bench")


def test_dir_of_each_package_lists_its_public_names_without_importing_torch():
    code = ("import importlib, sys\n"
            f"for p in {PACKAGES!r}:\n"
            "    m = importlib.import_module(p)\n"
            "    missing = set(m.__all__) - set(dir(m))\n"
            "    assert not missing, (p, missing)\n"
            "assert 'torch' not in sys.modules\n"
            "import rnnlab\n"
            "assert set(rnnlab.__all__) == set(rnnlab._LAZY)\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
