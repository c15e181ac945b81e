"""A NeuralForecast or Darts user's fit shows Lightning's progress bar; GlobalForecaster's
fit in Python printed nothing (progress=False, the API's default) for the 30 s to minutes
it took, and the migration table of docs/panels.md did not say how to see it. Its row names
progress=True (tqdm's bar on a terminal) and progress="log" (a line on stderr where no
terminal is: a script's log); here the "log" claim is run as the row writes it."""

import re
from pathlib import Path

import pandas as pd

from rnnlab.panel import GlobalForecaster, read_panel

ROOT = Path(__file__).resolve().parents[1]


def _row() -> str:
    text = (ROOT / "docs/panels.md").read_text(encoding="utf-8")
    return next(line for line in text.splitlines()
                if line.startswith("| ") and "enable_progress_bar" in line)


def test_the_migration_table_names_the_progress_settings():
    row = _row()
    assert 'progress="log"' in row and "progress=True" in row and "--no-progress" in row


def test_progress_log_prints_training_lines_off_a_terminal(capsys):
    code = re.search(r"`(GlobalForecaster\([^`]*progress=\"log\"[^`]*\))`", _row()).group(1)
    panel = read_panel(pd.DataFrame({"unique_id": "a", "ds": pd.date_range(
        "2015-01-01", periods=60, freq="MS"), "y": [float(i % 12 + i) for i in range(60)]}))
    documented = eval(code, {"GlobalForecaster": GlobalForecaster})  # (as the row writes it)
    f = GlobalForecaster("lstm", lookback=12, horizon=6, epochs=1, batches_per_epoch=2,
                         hidden_size=4, head_size=4, progress=documented.config.progress)
    f.fit(panel)
    assert "training: ended" in capsys.readouterr().err
