"""Forecasting panels: many related series, covariates, prediction intervals and backtests."""
