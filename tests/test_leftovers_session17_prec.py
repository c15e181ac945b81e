"""Leftovers mended in session 17: a kernel asked for by name with a mixed precision
refused by the configs (as the commands refuse it), ..."""

from __future__ import annotations

import numpy as np
import pytest

from rnnlab.names import LOOP_IMPLS, UNDER_AUTOCAST


@pytest.mark.parametrize("impl", LOOP_IMPLS)
@pytest.mark.parametrize("precision", ["bf16-mixed", "16-mixed"])
def test_train_config_refuses_a_kernel_by_name_under_a_mixed_precision(impl, precision):
    # before: accepted; fit trained an lstm as if impl were "auto" (torch's kernel) and
    # refused a dt-rnn only at its start, while the CLI refused both at once
    from rnnlab.train import TrainConfig

    with pytest.raises(ValueError) as err:
        TrainConfig(impl=impl, precision=precision)
    text = str(err.value)
    assert f"impl={impl!r} with precision={precision!r}" in text  # what was asked
    assert UNDER_AUTOCAST in text  # why it cannot run
    assert "precision='32'" in text and "impl='auto'" in text  # what to do
    for fine in ("auto", "reference"):
        assert TrainConfig(impl=fine, precision=precision).impl == fine
    assert TrainConfig(impl=impl, precision="32").impl == impl


def test_the_lm_and_forecast_apis_refuse_it_before_training():
    from rnnlab.forecast import Forecaster
    from rnnlab.io.errors import DataError
    from rnnlab.lm.config import LMTrainConfig

    with pytest.raises(ValueError, match=r"impl='fast' with precision='bf16-mixed'"):
        LMTrainConfig(impl="fast", precision="bf16-mixed")
    f = Forecaster("lstm", 4, 2, impl="triton", epochs=1, ensemble=1, progress=False)
    with pytest.raises(DataError, match=r"^Forecaster.fit: impl='triton' with "
                                        r"precision='bf16-mixed': .*impl='auto'"):
        f.fit(np.arange(60, dtype=float) % 7, precision="bf16-mixed")
    assert not f.histories  # (nothing trained)


# a real SIGINT, sent by the process to itself when the module named in RNNLAB_TEST_SIGINT_AT
# is about to be imported: Python raises KeyboardInterrupt right there, as for a Ctrl-C
# typed at that moment (no race: the signal is sent from inside the import)
SIGINT_AT_IMPORT = """
import importlib.abc, os, signal, sys
class _CtrlC(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name == os.environ["RNNLAB_TEST_SIGINT_AT"]:
            sys.meta_path.remove(self)
            os.kill(os.getpid(), signal.SIGINT)
        return None
sys.meta_path.insert(0, _CtrlC())
"""


def _src():
    """The src folder of the rnnlab under test (its pyproject.toml beside it)."""
    from pathlib import Path

    import rnnlab

    return Path(rnnlab.__file__).resolve().parents[1]


_SRC = _src()


def _console_script() -> str:
    """The script pip writes for the ``rnnlab`` entry point of pyproject.toml."""
    import tomllib

    pyproject = _SRC.parent / "pyproject.toml"
    module, func = tomllib.loads(pyproject.read_text())["project"]["scripts"]["rnnlab"].split(":")
    return (f"import re\nimport sys\nfrom {module} import {func}\n"
            f"if __name__ == '__main__':\n"
            f"    sys.argv[0] = re.sub(r'(-script\\.pyw|\\.exe)?$', '', sys.argv[0])\n"
            f"    sys.exit({func}())\n")


@pytest.mark.parametrize("how", ["script", "-m"])
@pytest.mark.parametrize("at", ["rnnlab.cli", "rnnlab.io.terminate"])
def test_ctrl_c_while_rnnlab_starts_is_one_line_and_exit_130(tmp_path, how, at):
    # before: a Traceback (KeyboardInterrupt) from the console script's top-level
    # `from rnnlab.cli import main`, or from cli.main between its two handlers
    import os
    import subprocess
    import sys
    src = str(_SRC)
    if how == "script":
        script = tmp_path / "rnnlab"
        script.write_text(SIGINT_AT_IMPORT + _console_script())
        cmd = [sys.executable, str(script), "models"]
    else:
        cmd = [sys.executable, "-c", SIGINT_AT_IMPORT + "import runpy, sys\n"
               "sys.argv[1:] = ['models']\nrunpy.run_module('rnnlab', run_name='__main__')"]
    env = dict(os.environ, PYTHONPATH=src, RNNLAB_TEST_SIGINT_AT=at)
    r = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120)
    assert r.returncode == 130, (r.returncode, r.stderr[-2000:])
    assert "Traceback" not in r.stderr, r.stderr[-2000:]
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("rnnlab") and "interrupted" in lines[0], \
        r.stderr
    assert r.stdout == ""
