"""``GlobalForecaster.plot("vis.png")``: the one-series ``Forecaster.plot(path)`` takes the
file first, and a panel model's first argument is the series to draw, so the file name was
read as an id: "series ['vis.png'] are not in the forecast ... pass ids" (or, for a model
reading future covariates, an error asking for ``future=``), with no word of ``path=``. A
name that looks like a file to write is refused first, naming ``plot(path=...)``; an id
that happens to look so is still drawn."""

import pytest

from rnnlab.io.errors import ConfigError
from rnnlab.panel import GlobalForecaster
from rnnlab.panel.forecast_plot import refuse_path_as_series


@pytest.mark.parametrize("name", ["vis.png", "out/forecast.pdf", "VIS.SVG"])
def test_model_plot_names_path_for_a_file_name(name):
    f = GlobalForecaster("lstm", future_covariates=("temp",))
    with pytest.raises(ConfigError, match=r"plot\(path=") as e:
        f.plot(name)
    assert repr(name) in str(e.value) and "series" in str(e.value)


def test_an_id_that_looks_like_a_file_is_drawn():
    refuse_path_as_series("a.png", ["a.png", "b"])  # an id of the model: no refusal
    refuse_path_as_series("NSWMetro", ["b"])        # not a file name: predict's own error
    refuse_path_as_series(["x.png"], ["b"])         # a list is ids
    refuse_path_as_series("NSW/Metro", ["b"])       # a keyed panel's id, no image suffix
    with pytest.raises(ConfigError, match=r"plot\(path='x.png'\)"):
        refuse_path_as_series("x.png", ["b"])
