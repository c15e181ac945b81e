"""A YAML settings file for ``--config FILE.yaml`` (or ``.yml``): PyYAML's safe loader
(``yaml.SafeLoader``, the one ``yaml.safe_load`` uses: plain data, never Python objects),
from the extra ``pip install 'rnnlab[yaml]'``.

It is checked as a JSON or TOML file is: a key given twice in one mapping is refused (PyYAML
keeps the last one silently), so is nesting deeper than any option takes. Beyond them:
aliases that expand past :data:`MAX_NODES` values (a few lines can stand for billions) or
refer to themselves, and tags that make no option's value (``!!binary``, ``!!set``). Its
booleans are YAML 1.2's, ``true`` and ``false``: PyYAML's YAML 1.1 also reads unquoted
``on``, ``off``, ``yes`` and ``no`` as booleans, so ``cuda_graphs: off`` was ``false``, not
the choice ``off``; here they stay the text they are (a switch takes ``true``/``false``).
So do YAML 1.1's numbers that YAML 1.2 and the command line read otherwise: ``epochs: 010``
was octal 8 (``--epochs 010`` is 10), ``epochs: 1:30`` base 60, 90 (refused when typed);
the option's own parser reads their text, as typed. A date (``start: 2024-01-31``) is its
text, as typed on the command line.
"""

from __future__ import annotations

import datetime
import re
from pathlib import Path
from typing import Dict

from .io.errors import OptionError

MAX_NODES = 1_000_000  # values in one settings file, each alias counted as what it stands for
# characters of one YAML settings file (PyYAML's pure-Python parser takes minutes over the
# 64 MiB a JSON one may hold, and 20 s of CPU over 2 MiB; a settings file is a few hundred
# bytes, a run's record a few thousand: 256 KiB parse in about 2 s)
MAX_CHARS = 256 * 1024
_BOOL = "tag:yaml.org,2002:bool"
_STR = "tag:yaml.org,2002:str"
_NUMBER = ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float")
# YAML 1.1's octal (010) and base-60 (1:30, 1:30.5) numbers, not YAML 1.2's or Python's
_YAML11_NUMBER = re.compile(r"[-+]?(0_*[0-7][0-7_]*|[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?)")
_MERGE = "tag:yaml.org,2002:merge"
_PLAIN = (str, int, float, bool, type(None), list, dict)


def load_yaml(p: Path, text: str):
    """The data of the YAML document ``text`` (read from ``p``), or OptionError."""
    yaml = _module(p)
    if len(text) > MAX_CHARS:
        raise OptionError(f"--config {p}: {len(text)} characters, more than a YAML settings "
                          f"file holds ({MAX_CHARS}); give the file of the options (a data "
                          f"file is --data)")
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()  # (two documents: refused by PyYAML itself)
        if node is None:  # (comments only: no options, as an empty TOML file)
            return {}
        _refuse_merged_block(p, node, yaml)
        _check(p, node, yaml)
        data = loader.construct_document(node)
    except yaml.YAMLError as e:
        raise OptionError(f"--config {p}: not valid YAML ({_said(e)}); fix the file") from None
    finally:
        loader.dispose()
    return _plain(p, data)


def _module(p: Path):
    from .extras import MissingExtraError, require

    try:
        return require("yaml", "a YAML settings file (--config FILE.yaml)",
                       instead="give the settings as a .json or .toml file")
    except MissingExtraError as e:
        raise OptionError(f"--config {p}: {e}") from None


