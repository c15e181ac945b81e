"""``--encoding``: the input files of a command written in another encoding than UTF-8.

rnnlab's readers take UTF-8 (a CSV's or a text's other bytes are refused, naming the file,
the byte and a conversion). ``rnnlab forecast --data sales.csv --encoding cp1252`` (and
``backtest``, ``compare``, ``lm train``, ``lm prepare``, ``lm eval``, ``score``) converts each
input file to UTF-8 once, before any reader opens it, as standard input is copied
(:mod:`.stdin_input`): a command that only reads gets a temporary copy; one that writes a
run directory keeps the UTF-8 copy in the cache (:func:`.kept_input.keep_input`), and its
records name that copy with ``encoding`` utf-8, so ``--resume`` and ``--config RUN_DIR``
read what the run read (recording the original with ``cp1252`` beside it would hold too,
but a copy already converted read again as cp1252 is garbled without a word).
"""

from __future__ import annotations

import codecs
import re
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from .errors import DataError

DEFAULT = "utf-8"
# read as they are: UTF-8 with a BOM is UTF-8 to the readers (was: 'utf-8-sig' refused as
# "UTF-8 already, which --encoding utf-8-sig would read as other characters")
UTF8 = (DEFAULT, "utf-8-sig")
# the Python readers' hint (encoded_path.utf8_file, through hinted), dropped on the command line
PYTHON_HINT = r"; or pass encoding='[^']*' to [\w.]+\(\), which converts it as it reads"
HELP = ("the text encoding of the input files ({files}): utf-8 (the default), "
        "or e.g. cp1252 (Windows, Excel in Western Europe), latin1, cp932, utf-16, utf-32; "
        "another than utf-8 is converted to UTF-8 once, the copy the run reads and records")


def add_encoding_option(parser) -> None:
    """``--encoding ENC`` on a command that reads input files, named as the command's
    options declared so far spell them (`rnnlab score`'s help said --data, --corpus)."""
    from .stdin_input import INPUT_OPTIONS

    files = [a.option_strings[0] if a.option_strings else (a.metavar or a.dest.upper())
             for a in parser._actions if a.dest in INPUT_OPTIONS]
    parser.add_argument("--encoding", default=DEFAULT, type=_encoding,
                        help=HELP.format(files=", ".join(files) or "--data"))


def _encoding(text: str) -> str:
    """An encoding's name as typed (``latin1``), refused when Python does not know it (an
    argparse type: a usage error)."""
    import argparse

    problem = encoding_problem(text)
    if problem:
        raise argparse.ArgumentTypeError(f"{problem}; e.g. utf-8, cp1252, latin1, cp932, "
                                         f"utf-16")
    return text


def encoding_problem(name) -> str:
    """Why ``name`` is no text encoding ('' where it is one): unknown to Python, or a codec
    of bytes to bytes or text to text (``rot13``, ``base64``, ``zlib``: a decode of the
    file raised LookupError, the command line's internal error)."""
    try:
        codecs.lookup(name)
    except (LookupError, TypeError):
        return f"unknown encoding {name!r}"
    try:
        b"x".decode(name, "ignore")  # (b"": decoded by no codec, whatever its name)
    except LookupError:
        return f"{name!r} is not a text encoding (it turns bytes into bytes or text into text)"
    except Exception:  # (a text codec that refuses b"x": it decodes)
        pass
    return ""


@contextmanager
def encoded_inputs(args) -> Iterator[None]:
    """Within it, each input file (:data:`~.stdin_input.INPUT_OPTIONS`) of a command given
    ``--encoding`` other than utf-8 names its UTF-8 copy, and ``args.encoding`` is utf-8
    (the copy's); both are set back at the end."""
    from .stdin_input import INPUT_OPTIONS

    encoding = getattr(args, "encoding", None)
    if not isinstance(encoding, str) or codecs.lookup(encoding).name in UTF8 or \
            getattr(args, "print_config", False):
        yield
        return
    names = [n for n in INPUT_OPTIONS if isinstance(getattr(args, n, None), str)
             and Path(getattr(args, n)).is_file()]  # (a built-in's name, a folder: as read)
    typed = {n: getattr(args, n) for n in names}
    copies = getattr(args, "copies", None) or {}
    args.copies = dict(copies)
    with tempfile.TemporaryDirectory(prefix="rnnlab-encoding-") as folder:
        try:
            for name in names:
                others = [typed[n] for n in names if n != name]
                path = _converted(args, name, typed[name], encoding, Path(folder), others)
                setattr(args, name, str(path))
                args.copies[str(path)] = copies.get(typed[name], typed[name])
            args.encoding = DEFAULT
            yield
        finally:
            args.encoding = encoding
            for name, value in typed.items():
                setattr(args, name, value)


