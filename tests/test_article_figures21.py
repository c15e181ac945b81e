"""Figures docs/articles.md gives with the code that measures them: the code, run as the
page writes it, gives the figure (within the last digit the CPU's kernels move, as the
page says at its top)."""

import dataclasses
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _flat(doc: str) -> str:
    return " ".join((ROOT / doc).read_text(encoding="utf-8").split())


@pytest.mark.slow  # (one seed of the E2 recipe without its linear map: a few seconds)
def test_e2_linear_head_alone_figures_are_what_the_pages_code_gives():
    # the page said `.evaluate()` gives them: its table is of one 43-step forecast (119.7
    # for seed 0), the figures are its one-step RMSEs, which the recipe reports
    import torch

    from rnnlab import Forecaster
    from rnnlab.compare import get_recipe
    from rnnlab.compare.matching import forecast_config

    said = re.search(r"`linear_skip=False` in the `ForecastConfig` that "
                     r"`rnnlab\.compare\.matching\.forecast_config` builds, then "
                     r"`Forecaster\(config=\.\.\.\)\.fit\('airline'\)\.evaluate\(\)"
                     r"\[\"one_step\"\]\[\"model\"\]\[\"rmse\"\]`.*? the same seeds score "
                     r"([\d.]+), ([\d.]+) and ([\d.]+)\.", _flat("docs/articles.md"))
    assert said, "docs/articles.md: the E2 linear-head sentence moved"
    torch.set_num_threads(1)
    [cfg] = get_recipe("e2-lookback2-lstm").configs().values()
    fc = dataclasses.replace(forecast_config(cfg, "lstm", cfg.hidden_size, cfg.seeds[0]),
                             linear_skip=False)
    ev = Forecaster(config=fc).fit("airline").evaluate()
    assert ev["one_step"]["model"]["rmse"] == pytest.approx(float(said.group(1)), abs=0.15)
