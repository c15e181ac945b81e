"""Names of :mod:`rnnlab.nn` that the command line offers, torch-free, so that the parsers
and the configs that check them import no torch (``rnnlab.nn`` itself does):

* :data:`IMPLS`: the implementations a user may ask the recurrent layers to run on
  (``--impl``, ``TrainConfig.impl``, :func:`rnnlab.nn.paths.set_impl`);
  :mod:`rnnlab.nn.dispatch` decides what each one runs, and re-exports both tuples;
* :data:`ARCHITECTURE_NAMES`: rnnlab's own architectures, in the order of
  :data:`rnnlab.architecture_table.BUILT_INS` (the table the torch registry
  :data:`rnnlab.nn.registry.ARCHITECTURES` is built on), :data:`BIDIRECTIONAL_NAMES`
  those that read both ways, :data:`LOOP_MODELS` those on rnnlab's own loop
  (:func:`is_bidirectional` and :func:`reads_option` ask the registry itself about a
  name added to it at run time);
* :data:`SHAPE_READERS`: for each shape option (``depth``, ``width``, ``nonlinearity``,
  ``out_depth``), the architectures that read it (``rnnlab compare`` gives each compared
  model the options it reads).
"""

from .architecture_table import BUILT_INS, SHAPE_OPTIONS

IMPLS = ("auto", "fast", "triton", "triton-split", "triton-resident",
         "reference")  # set_impl, --impl
LOOP_IMPLS = ("fast", "triton", "triton-split", "triton-resident")  # how rnnlab's kernel runs
# read off the one table of rnnlab's own architectures (the torch registry is built on it)
ARCHITECTURE_NAMES = tuple(a.name for a in BUILT_INS)
BIDIRECTIONAL_NAMES = tuple(a.name for a in BUILT_INS if a.bidirectional)
# the shape options (ModelSpec's) and the architectures that read each (Architecture.options)
SHAPE_READERS = {o: tuple(a.name for a in BUILT_INS if o in a.options) for o in SHAPE_OPTIONS}
# the architectures on rnnlab's own loop, which LOOP_IMPLS choose the kernel of (the others
# run torch's fused kernel whatever those say; "reference" moves every one to the step loop)
LOOP_MODELS = tuple(a.name for a in BUILT_INS if a.loop)
# why a LOOP_IMPLS kernel asked for by name is refused under autocast (--precision
# bf16-mixed / 16-mixed): one wording for the layers (nn.impl_refusals.refuse_under_autocast)
# and the commands (unread_impl, before the run folder)
UNDER_AUTOCAST = ("rnnlab's kernels do not run under autocast (it casts op by op, the "
                  "kernels do not), so the step loop would run instead")


def unread_impl(impl: str, models, which: str, instead: str, precision: str = "32"):
    """Why ``impl`` would change nothing for ``models``, or None where it would: an impl of
    rnnlab's own loop (:data:`LOOP_IMPLS`) given where every model runs torch's fused
    kernel (the run recorded it and its speeds were --impl auto's), or under a mixed
    ``precision``, whose autocast no kernel of rnnlab's runs under (the step loop ran and
    was recorded as "reference": ``--impl fast --precision bf16-mixed`` trained a dt-rnn
    4x slower than fp32's kernel). ``which`` names the models in the message (``"--model
    lstm"``), ``instead`` says how to pick one that reads it (``"pick one of those with
    --model"``). One check for compare, forecast and lm train."""
    if impl not in LOOP_IMPLS:
        return None
    # (an architecture of one's own may hold any cell: the path it ran is recorded, not guessed)
    if not any(m in LOOP_MODELS or m not in ARCHITECTURE_NAMES for m in models):
        return (f"impl (--impl) {impl!r} chooses the kernel of rnnlab's own loop "
                f"({', '.join(LOOP_MODELS)}), and {which} runs torch's fused kernel whatever "
                f"it says; {instead}, give --impl reference for the step loop, or leave "
                f"--impl out")
    if precision not in (None, "32"):
        return (f"impl (--impl) {impl!r} chooses the kernel of rnnlab's own loop, and "
                f"--precision {precision} trains under autocast: {UNDER_AUTOCAST} (recorded "
                f"as --impl reference); give --precision 32 for the kernel, or leave --impl "
                f"out (auto: the step loop under autocast)")
    return None


def impl_under_autocast(impl: str, precision: str):
    """Why ``impl`` cannot train at ``precision``, in the Python API's words, or None
    where it can: a kernel of rnnlab's own loop asked for by name (:data:`LOOP_IMPLS`)
    with a mixed precision, whose autocast no kernel of rnnlab's runs under. The command
    line says it with its options (:func:`unread_impl`); ``TrainConfig`` says this (it
    took ``impl="fast", precision="bf16-mixed"`` and trained an lstm as if impl were
    "auto", or refused a dt-rnn only at the first step)."""
    if impl not in LOOP_IMPLS or precision in (None, "32"):
        return None
    return (f"impl={impl!r} with precision={precision!r}: impl {impl!r} asks for the kernel "
            f"of rnnlab's own loop by name, and precision {precision!r} trains under "
            f"autocast: {UNDER_AUTOCAST}. Give precision='32' for the kernel, or impl='auto' "
            f"(the kernel at precision '32', the step loop under autocast) or "
            f"impl='reference'")


def is_bidirectional(model: str) -> bool:
    """Whether the architecture ``model`` reads its input both ways; a name the registry
    does not know raises its ValueError (with the known names)."""
    if model in ARCHITECTURE_NAMES:
        return model in BIDIRECTIONAL_NAMES
    from .nn.registry import get_architecture

    return get_architecture(model).bidirectional


def reads_option(model: str, option: str) -> bool:
    """Whether the architecture ``model`` reads the shape option ``option`` (a key of
    :data:`SHAPE_READERS`): the table for rnnlab's own, the registry for one registered at
    run time (``rnnlab.nn.register_architecture``: its ``options``)."""
    if model in ARCHITECTURE_NAMES:
        return model in SHAPE_READERS[option]
    from .nn.registry import get_architecture

    return option in get_architecture(model).options


__all__ = ["IMPLS", "LOOP_IMPLS", "ARCHITECTURE_NAMES", "BIDIRECTIONAL_NAMES",
           "SHAPE_READERS", "LOOP_MODELS", "unread_impl", "impl_under_autocast",
           "is_bidirectional", "reads_option"]
