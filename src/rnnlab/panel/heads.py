"""Output heads: what the network predicts at each horizon step, and its loss.

Each head turns raw outputs ``out`` (B, H, P) into a forecast distribution in model
space (``scale`` (B, 1) is the series' scale, used by the count model only):

- :class:`PointHead`: one value, squared error.
- :class:`QuantileHead`: Q quantiles, monotone by construction,
  q_1 = a_1, q_j = q_{j-1} + softplus(a_j), trained with the pinball loss
  rho_tau(e) = max(tau e, (tau - 1) e), e = y - q_tau, averaged over levels.
- :class:`GaussianHead`: N(mu, sigma^2), sigma = softplus(a) + eps; negative log-likelihood.
- :class:`StudentTHead`: t_nu(mu, sigma), nu = 2 + softplus(a) (finite variance).
- :class:`NegBinHead`: counts y = z * scale ~ NB(mean m, dispersion alpha),
  m = scale * softplus(a_1), total count r = 1 / alpha, alpha = softplus(a_2);
  Var y = m + alpha m^2.

Parametric heads draw samples (n, B, H); quantiles and the mean are then read from the
samples after the inverse transform, so they stay exact through log and differencing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Sequence, Union

import torch
from torch import Tensor, nn
from torch.distributions import NegativeBinomial, Normal, StudentT
from torch.nn.functional import softplus

EPS = 1e-3


class PointHead(nn.Module):
    n_params = 1
    parametric = False

    def loss(self, out: Tensor, target: Tensor, scale: Tensor) -> Tensor:
        return nn.functional.mse_loss(out[..., 0], target)

    def point(self, out: Tensor, scale: Tensor) -> Tensor:
        return out[..., 0]  # (B, H)


class QuantileHead(nn.Module):
    parametric = False
    # (Q,) the levels, a buffer. Declared for checkers only: torch.jit.script reads a
    # class's annotations and cannot resolve this one's string "Tensor"
    if TYPE_CHECKING:
        tau: Tensor

    def __init__(self, levels: Sequence[float]):
        super().__init__()
        self.levels = tuple(float(v) for v in levels)
        self.n_params = len(self.levels)
        self.register_buffer("tau", torch.tensor(self.levels), persistent=False)

    def quantiles(self, out: Tensor) -> Tensor:
        """(B, H, Q) non-decreasing along Q whatever the raw outputs."""
        if out.shape[-1] == 1:
            return out
        steps = softplus(out[..., 1:])  # (B, H, Q-1) >= 0
        return torch.cat([out[..., :1], out[..., :1] + torch.cumsum(steps, dim=-1)], dim=-1)

    def loss(self, out: Tensor, target: Tensor, scale: Tensor) -> Tensor:
        e = target.unsqueeze(-1) - self.quantiles(out)  # (B, H, Q)
        return torch.maximum(self.tau * e, (self.tau - 1) * e).mean()

    def point(self, out: Tensor, scale: Tensor) -> Tensor:
        """The median: level 0.5, else read linearly between the levels either side of it
        (the levels' mean was taken: (0.2, 0.3, 0.9) gave a point well below the median;
        levels all on one side are refused by PanelConfig)."""
        q = self.quantiles(out)
        if 0.5 in self.levels:
            return q[..., self.levels.index(0.5)]
        below = [i for i, v in enumerate(self.levels) if v < 0.5]
        above = [i for i, v in enumerate(self.levels) if v > 0.5]
        if not below or not above:  # (PanelConfig refuses such levels; a head made alone)
            return q.mean(dim=-1)
        lo, hi = below[-1], above[0]
        w = (0.5 - self.levels[lo]) / (self.levels[hi] - self.levels[lo])
        return q[..., lo] + w * (q[..., hi] - q[..., lo])


class _Parametric(nn.Module):
    parametric = True
    exp_mean = True  # whether e^X has a mean: the data's mean of a series modelled in logs
    if TYPE_CHECKING:  # (each distribution's own count; for checkers only, as tau above)
        n_params: int

    def dist(self, out: Tensor, scale: Tensor):
        raise NotImplementedError

    def loss(self, out: Tensor, target: Tensor, scale: Tensor) -> Tensor:
        return -self.dist(out, scale).log_prob(self._observed(target, scale)).mean()

    def _observed(self, target: Tensor, scale: Tensor) -> Tensor:
        return target

    def sample(self, out: Tensor, n: int, scale: Tensor, draws=None) -> Tensor:
        """(n, B, H) model-space samples (marginal per step: the direct strategy); with
        ``draws`` (:class:`~rnnlab.panel.series_draws.SeriesDraws`) each series' from its
        own generator, else from torch's."""
        if draws is None:
            return self.dist(out, scale).sample((n,))
        return self.draw(out, n, scale, draws)

    def draw(self, out: Tensor, n: int, scale: Tensor, draws) -> Tensor:
        raise NotImplementedError

    def point(self, out: Tensor, scale: Tensor) -> Tensor:
        return self.dist(out, scale).mean


class GaussianHead(_Parametric):
    n_params = 2

    def dist(self, out, scale):
        return Normal(out[..., 0], softplus(out[..., 1]) + EPS)

    def draw(self, out, n, scale, draws):
        d = self.dist(out, scale)
        return d.loc + d.scale * draws.normal((n, *d.loc.shape))  # (n, B, H)


class StudentTHead(_Parametric):
    n_params = 3
    exp_mean = False  # E e^X is infinite for a t (its tail is polynomial): see forecast_table

    def dist(self, out, scale):
        return StudentT(2.0 + softplus(out[..., 2]), out[..., 0], softplus(out[..., 1]) + EPS)

    def draw(self, out, n, scale, draws):
        # t = x / sqrt(chi2_nu / nu), chi2_nu = 2 Gamma(nu / 2): torch's StudentT.rsample
        d = self.dist(out, scale)
        shape = (n, *d.loc.shape)
        chi2 = 2 * draws.gamma((0.5 * d.df).expand(shape))
        return d.loc + d.scale * draws.normal(shape) * torch.rsqrt(chi2 / d.df)  # (n, B, H)


class NegBinHead(_Parametric):
    n_params = 2

    def dist(self, out, scale):
        mean = scale * (softplus(out[..., 0]) + EPS)  # (B, H) in counts
        r = 1.0 / (softplus(out[..., 1]) + EPS)
        return NegativeBinomial(total_count=r, logits=torch.log(mean) - torch.log(r),
                                validate_args=False)

    def _observed(self, target, scale):
        return target * scale  # back to counts

    def sample(self, out, n, scale, draws=None):
        if draws is None:
            return self.dist(out, scale).sample((n,)) / scale  # model space: counts / scale
        return self.draw(out, n, scale, draws)

    def draw(self, out, n, scale, draws):
        # a gamma-Poisson mixture, as torch's NegativeBinomial.sample: rate ~ Gamma(r, e^-logit)
        d = self.dist(out, scale)
        shape = (n, *d.logits.shape)
        rate = draws.gamma(d.total_count.expand(shape)) * torch.exp(d.logits)
        return draws.poisson(rate) / scale  # model space: counts / scale

    def point(self, out, scale):
        return softplus(out[..., 0]) + EPS


Head = Union[PointHead, QuantileHead, _Parametric]  # what PanelNet predicts through


def make_head(quantiles, likelihood) -> Head:
    if likelihood is not None:
        return {"gaussian": GaussianHead, "studentt": StudentTHead,
                "negbin": NegBinHead}[likelihood]()
    return QuantileHead(quantiles) if quantiles else PointHead()