def _check(p: Path, root, yaml) -> None:
    """Refuse a key given twice and an alias that refers to itself or expands past
    :data:`MAX_NODES`; YAML 1.1's on/off/yes/no become text (walked without recursion)."""
    size: Dict[int, int] = {}  # id(node): the nodes under it, itself counted
    open_, stack = set(), [(root, False)]
    while stack:
        node, done = stack.pop()
        if id(node) in size:
            continue
        kids = _children(node, yaml)
        if done:
            open_.discard(id(node))
            size[id(node)] = 1 + sum(size[id(k)] for k in kids)
            if size[id(node)] > MAX_NODES:
                raise OptionError(f"--config {p}: its aliases stand for more than {MAX_NODES} "
                                  f"values, so not a settings file; write the options out")
            continue
        if any(id(k) in open_ for k in kids):
            raise OptionError(f"--config {p}: an alias (line {node.start_mark.line + 1}) "
                              f"refers to the value it is in; write the options out")
        open_.add(id(node))
        _own(p, node, yaml)
        stack.append((node, True))
        stack += [(k, False) for k in kids if id(k) not in size]


def _refuse_merged_block(p: Path, root, yaml) -> None:
    """A block kept under a key of its own for a top-level ``<<: *base`` to merge (docker
    compose's way of sharing settings): that key is read as an option too, and refused as
    a nested table, whose fix (unindent, drop the ``base:`` line) left ``*base`` undefined."""
    if not isinstance(root, yaml.MappingNode):
        return
    merged = set()
    for key, value in root.value:
        if isinstance(key, yaml.ScalarNode) and key.tag == _MERGE:  # (<<: *a, <<: [*a, *b])
            merged |= {id(n) for n in (value.value if isinstance(value, yaml.SequenceNode)
                                       else [value])}
    for key, value in root.value:
        if id(value) in merged and getattr(key, "tag", None) != _MERGE:
            raise OptionError(f"--config {p}: key {key.value!r} (line {key.start_mark.line + 1}"
                              f") holds the block that `<<` merges, and rnnlab reads every "
                              f"top-level key as an option; keep the shared options in a file "
                              f"of their own, given first (--config base.yaml --config "
                              f"{p.name}: merged in order, the later winning)")


def _children(node, yaml) -> list:
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    return list(node.value) if isinstance(node, yaml.SequenceNode) else []


def _own(p: Path, node, yaml) -> None:
    """One node's own checks: a mapping's keys each once; a YAML 1.1 boolean word or number
    as text."""
    if isinstance(node, yaml.ScalarNode):
        if node.tag == _BOOL and node.value.lower() not in ("true", "false"):
            node.tag = _STR
        elif node.tag in _NUMBER and node.style is None and _YAML11_NUMBER.fullmatch(
                node.value):
            node.tag = _STR
        return
    if not isinstance(node, yaml.MappingNode):
        return
    seen = set()
    for key, _ in node.value:
        if not isinstance(key, yaml.ScalarNode) or key.tag == _MERGE:
            continue  # (`<<: *base` merges another mapping: its keys may be overridden)
        if key.value in seen:
            raise OptionError(f"--config {p}: key {key.value!r} is given twice (line "
                              f"{key.start_mark.line + 1}); keep one of them")
        seen.add(key.value)


def _plain(p: Path, data):
    """``data`` with its dates as text; a value of another kind (bytes, a set) refused."""
    if isinstance(data, dict):
        return {k: _value(p, k, v) for k, v in data.items()}
    return data  # (not a mapping: refused by the caller, as a JSON file's array is)


def _value(p: Path, key, value):
    if isinstance(value, list):
        return [_value(p, key, v) for v in value]
    if isinstance(value, dict):  # (refused by the option it is given to, named in the words)
        return {_value(p, key, k): _value(p, key, v) for k, v in value.items()}
    if isinstance(value, (datetime.date, datetime.datetime)):
        return str(value)
    if not isinstance(value, _PLAIN):
        raise OptionError(f"--config {p}: key {key!r}: a YAML {type(value).__name__} value; "
                          f"an option takes a number, text, true/false or a list of them: "
                          f"fix the file")
    return value


def _said(e) -> str:
    """PyYAML's error in one line: what it found, and where."""
    problem = getattr(e, "problem", None) or str(e).splitlines()[0]
    context = getattr(e, "context", None) or ""
    if context.startswith("expected"):  # ("expected a single document ..., but found ...")
        problem = f"{context}, {problem}"
    mark = getattr(e, "problem_mark", None)
    where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
    return f"{problem}{where}"
