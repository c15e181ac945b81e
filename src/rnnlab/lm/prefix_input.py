"""``rnnlab lm generate --prefix -``: the prefix read from standard input, as the other
``-`` inputs are (``echo ... | rnnlab lm generate --run DIR --prefix -``, a document to
continue: ``rnnlab lm generate --run DIR --prefix - < start.txt``).

The text is taken as piped, its last newline included (``echo`` writes one; ``printf '%s'``
does not): the model goes on from it. A literal ``-`` prefix is piped too
(``printf - | ...``)."""

from __future__ import annotations

from ..io.errors import DataError
from ..io.stdin_input import STDIN, read_stdin

# the prefix's every token runs through the model at once (logits (1, P, V)); the state
# after a long text depends on its end: a megabyte is more than a command line holds
MAX_PREFIX_BYTES = 1024 ** 2


def prefix_text(typed: str) -> str:
    """The prefix ``--prefix`` gives: ``typed``, or standard input's UTF-8 text for ``-``."""
    if typed != STDIN:
        return typed
    data = read_stdin("--prefix")
    if len(data) > MAX_PREFIX_BYTES:
        raise DataError(f"--prefix -: standard input holds {len(data):,} bytes, more than the "
                        f"{MAX_PREFIX_BYTES:,} a prefix takes; the model's state depends on the "
                        f"text's end: pipe that (`tail -c 100000 FILE | rnnlab lm generate "
                        f"--prefix - ...`)")
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as e:
        raise DataError(f"--prefix -: standard input is not UTF-8 text (byte {e.start:,}: "
                        f"{data[e.start:e.start + 1]!r}); convert it in the pipe (`... | iconv "
                        f"-f latin1 -t utf-8 | rnnlab lm generate --prefix - ...`)") from None
