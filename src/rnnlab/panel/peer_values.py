"""The values NeuralForecast and Darts give the panel model's settings, said as ours when
refused: NeuralForecast's ``scaler_type='standard'`` (``scale='std'`` here; GluonTS's mean
scaling is ``anchor='mean_scale'``), its
``DistributionLoss('Normal')`` and Darts' ``GaussianLikelihood`` (``likelihood='gaussian'``).
Nothing is renamed on the way in: a setting holds one spelling, as saved models record it."""

from __future__ import annotations

from typing import Optional

SCALES = ("std", "robust")

# NeuralForecast's scaler_type values -> what they are here
_SCALER_TYPES = {
    "standard": "'standard' is 'std' here: mean and standard deviation",
    "minmax": "no min-max scaling here: 'std' or 'robust'",
    "minmax1": "no min-max scaling here: 'std' or 'robust'",
    "identity": "no unscaled series here (one network reads series of every size): 'std' "
                "or 'robust'",
    "invariant": "no arcsinh scaling here: 'robust' (median and MAD), or 'std'",
    "revin": "no learned (RevIN) scaling here: 'std' or 'robust'",
}
# DeepAR's per-window mean scaling (GluonTS's MeanScaler) is a window's frame here, not a
# series' scale: :mod:`.window_frame`
_MEAN = ("DeepAR's scaling of each window by 1 + its mean |z| is anchor='mean_scale' here "
         "(--anchor mean_scale), on top of scale='std' or 'robust'")
_SCALER_TYPES.update({"mean_scale": _MEAN, "mean": _MEAN, "meanscaler": _MEAN})

# NeuralForecast's DistributionLoss names and Darts' likelihood classes (lower case, no
# 'likelihood') -> ours
_DISTRIBUTIONS = {"normal": "gaussian", "gaussian": "gaussian", "studentt": "studentt",
                  "negativebinomial": "negbin", "negbin": "negbin"}
_COUNTS = ("poisson", "tweedie", "zeroinflatedpoisson", "zeroinflatednegativebinomial")


def scale_problem(value) -> Optional[str]:
    """None when ``value`` is a scale here, else the refusal, naming ours for a peer's."""
    if value in SCALES:
        return None
    said = _SCALER_TYPES.get(value.lower()) if isinstance(value, str) else None
    return (f"scale must be std | robust, got {value!r}"
            + (f" ({said})" if said else ""))


def likelihood_problem(value, known) -> Optional[str]:
    """None when ``value`` is None or one of ``known``, else the refusal, naming ours for
    NeuralForecast's ``DistributionLoss`` names and Darts' likelihood classes."""
    if value is None or value in known:
        return None
    key = value.lower().replace("_", "") if isinstance(value, str) else ""
    key = key[:-len("likelihood")] if key.endswith("likelihood") else key
    ours = _DISTRIBUTIONS.get(key)
    said = (f" ({value!r} is {ours!r} here)" if ours in known else
            " (counts are 'negbin' here, whose dispersion it fits: a Poisson is its limit)"
            if key in _COUNTS and "negbin" in known else "")
    return f"likelihood must be None or one of {tuple(known)}, got {value!r}{said}"
