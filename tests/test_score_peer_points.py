"""`rnnlab score --help` names NeuralForecast's and statsforecast's frames among the
forecasts it reads (a column per model: LSTM, LSTM-lo-80, ..., AutoETS), as README and
docs/panels.md say."""


def test_the_help_names_the_peers_frames(capsys, monkeypatch):
    # was: the forms of FORECAST listed ours only; --model's help alone named NeuralForecast
    from rnnlab.cli import main

    monkeypatch.setenv("COLUMNS", "300")
    main(["score", "--help"])
    said = " ".join(capsys.readouterr().out.split())
    assert "or NeuralForecast's or statsforecast's frame of a column per model) to the" in said
