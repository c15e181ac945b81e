"""``-`` as an input file: standard input, as the filters of a pipeline read it.

``cat text.txt | rnnlab lm eval --run DIR --text -`` and ``... | rnnlab forecast --run DIR
--data -`` (or ``--future -``) read standard input: it is copied into a temporary file (the
readers sniff, seek and read a file more than once), removed when the command ends; so is
a named pipe given there (``--data <(zcat new.csv.gz)``, which the readers refuse as "not
a regular file"). A command that writes a run directory (``forecast --data -``, ``lm train
--corpus -``, ``backtest``, ``compare``, ``lm prepare -``) records where its data came
from, to resume and rerun it, and standard input cannot be read again: what it held is
kept in the cache, named by its content (:mod:`rnnlab.io.kept_input`), and the run reads
and records that file (was refused: "save it to a file first").
"""

from __future__ import annotations

import re
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, List, Optional

from .errors import DataError, OptionError

STDIN = "-"
# the options that name a file read, and the suffix of the file standard input is copied to
INPUT_OPTIONS = {"data": ".csv", "corpus": ".txt", "text": ".txt", "val_text": ".txt",
                 "val_data": ".csv", "static_data": ".csv", "future_data": ".csv",
                 "actuals": ".csv", "forecast": ".csv"}  # (rnnlab score's)
POSITIONAL = {"forecast": "FORECAST"}  # an input typed without a flag: named as its usage does
MAX_STDIN_BYTES = 1024 ** 3  # as rnnlab.data.text's MAX_CORPUS_BYTES
READS_STDIN = ("the input options: `--data -` (forecast, backtest, compare), `lm train "
               "--corpus -`, `lm prepare -`, `lm eval --text -`, `lm generate --prefix -`, "
               "`score - --actuals FILE`, `score FORECAST --actuals -`")


def stdin_options(args) -> List[str]:
    """The input options given as ``-``."""
    return [name for name in INPUT_OPTIONS if getattr(args, name, None) == STDIN]


def _reads_only(args, name: str) -> bool:
    """Whether the command parsed reads ``name`` and writes no run directory."""
    if args.command == "lm":
        return getattr(args, "lm_command", None) == "eval" and name == "text"
    if args.command == "score":
        return True  # (it writes no run directory)
    return args.command == "forecast" and bool(getattr(args, "run", None)) \
        and name in ("data", "future_data")


def stdin_refusal(args) -> Optional[str]:
    """What is wrong with ``-`` where it is given (a usage error), else None."""
    names = stdin_options(args)
    if len(names) > 1:
        flags = [_flag(n) for n in names]
        return (f"{' and '.join(flags)} are all '-' (standard input), which can be read "
                f"once: save all but one of them to files and pass their paths")
    return None


def read_stdin(flag: str) -> bytes:
    """Standard input's bytes, refused when it is a terminal (the command would wait for
    typing), empty, or larger than MAX_STDIN_BYTES."""
    stream = sys.stdin
    if stream is None or stream.isatty():  # (a usage error: the pipe was forgotten)
        raise OptionError(f"{flag} -: standard input is a terminal, not a pipe; pipe the input "
                        f"in (`cat FILE | rnnlab ...`) or pass the file's path")
    data = getattr(stream, "buffer", stream).read(MAX_STDIN_BYTES + 1)
    data = data.encode("utf-8") if isinstance(data, str) else data
    if not data:
        raise DataError(f"{flag} -: standard input is empty; pipe the file in "
                        f"(`cat FILE | rnnlab ...`) or pass its path")
    return _capped(data, f"{flag} -: standard input")


PIPE_WAIT_SECONDS = 20.0  # for a writer to open a named pipe (mkfifo's, none yet: a hang)


def _read_pipe(path: str, flag: str) -> bytes:
    """A named pipe's bytes (``<(zcat new.csv.gz)`` is ``/dev/fd/63``), capped; a pipe no
    program writes to within PIPE_WAIT_SECONDS is refused (reading it blocked forever)."""
    import os
    import select

    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)  # (a blocking open waits for a writer)
    with open(fd, "rb", closefd=True) as f:
        waiting = select.poll()
        waiting.register(fd, select.POLLIN | select.POLLHUP)
        if not waiting.poll(int(PIPE_WAIT_SECONDS * 1000)):
            raise DataError(f"{flag} {path}: a named pipe no program wrote to in "
                            f"{PIPE_WAIT_SECONDS:g} s; start the program that writes it first "
                            f"(`cat FILE > {path} &`), or pass a file's path")
        os.set_blocking(fd, True)
        return _capped(f.read(MAX_STDIN_BYTES + 1), f"{flag} {path}: the pipe")


def _capped(data: bytes, what: str) -> bytes:
    """``data`` (read with one byte over the cap), refused when it holds more than
    MAX_STDIN_BYTES."""
    if len(data) > MAX_STDIN_BYTES:
        raise DataError(f"{what} holds more than {MAX_STDIN_BYTES:,} bytes; refused (save it "
                        f"to a file and pass its path)")
    return data


