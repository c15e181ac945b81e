"""The peers' save/load arguments (NeuralForecast's save_dataset=, torch's and Darts'
map_location=) refused naming what does their work here, not Python's bare TypeError."""

import pytest

from rnnlab.io.errors import ConfigTypeError


def test_global_load_map_location_says_the_model_is_rebuilt_on_the_cpu(tmp_path):
    from rnnlab.panel import GlobalForecaster

    with pytest.raises(ConfigTypeError, match=r"^GlobalForecaster\.load\(\) got unexpected "
                       r"keyword argument 'map_location' \(here: nothing to map: a "
                       r"GlobalForecaster is rebuilt on the CPU.*it takes path$"):
        GlobalForecaster.load(tmp_path, map_location="cpu")  # (before the folder is read)
    with pytest.raises(TypeError, match=r"'device' \(here: nothing to map"):
        GlobalForecaster.load(tmp_path, device="cpu")


def test_global_save_dataset_says_what_the_folder_keeps(tmp_path):
    from rnnlab.panel import GlobalForecaster

    with pytest.raises(ConfigTypeError, match=r"^GlobalForecaster\.save\(\) got unexpected "
                       r"keyword argument 'save_dataset' \(here: each series' tail, what "
                       r"predict reads, is saved always.*it takes path and overwrite=$"):
        GlobalForecaster().save(tmp_path / "m", save_dataset=True)
    assert not (tmp_path / "m").exists()


def test_one_series_load_map_location_names_device(tmp_path):
    from rnnlab.forecast import Forecaster

    with pytest.raises(ConfigTypeError, match=r"^Forecaster\.load\(\) got unexpected keyword "
                       r"argument 'map_location' \(here: device= \(Forecaster\.load\(path, "
                       r"device='cuda'\)\)\); it takes path and device=$"):
        Forecaster.load(tmp_path, map_location="cpu")
    with pytest.raises(ConfigTypeError, match=r"^Forecaster\.save\(\) got unexpected keyword "
                       r"arguments 'save_dataset' \(here: the series is saved always.*; "
                       r"'foo'; it takes path and overwrite=$"):
        Forecaster().save(tmp_path / "m", save_dataset=True, foo=1)
