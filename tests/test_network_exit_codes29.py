"""Session 29: a network that cannot be built is a usage error (exit status 2, README
"Files and safety") on every route that trains one. The panel forecast, the backtest and
the comparison exited with 1 (an error of the data, the files or the machine) where the
one-series forecast and ``lm train`` exited with 2 for the same options."""

from __future__ import annotations

import json

import pytest

from rnnlab.cli import main

# refusals of the network: the cells' (drnn stacks at least two layers), sizes whose
# tensors cannot exist, no hidden unit, and an architecture rnnlab does not know; with
# the model each is given and what its refusal says
BAD = {"cells": (["--num-layers", "1"], "drnn", "needs"),
       "size": (["--hidden-size", "99999999999999"], "lstm", "too large to exist"),
       "hidden0": (["--hidden-size", "0"], "lstm", "hidden"),
       "arch": ([], "nosuch", "unknown model 'nosuch'")}
# the route, its command line (the model, the error's options and --out added)
ROUTES = {
    "forecast": ["forecast", "--data", "airline"],
    "panel": ["forecast", "--data", "visnights"],
    "backtest": ["backtest", "--data", "visnights"],
    "lm": ["lm", "train", "--corpus", "time-machine"],
    "compare": ["compare", "--data", "airline"],
    "config-run-dir": ["forecast", "--config", "{run}"],
}


def _run_dir(tmp_path):
    """A run directory whose record is a panel forecast's options (visnights)."""
    run = tmp_path / "recorded"
    run.mkdir()
    record = {"options": {"data": "visnights", "model": "lstm", "epochs": 1},
              "command": "rnnlab forecast"}
    (run / "cli.json").write_text(json.dumps(record), encoding="utf-8")
    return run


@pytest.mark.parametrize("bad", sorted(BAD))
@pytest.mark.parametrize("route", sorted(ROUTES))
def test_a_network_that_cannot_be_built_exits_with_2_on_every_route(route, bad, tmp_path,
                                                                    capsys):
    options, model, said = BAD[bad]
    words = [str(_run_dir(tmp_path)) if w == "{run}" else w for w in ROUTES[route]]
    words += ["--models" if route == "compare" else "--model", model, *options,
              "--epochs", "1", "--no-progress", "--out", str(tmp_path / "out")]
    code = main(words)
    err = capsys.readouterr().err
    assert code == 2, err
    assert "error:" in err and said in err
    assert not (tmp_path / "out").exists()  # refused before the run's folder is made