def _converted(args, name: str, typed: str, encoding: str, folder: Path,
               others=()) -> Path:
    """The UTF-8 copy of the file option ``name`` reads (``typed``), decoded as ``encoding``
    (``others``: the command's other input files, which it converts too)."""
    from .stdin_input import INPUT_OPTIONS, _command, _flag, _reads_only

    flag, path = _flag(name), Path(typed)
    utf8 = utf8_bytes(typed, encoding, others, f"{flag} {typed}", INPUT_OPTIONS[name])
    if utf8 is None:
        return path  # (UTF-8 as it is: no copy, the record names the file itself)
    suffix = INPUT_OPTIONS[name]
    if _reads_only(args, name):
        from ..data.packed_files import plain_name

        copy = folder / plain_name(path)
        copy.write_bytes(utf8)
        return copy
    from .kept_input import keep_input

    copy = keep_input(utf8, suffix, f"{flag} {typed}")
    print(f"rnnlab {_command(args)}: note: {flag} {typed}: converted from {encoding} to "
          f"UTF-8 as {copy}, the file the command reads and records (to resume or repeat "
          f"it)", file=sys.stderr)
    return copy


def utf8_bytes(path, encoding: str, others=(), said: str = "", suffix: str = ".csv",
               option: str = "--encoding"):
    """The text of the file ``path`` (a compressed one's, decompressed) decoded as
    ``encoding``, as UTF-8 bytes; None where it is ASCII that ``encoding`` reads as ASCII
    (no copy needed). Refused: too large to convert, not valid ``encoding``, or UTF-8
    already beyond ASCII (:func:`_refuse_utf8`). ``said``: the file as the messages name
    it (``--data sales.csv``); ``option``: the setting (``--encoding``, or ``encoding=``
    of the Python readers, :mod:`.encoded_path`)."""
    from .stdin_input import MAX_STDIN_BYTES

    said = said or str(path)
    data = _text_bytes(Path(path), MAX_STDIN_BYTES + 1)
    if data.isascii() and len(data) <= MAX_STDIN_BYTES and (
            _reads_ascii(encoding) or b"\x00" not in data):  # (no UTF-16 without its zeros)
        return None
    if len(data) > MAX_STDIN_BYTES:
        raise DataError(f"{said}: more than {MAX_STDIN_BYTES:,} bytes to convert from "
                        f"{encoding}; convert it to UTF-8 first (`iconv -f {encoding} -t utf-8 "
                        f"{path} > out{suffix}`) and pass that file")
    _refuse_utf8(data, str(path), encoding, others, option)
    _refuse_utf16(data, str(path), encoding, option)
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as e:
        raise DataError(f"{path}: not valid {encoding} (byte {e.start}: "
                        f"{data[e.start:e.start + 1]!r}), the {option} given; pass the "
                        f"encoding it was written in (utf-8, the default, cp1252, latin1, "
                        f"cp932, ...)") from None
    return text.encode("utf-8")


def _text_bytes(path: Path, n: int) -> bytes:
    """The first ``n`` bytes of the file's text: a compressed one's decompressed, as the
    readers read it (:mod:`rnnlab.data.packed_files`; was gzip alone, decompressed whole
    however large)."""
    from ..data.packed_files import open_packed, packing_of, read_packed

    kind = packing_of(path)
    if kind is None:
        with open(path, "rb") as f:
            return f.read(n)
    with open_packed(path, kind) as f:
        return read_packed(f, n, path, kind)


