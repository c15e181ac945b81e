"""Loading a saved forecaster and forecasting with it (``Forecaster.load``, ``rnnlab forecast
--run DIR``) never imports ``torch._dynamo``: 1.5 to 5 s of start-up (sympy included) that
each load paid through the dispatch mode its build runs in (rnnlab.io.private_draws), in
processes that train nothing. Training still imports it: torch's optimizers do."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
import torch

SRC = str(Path(__file__).resolve().parents[1] / "src")


def _run(code: str, *args: str) -> str:
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                          env={"PYTHONPATH": SRC, "PATH": "/usr/bin:/bin"}, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout.strip().splitlines()[-1]


def test_private_draws_imports_no_dynamo_and_still_draws_privately():
    out = _run("import sys, json, torch\n"
               "from rnnlab.io.private_draws import private_draws\n"
               "torch.manual_seed(5); state = torch.get_rng_state()\n"
               "with private_draws():\n"
               "    w = torch.nn.LSTM(2, 3).weight_hh_l0.detach()\n"
               "print(json.dumps({'dynamo': 'torch._dynamo' in sys.modules,\n"
               "                  'rng_kept': bool(torch.equal(state, torch.get_rng_state())),\n"
               "                  'w': w.flatten().tolist()}))")
    got = json.loads(out)
    assert got["dynamo"] is False and got["rng_kept"] is True
    from rnnlab.io.private_draws import private_draws

    with private_draws():  # the same draws in this process (torch._dynamo imported or not)
        want = torch.nn.LSTM(2, 3).weight_hh_l0.detach().flatten().tolist()
    assert got["w"] == want


@pytest.mark.slow
def test_a_saved_forecaster_loads_and_forecasts_without_dynamo(tmp_path):
    from rnnlab import Forecaster

    f = Forecaster("gru", epochs=2, ensemble=1, progress=False).fit("airline")
    f.save(tmp_path / "m")
    out = _run("import sys, json\n"
               "from rnnlab import Forecaster\n"
               "f = Forecaster.load(sys.argv[1])\n"
               "p = f.predict()\n"
               "print(json.dumps({'dynamo': 'torch._dynamo' in sys.modules,\n"
               "                  'forecast': p.tolist()}))", str(tmp_path / "m"))
    got = json.loads(out)
    assert got["dynamo"] is False
    assert got["forecast"] == f.predict().tolist()  # bit for bit
