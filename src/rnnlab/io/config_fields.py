"""A saved model's settings read back: the ``config`` (or ``train_config``) object of a
``model.json`` checked against its dataclass (unknown keys, wrong types, an architecture
this process does not know are refused) before a config is built from it. No torch: the
command-line parsers read configs."""

from __future__ import annotations

from .errors import CheckpointError


def config_fields(cls, data: dict, source) -> dict:
    """Validate a JSON dict against a dataclass: unknown keys and wrong types are refused."""
    import dataclasses
    import typing

    from ..number_kinds import fits_hint, hint_words

    if not isinstance(data, dict):  # ("train_config": true: a TypeError iterating it)
        raise CheckpointError(f"{source}: expected an object of {cls.__name__} settings, found "
                              f"{type(data).__name__} {str(data)[:40]}; the file was edited "
                              f"or damaged: restore it from a copy, or train again")
    hints = typing.get_type_hints(cls)
    names = {f.name for f in dataclasses.fields(cls)}
    unknown = sorted(set(data) - names)
    if unknown:
        raise CheckpointError(f"{source}: unknown config keys {unknown} for {cls.__name__}")
    for k, v in data.items():
        if not fits_hint(v, hints[k]):  # (the check of a config made in Python: lm's check_types)
            raise CheckpointError(f"{source}: config key {k!r} should be {hint_words(hints[k])}, "
                                  f"got {type(v).__name__} {v!r}")
    if "model" in names and isinstance(data.get("model"), str):
        _refuse_unknown_architecture(data["model"], source)
    return data


def _refuse_unknown_architecture(name: str, source) -> None:
    """A model saved with an architecture this process does not know (one of the user's
    own, whose module was not imported): said as that, not as a damaged file. A saved
    model holds the name and the weights, never the code that builds it."""
    from ..nn.architectures import OWN_HINT, get_architecture
    from ..nn.registry import ARCHITECTURES

    try:
        get_architecture(name)
    except ValueError:
        raise CheckpointError(
            f"{source}: the model was saved with the architecture {name!r}, which is not "
            f"registered in this process (known: {', '.join(ARCHITECTURES)}); a saved model "
            f"holds its architecture's name and weights, not its code: {OWN_HINT}") from None
