"""The forecasts ``select`` (``--select``) chooses among, numpy-free, so that the config
that checks it and the parsers that offer it (``rnnlab compare --help``) import no numpy;
:mod:`.selection` scores and chooses them."""

# preference on a tie: the simpler forecast first
CANDIDATES = ("seasonal_naive", "naive", "drift", "linear_ar", "linear_ar0", "arma",
              "weighted", "combined", "blend", "network")
SELECTS = ("auto",) + CANDIDATES

__all__ = ["CANDIDATES", "SELECTS"]