def pipe_options(args) -> List[str]:
    """The input options given as a named pipe (the readers refuse one: "not a regular file
    (a device, pipe or socket)"; read once, it is copied too)."""
    import os
    import stat

    named = []
    for name in INPUT_OPTIONS:
        value = getattr(args, name, None)
        if isinstance(value, str) and value != STDIN:
            try:
                if stat.S_ISFIFO(os.stat(value).st_mode):
                    named.append(name)
            except (OSError, ValueError):  # (no such path: the reader says so)
                pass
    return named


@contextmanager
def stdin_inputs(args) -> Iterator[None]:
    """Within it, the input option given as ``-`` (or as a named pipe) names a copy of what
    it reads: a temporary one, removed at the end, where the command only reads it; else
    one kept, which the run records (:func:`rnnlab.io.kept_input.keep_input`)."""
    copied = stdin_options(args) + pipe_options(args)
    if not copied or getattr(args, "print_config", False):  # (it runs nothing: `-` as typed)
        yield
        return
    typed = {name: getattr(args, name) for name in copied}
    args.copies = {}  # copy -> the path typed (as_typed)
    with tempfile.TemporaryDirectory(prefix="rnnlab-stdin-") as folder:
        try:
            for name in copied:
                path = _copy(args, name, typed[name], Path(folder))
                setattr(args, name, str(path))
                args.copies[str(path)] = typed[name]
            yield
        finally:
            for name, value in typed.items():
                setattr(args, name, value)


def _copy(args, name: str, typed: str, folder: Path) -> Path:
    """The file that holds what option ``name`` (typed as ``typed``) reads."""
    flag = _flag(name)
    data = read_stdin(flag) if typed == STDIN else _read_pipe(typed, flag)
    suffix = INPUT_OPTIONS[name] + _packed_suffix(data)
    if _reads_only(args, name):
        path = folder / f"{'stdin' if typed == STDIN else name}{suffix}"
        path.write_bytes(data)
        return path
    from .kept_input import keep_input

    path = keep_input(data, suffix, f"{flag} {typed}")
    what = "standard input" if typed == STDIN else f"the pipe {typed}"
    print(f"rnnlab {_command(args)}: note: {flag} {typed}: {what} is kept as {path}, the "
          f"file the command reads and records (to resume or repeat it)", file=sys.stderr)
    return path


def _packed_suffix(data: bytes) -> str:
    """``.gz`` (``.bz2``, ``.xz``, ``.zip``, ``.zst``) for compressed bytes, read as a file
    of that name is (the kept copy's name says what it holds); ``''`` for text."""
    from ..data.packed_files import packing_of_head

    kind = packing_of_head(data[:16])
    return "" if kind is None else kind.suffix


def _flag(name: str) -> str:
    """How option ``name`` is typed: ``--future-data``, or a positional's ``FORECAST``."""
    return POSITIONAL.get(name, f"--{name.replace('_', '-')}")


def _command(args) -> str:
    return " ".join(n for n in (args.command, getattr(args, "lm_command", None)) if n)


def as_typed(message: str, args) -> str:
    """``message`` with each temporary copy named as typed (it named a file removed by
    then: "/tmp/rnnlab-stdin-k4x2/stdin.csv: series ... has 1 NaN" for ``--data -``); a
    kept input that was deleted said to be one (:func:`.kept_input.gone_note`)."""
    from .kept_input import gone_note

    message = gone_note(message)
    for copy, typed in (getattr(args, "copies", None) or {}).items():
        message = message.replace(copy, typed)
    if not any(t == STDIN for t in (getattr(args, "copies", None) or {}).values()):
        return message
    # (a file's conversion, `iconv ... - > out.txt` or `gunzip -k -`, read standard input
    # and wrote a file rnnlab was not given: the conversion goes in the pipe)
    message = re.sub(r"`iconv ([^`]*?) - > [^`]*`",
                     r"`... | iconv \1 | rnnlab ...` (standard input converted in the pipe)",
                     message)
    message = re.sub(r"unpack it first \(`(gunzip|bunzip2|unxz|unzstd) -k -`\) and pass "
                     r"(the CSV|that) file", r"unpack it in the pipe (`... | \1 | rnnlab ...`)",
                     message)  # (zstd, which rnnlab does not read: packed_files.open_packed)
    message = re.sub(r"unzip it \(`unzip -`\)",  # (a zip of several files: unzip reads no
                     "save it as a file and unzip that (unzip reads no pipe)", message)  # pipe)
    message = message.replace("`unzip -`", "`unzip FILE.zip` (on it saved as a file: unzip "
                                           "reads no pipe)")
    return re.sub(r"`(gunzip|bunzip2|unxz|unzstd) -k -`",
                  r"`... | \1 | rnnlab ...` (in the pipe)", message)


def input_label(args, value) -> str:
    """An input option's ``value`` as a report names it: ``standard input`` for ``-``, a
    named pipe as typed, any other value as it is (the run's records keep the copy's path)."""
    typed = (getattr(args, "copies", None) or {}).get(str(value), value)
    return "standard input" if typed == STDIN else str(typed)


def input_name(args, value) -> str:
    """An input option's ``value`` as typed, for a run's default folder name: ``stdin``
    for ``-`` (not the kept copy's content hash)."""
    typed = (getattr(args, "copies", None) or {}).get(str(value), value)
    return "stdin" if typed == STDIN else str(typed)
