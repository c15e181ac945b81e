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


@pytest.mark.slow
def test_a_saved_char_lm_loads_and_generates_without_dynamo(tmp_path):
    """Its load checks the config's shapes against the weights on the meta device, where
    the embedding's normal_ ran torch's Python meta kernel, which imports torch._dynamo."""
    from rnnlab import CharLM, load_corpus

    lm = CharLM(hidden_size=8, num_layers=1).fit(load_corpus("time-machine")[:3000], epochs=1,
                                                 seq_len=20, progress=False)
    lm.save(tmp_path / "lm")
    out = _run("import sys, json\n"
               "from rnnlab import CharLM\n"
               "lm = CharLM.load(sys.argv[1])\n"
               "text = lm.generate('the time ', 40, seed=3)\n"
               "print(json.dumps({'dynamo': 'torch._dynamo' in sys.modules, 'text': text}))",
               str(tmp_path / "lm"))
    got = json.loads(out)
    assert got["dynamo"] is False
    assert got["text"] == lm.generate("the time ", 40, seed=3)


def test_a_meta_build_under_private_draws_keeps_every_shape():
    """On the meta device the in-place draws are skipped (no values there): the module's
    tensors keep the shapes, dtypes and devices torch gives them."""
    from rnnlab.io.private_draws import private_draws

    def build():
        torch.manual_seed(0)
        return torch.nn.Sequential(torch.nn.Embedding(7, 3), torch.nn.LSTM(3, 5, 2),
                                   torch.nn.Linear(5, 2))
    with torch.device("meta"):
        plain = build()
    with torch.device("meta"), private_draws():
        probe = build()
    assert [(k, v.shape, v.dtype, v.device.type) for k, v in probe.state_dict().items()] == \
        [(k, v.shape, v.dtype, v.device.type) for k, v in plain.state_dict().items()]
