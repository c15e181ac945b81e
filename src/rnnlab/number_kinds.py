"""What kind of number (or value) a setting holds, as the checks of settings ask it
(standard library only: the torch-free and numpy-free commands use it too).

Python's ``bool`` is an ``int`` (``True + 1 == 2``), so ``isinstance(v, int)`` takes
``batch_size=True``; numpy's integers are not ``int``, so it refuses ``np.int64(4)``. The
number ABCs take numpy's scalars; the bool is left out by hand.
"""

from __future__ import annotations

import numbers
from typing import TypeGuard


def is_whole(v) -> TypeGuard[int]:
    """An integer (Python's or numpy's), not a bool. (A checker then reads ``v`` as an int:
    numpy's integers compare and count as Python's do.)"""
    return isinstance(v, numbers.Integral) and not isinstance(v, bool)


def is_real(v) -> bool:
    """A real number (int, float, numpy's), not a bool."""
    return isinstance(v, numbers.Real) and not isinstance(v, bool)


def is_whole_valued(v) -> bool:
    """A whole number, or a real one of whole value (36.0, as division gives a count);
    not 8.5, NaN, inf or a bool."""
    return is_whole(v) or (is_real(v) and float(v).is_integer())


_WORDS = {int: "a whole number (int)", float: "a number", str: "a str", bool: "True or False"}


def fits_hint(v, hint) -> bool:
    """Whether ``v`` is of a config field's type ``hint``, as every config check asks it:
    ``int`` a whole number and ``float`` a real one (:func:`is_whole`, :func:`is_real`:
    numpy's too, never a bool), ``bool`` and ``str`` themselves, ``Optional[X]`` and
    other unions one of theirs, a list or tuple type a list or tuple, a dict type a
    dict, another class its instances; any other hint takes anything."""
    import typing

    members = _union_members(hint)
    if members:
        return any(fits_hint(v, a) for a in members)
    origin = typing.get_origin(hint)
    if hint is type(None):
        return v is None
    if hint is int:
        return is_whole(v)
    if hint is float:
        return is_real(v)
    if origin in (list, tuple):
        return isinstance(v, (list, tuple))
    if origin is dict:
        return isinstance(v, dict)
    return isinstance(v, hint) if isinstance(hint, type) else True


def scalar_of(hint):
    """(``int``, ``float``, ``str`` or ``bool``, whether None is allowed too) of a field's
    hint, ``Optional`` unwrapped; (None, ...) for any other type."""
    args = _union_members(hint)
    base = next((a for a in args if a is not type(None)), hint)
    return (base if base in _WORDS else None), type(None) in args


def _union_members(hint) -> tuple:
    """The members of ``Optional[X]``, ``Union[...]`` or ``X | None``; () for other hints."""
    import types
    import typing

    origin = typing.get_origin(hint)
    union = origin is typing.Union or origin is types.UnionType  # (Python >= 3.10)
    return typing.get_args(hint) if union else ()


def hint_words(hint) -> str:
    """A scalar field's type in words: "a whole number (int) or None"."""
    base, optional = scalar_of(hint)
    return _WORDS.get(base, str(hint)) + (" or None" if optional else "")
