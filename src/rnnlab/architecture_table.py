"""rnnlab's own architectures, declared torch-free: the one table of their names,
descriptions, layer counts, directions, the shape options each reads and whether it runs
on rnnlab's own loop. Both readers take it from here: :mod:`rnnlab.names` (the command
line's choices and checks, which import no torch) and :mod:`rnnlab.nn.architectures`
(the torch registry, which adds each one's body). A new architecture is one row here and
one body there; tests/test_architecture_table.py checks that the two agree and that each
row says what its body does."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Tuple

# ModelSpec's shape options
SHAPE_OPTIONS = ("depth", "width", "nonlinearity", "out_depth", "out_width")
VANILLA = ("nonlinearity",)  # the shape options each family reads
DEEP = ("depth", "width", "nonlinearity")
DEEP_OUTPUT = ("out_depth", "out_width")  # dot-rnn's and dots-rnn's deep output


@dataclass(frozen=True)
class BuiltIn:
    """One of rnnlab's own architectures, as the command line and the registry know it
    (the fields :class:`rnnlab.nn.architectures.Architecture` shares, less its body)."""

    name: str  # what build_model, --model and saved models call it
    description: str  # one line, as `rnnlab models` prints it
    options: Tuple[str, ...] = ()  # the SHAPE_OPTIONS its body reads (others are refused)
    default_layers: int = 1  # num_layers when the spec leaves it None
    min_layers: int = 1  # fewer is refused
    bidirectional: bool = False  # reads both ways: an encoder, refused as a next-step model
    # runs on rnnlab's own loop (no torch kernel): the impls "fast" and "triton*" choose
    # its kernel; the others run torch's fused kernel whatever those say
    loop: bool = False


_PASCANU = "(Pascanu 2014)"
BUILT_INS: Tuple[BuiltIn, ...] = (
    BuiltIn("rnn", "vanilla (Elman) RNN, h_t = tanh(W x_t + U h_{t-1} + b)", VANILLA),
    BuiltIn("drnn", "stacked vanilla RNN (the articles' DRNN, Pascanu et al.'s sRNN)", VANILLA,
            default_layers=2, min_layers=2),
    BuiltIn("brnn", "bidirectional vanilla RNN (reads a whole window both ways: an encoder, "
                    "never a next-step model of its own input)", VANILLA, bidirectional=True),
    BuiltIn("gru", "GRU, torch's form (reset gate after the product)"),
    BuiltIn("gru-cho", "GRU, Cho et al.'s form (reset gate before the product)", loop=True),
    BuiltIn("bigru", "bidirectional GRU", bidirectional=True),
    BuiltIn("lstm", "LSTM (gates i, f, g, o; memory cell c)"),
    BuiltIn("bilstm", "bidirectional LSTM", bidirectional=True),
    BuiltIn("dt-rnn", f"deep-transition RNN: an MLP from (h_{{t-1}}, x_t) to h_t {_PASCANU}",
            DEEP, loop=True),
    BuiltIn("dts-rnn", f"deep-transition RNN with shortcut connections, DT(S)-RNN {_PASCANU}",
            DEEP, loop=True),
    BuiltIn("dot-rnn", f"deep transition + deep output MLP, DOT-RNN {_PASCANU}",
            DEEP + DEEP_OUTPUT, loop=True),
    BuiltIn("dots-rnn", "DT(S) transition + deep output MLP, DOT(S)-RNN (Pascanu 2014's "
                        "experiments)", DEEP + DEEP_OUTPUT, loop=True),
    BuiltIn("stacked-dt-rnn", "stacked DT-RNNs: several time scales and deep transitions", DEEP,
            default_layers=2, min_layers=2, loop=True),
)

__all__ = ["BUILT_INS", "BuiltIn", "DEEP", "SHAPE_OPTIONS", "VANILLA"]
