"""Building a module whose weights are about to be replaced, without drawing from torch's
global random number generator.

A load builds the saved model's network (each layer drawing its initial weights), then
reads the saved weights into it. Where a fit holds the process's RNG in another thread (a
service training in the background), the load's draws came out of that fit's stream and
changed its dropout masks and batch order. Within :class:`private_draws`, every operation
that draws (those torch tags ``nondeterministic_seeded``) draws from a generator of its
own instead; torch's dispatch modes are per thread, so other threads draw as before."""

from typing import Dict

import torch
from torch.utils._python_dispatch import TorchDispatchMode


class private_draws(TorchDispatchMode):
    """``with private_draws(): module = build()``: the initial weights come from private
    generators (one per device, seeded ``seed``); torch's global RNG states (CPU and CUDA)
    are not read or advanced."""

    @classmethod
    def _should_skip_dynamo(cls) -> bool:
        # torch wraps a dispatch mode's __torch_dispatch__ in torch._disable_dynamo, whose
        # first call imports torch._dynamo: 1.5 to 5 s (sympy and all) that every load of a
        # saved model paid (Forecaster.load, rnnlab lm generate), for a mode that runs
        # while a module is built, eagerly, never under torch.compile
        return False

    def __init__(self, seed: int = 0):
        super().__init__()
        self.seed = seed
        self.generators: Dict[torch.device, torch.Generator] = {}  # one a device

    def _generator(self, args, kwargs):
        found = next((a.device for a in args if isinstance(a, torch.Tensor)), None)
        device = torch.device(found or kwargs.get("device") or "cpu")
        if device.type == "meta":  # (nothing is drawn there)
            return None
        if device not in self.generators:
            self.generators[device] = torch.Generator(device=device).manual_seed(self.seed)
        return self.generators[device]

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        kwargs = dict(kwargs or {})
        if torch.Tag.nondeterministic_seeded in func.tags:
            generator = self._generator(args, kwargs)
            if generator is None:  # (the meta device: a tensor there has no values to draw;
                if _fills_its_input(func):  # torch's meta normal_ is Python that imports
                    return args[0]  # torch._dynamo, seconds of a CharLM's load)
            elif any(a.name == "generator" for a in func._schema.arguments):
                kwargs["generator"] = generator
            else:  # (randn, randperm, randint: an overload of their own takes a generator)
                name = func._overloadname
                twin = "generator" if name == "default" else f"{name}_generator"
                if twin in func.overloadpacket.overloads():
                    twin = getattr(func.overloadpacket, twin)
                    return twin(*args, generator=generator, **kwargs)
        return func(*args, **kwargs)


def _fills_its_input(func) -> bool:
    """Whether the op draws into its first argument in place (``normal_``, ``uniform_``):
    its shape, dtype and strides stay."""
    first = func._schema.arguments[:1]
    return bool(first) and first[0].alias_info is not None and first[0].alias_info.is_write