def _reads_ascii(encoding: str) -> bool:
    """Whether ``encoding`` reads ASCII bytes as ASCII (cp1252, latin1: an ASCII file needs
    no copy); UTF-16 without a BOM does not: its ASCII-only bytes (every other one 0) were
    passed on as they were and refused as "UTF-16 text, pass --encoding UTF-16LE"."""
    ascii_bytes = bytes(range(128))
    try:
        return ascii_bytes.decode(encoding) == ascii_bytes.decode("ascii")
    except UnicodeDecodeError:
        return False


def _refuse_utf8(data: bytes, typed: str, encoding: str, others=(),
                 option: str = "--encoding") -> None:
    """A file that is UTF-8 already, with characters beyond ASCII, refused: read as
    ``encoding`` they become other characters without a word (latin1 reads any byte:
    ``é`` as ``Ã©``; a run's own record, kept as UTF-8, given ``--encoding`` again)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return
    wide = len(text) - len(text.encode("ascii", "ignore"))
    if wide:
        # (a rnnlab forecast, UTF-8, scored against latin1 actuals: dropping --encoding
        # alone refuses the other file)
        other = (f"; --encoding converts every input file: where {others[0]} is "
                 f"{encoding}, convert it alone first (`iconv -f {encoding} -t utf-8 "
                 f"{others[0]} > utf8.csv`) and pass that" if others else "")
        given = f"--encoding {encoding}" if option == "--encoding" else f"{option}{encoding!r}"
        raise DataError(f"{typed}: is UTF-8 already ({wide:,} characters beyond ASCII "
                        f"decode), which {given} would read as other characters; drop "
                        f"{option} (utf-8 is the default){other}")


def _refuse_utf16(data: bytes, typed: str, encoding: str, option: str) -> None:
    """A file with UTF-16's or UTF-32's byte-order mark refused where ``encoding`` is not
    of its kind: read as latin1 each letter comes with NULs (refused as a binary file,
    "expected a UTF-8 text file"), read as UTF-16 a UTF-32 file's letters do. UTF-32's
    marks are looked at first: UTF-32LE's starts with UTF-16LE's (``FF FE``), and
    UTF-32BE's (``00 00 FE FF``) was not looked at at all."""
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        kind = "utf-32"
    elif data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        kind = "utf-16"
    else:
        return
    if codecs.lookup(encoding).name.startswith(kind):
        return
    given, wanted = ((f"--encoding {encoding}", f"--encoding {kind}") if option == "--encoding"
                     else (f"{option}{encoding!r}", f"{option}'{kind}'"))
    raise DataError(f"{typed}: is {kind.upper()} text (its byte-order mark), which {given} "
                    f"would read as other characters; pass {wanted}")


def encoding_hint(message: str, args) -> str:
    """``message`` refusing a file that is not UTF-8 with a conversion to do (``iconv -f
    ENC``), with ``--encoding ENC`` too where the command takes it (not for stray bytes in
    a UTF-8 file, which no encoding reads). The Python readers' own hint (``or pass
    encoding='latin1'``, :mod:`.encoded_path`) dropped: no option of a command."""
    message = re.sub(PYTHON_HINT, "", message)
    if not hasattr(args, "encoding"):
        return message
    return hinted(message, lambda enc: f"--encoding {enc} (the command converts it as it "
                                       f"reads)")


def hinted(message: str, setting) -> str:
    """``message`` with ``; or pass {setting(ENC)}`` where it refuses a file that is not
    UTF-8 with a conversion from ENC to do (:func:`encoding_hint`; the Python readers'
    ``encoding=``, :mod:`.encoded_path`)."""
    if not ("not valid UTF-8" in message or "is UTF-16 text" in message
            or "is UTF-32 text" in message):
        return message
    # (`iconv ...`, or a compressed file's `xz -dc FILE | iconv ...`)
    found = re.search(r"(?:`|\| )iconv -f (\S+) -t (?:utf-8|UTF-8)", message)
    if found is None or found.group(1).lower() in ("utf-8", "encoding"):
        return message
    return f"{message}; or pass {setting(found.group(1))}"


__all__ = ["add_encoding_option", "encoded_inputs", "encoding_hint"]
