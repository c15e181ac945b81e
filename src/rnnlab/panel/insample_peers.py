"""The keywords of Darts' ``historical_forecasts`` (and of ``predict``) given to
:meth:`~rnnlab.panel.model.GlobalForecaster.predict_insample`: what does their work here,
for :func:`~rnnlab.panel.peer_arguments.refuse_peer_arguments`."""

# predict_insample given the names of Darts' historical_forecasts(series, forecast_horizon=,
# stride=, retrain=False, last_points_only=) or of predict's: Python's bare TypeError said
# nothing of step_size (the forecast after each cutoff is the model's whole horizon)
INSAMPLE = {
    "stride": "step_size=", "series": "history= (the first argument)",
    "df": "history= (the first argument)",
    **dict.fromkeys(("forecast_horizon", "h", "n", "horizon"),
                    "the model's horizon, set when it is created: each cutoff's steps "
                    "(the step column) up to it"),
    "retrain": "the fitted weights, never fitted again; a backtest fits at each origin: "
               "f.backtest(panel, refit=1)",
    "last_points_only": "each cutoff's whole horizon; its last steps: "
                        "fitted[fitted['step'] == f.config.horizon]",
    "start": "the first cutoff with a full look-back before it; later ones: "
             "fitted[fitted['cutoff'] >= start]",
    **dict.fromkeys(("future", "futr_df"),
                    "the panel's own columns (each cutoff's steps' future covariates; those "
                    "past a series' end reach no step kept)"),
}
