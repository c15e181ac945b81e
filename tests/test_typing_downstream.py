"""``mypy --strict`` on a user's script that uses rnnlab's API (rnnlab ships py.typed).

Runs where mypy is importable (it is no dependency of rnnlab's: skipped elsewhere). The
script's correct lines must pass and each line marked ``# E`` must be an error: what a
checker used to let through (module(x), ``f.config`` and a stopped fit's ``history``
were Any or None to it; ``Forecaster(lookbak=3)``, a misspelt setting, was **Any)."""

import re
import textwrap
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"

SCRIPT = '''
from pathlib import Path

import torch
from torch import Tensor, nn

from rnnlab.forecast import Forecaster
from rnnlab.forecast.typed_settings import ForecastConfigDict, ForecastSettings
from rnnlab.lm import CharLM
from rnnlab.panel import GlobalForecaster
from rnnlab.nn import LSTM, GRUCell, LSTMCell, Recurrent, Stacked
from rnnlab.panel.backtest_result import BacktestResult
from rnnlab.train import TensorTask, TrainConfig, TrainingDiverged, fit


class Encoder(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.rnn = LSTM(3, 8, batch_first=True)
        self.cell = LSTMCell(3, 8)

    def forward(self, x: Tensor) -> Tensor:
        out, (h, c) = self.rnn(x)
        return out[:, -1] + h[0] + c[0]

    def step(self, x: Tensor, state: tuple[Tensor, Tensor]) -> tuple[Tensor, Tensor]:
        return self.cell(x, state)


def layers(x: Tensor) -> Tensor:
    out, _ = Recurrent(GRUCell(3, 8), batch_first=True)(x)
    top, states = Stacked([Recurrent(GRUCell(3, 8))])(x)
    h: Tensor = GRUCell(3, 8)(x[:, 0])
    return out + top + h.sum() + len(states)


def wrong(x: Tensor) -> None:
    out, h, c = LSTM(3, 8)(x)  # E
    LSTMCell(3, 8)(x, torch.zeros(2, 8))  # E
    n: str = Forecaster(horizon=3).config.horizon  # E
    Forecaster().config.horizn  # E


def stopped(model: nn.Module, task: TensorTask) -> int:
    try:
        fit(model, task, TrainConfig(epochs=1))
    except TrainingDiverged as e:
        if e.history is not None:
            e.history.epochz  # E
            return len(e.history.epochs)
    return Forecaster(horizon=3).config.horizon


def settings(text: str) -> None:
    Forecaster("gru", lookback=3, hidden_size=8, epochs=2, calendar=["holiday"], lr=1e-3)
    GlobalForecaster(lookback=8, quantiles=[0.1, 0.9], future_covariates=("price",))
    CharLM(hidden_size=32, level="word").fit(text, epochs=1, sample_prefixes=["the "])
    given: ForecastSettings = {"hidden_size": 8, "ensemble": 1}
    whole: ForecastConfigDict = {"lookback": 3, "epochs": 1}
    Forecaster(horizon=3, **given)
    Forecaster(**whole)
    Forecaster(lookbak=3)  # E
    Forecaster(epochs="2")  # E
    GlobalForecaster(quantile=(0.1, 0.9))  # E
    CharLM(epochs=2)  # E
    CharLM().fit(text, hiden_size=8)  # E


def saved(result: BacktestResult, where: Path) -> Path:
    result.plot(path=where / "plot.png").suffix
    return result.save(where / "run")
'''


@pytest.mark.slow  # (mypy reads torch: 30 s and more on 2 cores)
def test_mypy_strict_passes_correct_use_and_catches_wrong_use(tmp_path):
    api = pytest.importorskip("mypy.api")
    script = tmp_path / "user.py"
    script.write_text(textwrap.dedent(SCRIPT))
    config = tmp_path / "mypy.ini"
    config.write_text(textwrap.dedent(f"""\
        [mypy]
        strict = True
        mypy_path = {SRC}
        cache_dir = {tmp_path / "cache"}
        [mypy-rnnlab.*]
        follow_imports = silent
        [mypy-pandas.*]
        follow_imports = silent
        ignore_errors = True
        ignore_missing_imports = True
        """))
    stdout, stderr, _ = api.run(["--config-file", str(config), str(script)])
    errors = [line for line in stdout.splitlines() if ": error:" in line]
    found = {int(re.match(r".*?:(\d+): error", line).group(1)) for line in errors}
    marked = {i for i, line in enumerate(textwrap.dedent(SCRIPT).splitlines(), start=1)
              if line.endswith("# E")}
    assert found == marked, f"{stdout}\n{stderr}"
