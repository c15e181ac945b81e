"""``rnnlab models``: the architectures of the registry with their parameter counts
(its parser: :mod:`rnnlab.models_cli`, torch-free)."""

from __future__ import annotations

from typing import List, Optional, Tuple

import torch

from ..io.errors import shown_name
from ..models_cli import register  # the command's parser
from .architectures import BUILT_IN
from .plugins import load_entry_points
from .registry import ARCHITECTURES, build_model, count_parameters


def run(args) -> int:
    load_entry_points()  # (installed packages' architectures listed too)
    rows: List[Tuple[str, int, Optional[int], str]] = []  # (name, layers, parameters, about)
    shape = {k: getattr(args, k, d) for k, d in (("depth", 2), ("width", None), ("out_depth", 1),
                                                 ("out_width", None))}
    for name, arch in ARCHITECTURES.items():
        layers = args.num_layers if args.num_layers is not None else arch.default_layers
        layers = max(layers, arch.min_layers)
        reads = {k: v for k, v in shape.items() if k in arch.options}
        if reads.get("depth") == 1 and ("out_depth" not in reads or reads.get("out_width")):
            reads.pop("width", None)  # no intermediate layer to shape
        try:
            with torch.device("meta"):  # shapes only: a count at hidden 100,000 allocated 160 GB
                model = build_model(name, input_size=args.input_size,
                                    hidden_size=args.hidden_size, num_layers=layers, **reads)
        except ValueError as e:  # (dts-rnn at depth 1): the others are still listed
            rows.append((name, layers, None, f"{arch.description} [{str(e).split(':')[0]}]"))
            continue
        except Exception as e:  # an installed package's build failing: listed, said, not fatal
            if name in BUILT_IN:
                raise
            rows.append((name, layers, None, f"{arch.description} [its build failed: "
                                             f"{shown_name(e)}: {str(e)[:80]}]"))
            continue
        rows.append((name, layers, count_parameters(model), arch.description))
    width = shape["width"] or args.hidden_size
    print(f"architectures at input_size={args.input_size}, hidden_size={args.hidden_size} "
          f"(deep ones: depth={shape['depth']}, width={width}; dot-rnn, dots-rnn: "
          f"out_depth={shape['out_depth']}, out_width={shape['out_width'] or width}):")
    counts = [("–" if n is None else f"{n:,}") for _, _, n, _ in rows]
    w = max(9, *(len(c) for c in counts))  # (wider counts broke the columns)
    print(f"{'name':<15} {'layers':>6} {'params':>{w}}  description")
    for (name, layers, _, desc), n in zip(rows, counts):
        print(f"{name:<15} {layers:>6} {n:>{w}}  {desc}")
    # (rnnlab compare's 'params' are larger: it counts the network its task trains)
    print("params: the recurrent layers only (dot-rnn's and dots-rnn's with their deep output "
          "MLP). A task adds its own layers (forecast: the linear head and the look-back skip; "
          "lm: the embedding and the output layer), and `rnnlab compare` counts that whole "
          "network.")
    return 0


__all__ = ["register", "run"]
