"""The variational dropout options of the configs that choose a model (``LMConfig``,
``ForecastConfig``, ``PanelConfig``, ``CompareConfig``): ``input_dropout`` and
``recurrent_dropout``, passed to the model's :class:`~rnnlab.nn.registry.ModelSpec`
(:mod:`rnnlab.nn.variational` applies them). Torch-free, as the configs are: their help,
their checks (each a typed error naming the option, its flag and the valid range) and the
refusal of a kernel impl forced with ``recurrent_dropout`` (no kernel takes its mask: the
step loop trains then, path "reference")."""

from __future__ import annotations

from typing import Optional, TypedDict

from .io.errors import ConfigError, ConfigTypeError
from .number_kinds import is_real

RATES = ("input_dropout", "recurrent_dropout")
INPUT_DROPOUT_HELP = ("variational dropout on each recurrent layer's input x_t in training: "
                      "the fraction of its features dropped, one mask per sequence kept for "
                      "every step (Keras' cell dropout); in [0, 1)")
RECURRENT_DROPOUT_HELP = ("variational dropout on h_(t-1) where it enters the recurrent "
                          "weights in training, one mask per sequence (Keras' "
                          "recurrent_dropout, AWD-LSTM-style); in [0, 1); training then runs "
                          "the step loop (path reference: slower than the kernels), "
                          "evaluation is unchanged")
KERNEL_FREE = ("auto", "reference")  # the impls that run the step loop when h is masked


class Rates(TypedDict):
    """The keywords :func:`rates_of` gives (typed, so ``**rates_of(cfg)`` is checked)."""

    input_dropout: float
    recurrent_dropout: float


def rates_of(owner) -> Rates:
    """``owner``'s rates (a config's, a ModelSpec's) as keywords, ``{"input_dropout": p,
    "recurrent_dropout": q}``: the one route from a config to its ModelSpec and from a
    spec to each layer (``**rates_of(cfg)``), none copied by hand."""
    return Rates(input_dropout=owner.input_dropout, recurrent_dropout=owner.recurrent_dropout)


def flag_of(name: str) -> str:
    """``--recurrent-dropout`` for ``recurrent_dropout``."""
    return "--" + name.replace("_", "-")


def check_rates_of(cfg) -> None:
    """``cfg.input_dropout`` and ``cfg.recurrent_dropout`` each a number in [0, 1), else a
    ConfigTypeError (not a number) or ConfigError (out of range) naming the config, the
    option and its flag; NumPy numbers become floats (JSON writes them). A config with an
    ``impl`` of its own has it checked against ``recurrent_dropout`` too."""
    owner = type(cfg).__name__
    for name in RATES:
        p = getattr(cfg, name)
        if not is_real(p):
            raise ConfigTypeError(f"{owner}: {name} ({flag_of(name)}) must be a number in "
                                  f"[0, 1), got {type(p).__name__} {p!r}")
        if not 0.0 <= p < 1.0:  # (NaN fails both)
            raise ConfigError(f"{owner}: {name} ({flag_of(name)}) must be in [0, 1) (the "
                              f"fraction of features dropped), got {p!r}; give e.g. 0.25, "
                              f"or 0 for none")
        object.__setattr__(cfg, name, float(p))
    impl = getattr(cfg, "impl", None)
    if isinstance(impl, str):
        refuse_kernel_impl(owner, cfg.recurrent_dropout, impl)


def kernel_impl_problem(recurrent_dropout: float, impl: str) -> Optional[str]:
    """Why ``impl`` cannot train with ``recurrent_dropout`` (one other than auto / reference
    with a rate above 0: no kernel takes the mask on h_(t-1), and training without it
    would train another model than the one recorded), or None where it can."""
    if not (recurrent_dropout > 0 and impl not in KERNEL_FREE):
        return None
    return (f"impl (--impl) {impl!r} runs a kernel, which takes no recurrent_dropout "
            f"mask; with recurrent_dropout (--recurrent-dropout) {recurrent_dropout} training "
            f"runs the step loop (path 'reference', slower): give --impl auto or reference, "
            f"or recurrent_dropout 0")


def refuse_kernel_impl(owner: str, recurrent_dropout: float, impl: str) -> None:
    """:func:`kernel_impl_problem` raised as a ConfigError (a ValueError: two settings that
    do not go together, a usage error on the command line, exit status 2, as ``--impl
    fast`` with ``--model lstm`` is), before anything trains."""
    problem = kernel_impl_problem(recurrent_dropout, impl)
    if problem:
        raise ConfigError(f"{owner}: {problem}")
