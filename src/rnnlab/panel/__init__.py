"""Panels: many series, covariates, probabilistic global forecasters."""
