"""Text corpora and vocabularies for language models.

``load_corpus("time-machine")`` reads a built-in corpus (shipped gzip-compressed in
``rnnlab/data/builtin/``, no network); any other argument is a path to a UTF-8 text
file. :class:`Vocab` maps characters (or words) to ids with an unknown token at id 0
and round-trips through JSON. :func:`split_text` holds out the end of a text.
"""

from __future__ import annotations

import gzip
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Dict, List, Optional, Sequence, Tuple, Union

from ..io.errors import ConfigError, DataError
from ..io.unreadable import absent, read_failure
from ..type_aliases import StrPath
from .char_codes import char_counts, char_ids
from .text_encoding import not_utf8_error, utf16_error
from .word_tokens import token_start, word_tokens

if TYPE_CHECKING:  # (numpy: imported where an array is made)
    from numpy import ndarray
    from numpy.typing import DTypeLike

# name -> (file in rnnlab/data/builtin/, description)
BUILTIN_CORPORA: Dict[str, Tuple[str, str]] = {
    "time-machine": ("time_machine.txt.gz",
                     "H. G. Wells, The Time Machine (Project Gutenberg #35), 179 KB"),
    "shakespeare": ("shakespeare.txt.gz", "tiny Shakespeare (char-rnn's corpus), 1.1 MB"),
}
# other names a built-in corpus is known by (the issue and char-rnn call it tiny-shakespeare)
CORPUS_ALIASES: Dict[str, str] = {"tiny-shakespeare": "shakespeare",
                                  "tiny_shakespeare": "shakespeare",
                                  "time_machine": "time-machine"}

UNK = "<unk>"
MAX_CORPUS_BYTES = 1024 ** 3  # text files (decompressed) larger than this are refused
MAX_VOCAB_JSON_BYTES = 64 * 1024 ** 2
LEVELS = ("char", "word")
SAMPLINGS = ("sequential", "random")  # how training windows are drawn (data.text_sampling)


def _decode(data: bytes, source: str) -> str:
    wide = utf16_error(data, source)
    if wide is not None:
        raise wide
    nul = data.find(b"\x00")
    if nul >= 0:
        raise DataError(f"{source}: looks like a binary file (contains NUL bytes, the first at "
                        f"byte {nul}); expected a UTF-8 text file")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise not_utf8_error(data, e.start, e.start, source) from None
    return text.lstrip("\ufeff").replace("\r\n", "\n")


def load_corpus(name_or_path: StrPath, encoding: Optional[str] = None) -> str:
    """The text of a built-in corpus (``time-machine``, ``shakespeare``, also called
    ``tiny-shakespeare``) or of a UTF-8 file (``encoding``: of another, e.g. ``'cp1252'``,
    as ``--encoding``: :mod:`rnnlab.io.encoded_path`)."""
    from ..io.encoded_path import checked_encoding, utf8_file

    checked_encoding(encoding, "load_corpus")
    name_or_path = builtin_name(name_or_path)
    if name_or_path in BUILTIN_CORPORA:
        fname = BUILTIN_CORPORA[name_or_path][0]
        data = (Path(__file__).parent / "builtin" / fname).read_bytes()
        return _decode(gzip.decompress(data), name_or_path)
    if isinstance(name_or_path, str) and not name_or_path.strip():  # (Path("") is ".")
        raise DataError(f"corpus {name_or_path!r}: empty; give a built-in corpus "
                        f"({', '.join(BUILTIN_CORPORA)}) or the path of a UTF-8 text file")
    path = Path(name_or_path)
    if not path.exists():
        if path.is_symlink():  # (a link leading nowhere, or back to itself: said so)
            raise DataError(absent(path, "give a UTF-8 text file"))
        from .close_names import close_builtin_hint

        raise DataError(f"corpus {name_or_path!r}: neither a built-in corpus "
                        f"({', '.join(BUILTIN_CORPORA)}) nor an existing file"
                        + close_builtin_hint(name_or_path, BUILTIN_CORPORA))
    if path.is_dir() and (path / "corpus.json").is_file():
        raise DataError(f"{path}: is a prepared corpus folder (`rnnlab lm prepare`), not a text "
                        f"file; `rnnlab lm train --corpus` and `rnnlab lm eval --text` take "
                        f"it, in Python open it with rnnlab.data.corpus_mmap.load_prepared")
    if path.is_dir():
        raise DataError(f"{path}: is a directory without corpus.json; expected a UTF-8 text "
                        f"file, or (for `rnnlab lm train --corpus`) a folder written by "
                        f"`rnnlab lm prepare FILE --out {path}`")
    if not path.is_file():  # /dev/zero, a FIFO: an unbounded read that reports no size
        raise DataError(f"{path}: not a regular file (a device, pipe or socket); expected a "
                        f"UTF-8 text file: copy the text into one")
    with utf8_file(path, encoding, "load_corpus") as utf8:  # (not UTF-8: encoding= hinted)
        text = _decode(_read_capped(utf8), str(path))
    if not text:
        raise DataError(f"{path}: the file is empty; expected some text")
    return text


def builtin_name(name_or_path):
    """The built-in corpus an alias names (``tiny-shakespeare`` -> ``shakespeare``), unless
    a file of that name is there; otherwise the argument as it is."""
    if isinstance(name_or_path, str) and name_or_path in CORPUS_ALIASES \
            and not Path(name_or_path).exists():
        return CORPUS_ALIASES[name_or_path]
    return name_or_path


def _read_capped(path: Path) -> bytes:
    """The file's bytes (a compressed one's text: gzip, bzip2, xz, a zip of one file,
    :mod:`.packed_files`), refusing more than MAX_CORPUS_BYTES without reading them."""
    from .packed_files import packing_of, unpacked_bytes

    kind = packing_of(path)
    if kind is not None:
        return unpacked_bytes(path, kind, MAX_CORPUS_BYTES, "text files")
    try:
        size = path.stat().st_size
        if size > MAX_CORPUS_BYTES:
            raise DataError(f"{path}: {size:,} bytes; text files larger than "
                            f"{MAX_CORPUS_BYTES:,} bytes are refused")
        return path.read_bytes()
    except OSError as e:
        raise DataError(read_failure(path, e)) from None


def tokenize(text, level: str = "char") -> List[str]:
    """The tokens of a str; a list (or tuple) of tokens is taken as it is (at char
    level each must be one character)."""
    if level not in LEVELS:
        raise ConfigError(f"level must be one of {LEVELS}, got {level!r}")
    if isinstance(text, (list, tuple)):
        return _token_list(text, level)
    # word level: words, single punctuation marks and runs of whitespace (.word_tokens)
    return list(text) if level == "char" else word_tokens(text)


def token_repr(token: str) -> str:
    """``repr(token)``, but a token that is one combining mark (an accent, a vowel sign)
    escaped as repr escapes invisible characters: ``'\\u0301'``, not the mark drawn on
    the quote before it, where no reader can tell which it is."""
    import unicodedata

    if len(token) == 1 and unicodedata.category(token).startswith("M"):
        return f"'\\u{ord(token):04x}'"
    return repr(token)


def token_noun(level: str) -> str:
    """What a count of tokens counts: chars, or at word level tokens (words, but also each
    punctuation mark and run of whitespace: calling them words overstates the words)."""
    return "char" if level == "char" else "token"


_TOKEN_NEED = {"char": "one character (a str of length 1)", "word": "a non-empty str"}


def _is_token(t, level: str) -> bool:
    return isinstance(t, str) and bool(t) and (level != "char" or len(t) == 1)


def _token_list(tokens, level: str) -> List[str]:
    for i, t in enumerate(tokens):
        if not _is_token(t, level):
            hint = "; for a list of words use level='word'" if level == "char" and \
                isinstance(t, str) and len(t) > 1 else ""
            raise DataError(f"a list of tokens at {level} level: each token must be "
                            f"{_TOKEN_NEED[level]}; token {i} is {t!r}{hint}")
    return list(tokens)


@dataclass(frozen=True)
class Vocab:
    """Tokens by id; id 0 is the unknown token ``<unk>`` (never a real token)."""

    tokens: Tuple[str, ...]  # tokens[0] == UNK
    level: str = "char"  # char | word
    # {token: id}, set on each instance by __post_init__ (ClassVar: no dataclass field)
    _index: ClassVar[Dict[str, int]]

    def __post_init__(self):
        if not self.tokens or self.tokens[0] != UNK:
            raise DataError(f"vocabulary must start with {UNK!r}")
        if len(set(self.tokens)) != len(self.tokens):
            raise DataError("vocabulary has duplicate tokens")
        if self.level not in LEVELS:
            raise DataError(f"vocabulary level must be one of {LEVELS}, got {self.level!r}")
        # (a token of two characters in a char vocabulary would never be read from a text:
        # a hand-edited model.json; its id would silently name nothing)
        bad = [t for t in self.tokens[1:] if not _is_token(t, self.level)]
        if bad:
            raise DataError(f"a {self.level}-level vocabulary holds {bad[:3]!r}: each token "
                            f"must be {_TOKEN_NEED[self.level]}")
        object.__setattr__(self, "_index", {t: i for i, t in enumerate(self.tokens)})

    @classmethod
    def build(cls, text: str, level: str = "char", max_size: int | None = None,
              min_count: int = 1) -> "Vocab":
        """From a training text: tokens by decreasing frequency (ties by code point)."""
        counts = char_counts(text) if level == "char" and isinstance(text, str) else Counter(
            tokenize(text, level))  # (a str: by chunks of code points, no list of characters)
        items = sorted((c, t) for t, c in counts.items() if c >= min_count and t != UNK)
        items = sorted(items, key=lambda ct: (-ct[0], ct[1]))
        if max_size is not None:
            items = items[: max(0, max_size - 1)]
        return cls((UNK,) + tuple(t for _, t in items), level)

    def __len__(self) -> int:
        return len(self.tokens)

    @property
    def unk_id(self) -> int:
        return 0

    def encode(self, text: str) -> List[int]:
        """Ids of ``text``; tokens not in the vocabulary become the unknown token (id 0)."""
        idx = self._index
        return [idx.get(t, 0) for t in tokenize(text, self.level)]

    def encode_array(self, text: str, dtype: DTypeLike = "int64") -> ndarray:
        """The ids of :meth:`encode` as a numpy array of ``dtype``; a character-level str
        is encoded by chunks (:mod:`.char_codes`), never as a list of its characters."""
        if self.level == "char" and isinstance(text, str):
            return char_ids(self.tokens, text, self.unk_id, dtype)
        import numpy as np

        return np.asarray(self.encode(text), dtype=dtype)

    def id_dtype(self) -> str:
        """The smallest integer type of every id: int16 (int32 past 32768 tokens)."""
        return "int16" if len(self.tokens) <= 2 ** 15 else "int32"

    def unknown(self, text: Union[str, List[str], Tuple[str, ...]]) -> List[str]:
        """The distinct tokens of ``text`` (a text, or its tokens) that are not in the
        vocabulary."""
        seen = char_counts(text) if self.level == "char" and isinstance(text, str) else set(
            tokenize(text, self.level))
        return sorted(t for t in seen if t not in self._index)

    def decode(self, ids: Sequence[int]) -> str:
        """Text of ``ids``; the unknown token prints as U+FFFD (the replacement character)."""
        return "".join("\ufffd" if i == 0 else self.tokens[i] for i in ids)

    def to_json(self) -> Dict[str, Any]:
        return {"level": self.level, "unk": UNK, "tokens": list(self.tokens)}

    @classmethod
    def from_json(cls, d: Any, source: StrPath = "vocab") -> "Vocab":
        if not isinstance(d, dict) or set(d) != {"level", "unk", "tokens"}:
            raise DataError(f"{source}: expected an object with keys level, unk, tokens; "
                            f"found {sorted(d) if isinstance(d, dict) else type(d).__name__}")
        if d["unk"] != UNK or d["level"] not in LEVELS or not isinstance(d["tokens"], list):
            raise DataError(f"{source}: bad vocabulary (level {d['level']!r}, unk {d['unk']!r})")
        bad = [t for t in d["tokens"] if not isinstance(t, str)]
        if bad:
            raise DataError(f"{source}: vocabulary tokens must be strings; found {bad[:3]!r}")
        try:
            return cls(tuple(d["tokens"]), d["level"])
        except DataError as e:
            raise DataError(f"{source}: bad vocabulary: {e}") from None

    def save(self, path: StrPath) -> None:
        from ..io.atomic import atomic_write_json

        atomic_write_json(Path(path), self.to_json(), checksum=True)  # (Vocab.load checks it)

    @classmethod
    def load(cls, path: StrPath) -> "Vocab":
        from ..io.json_file import read_json

        d = read_json(path, DataError, expect=None, max_bytes=MAX_VOCAB_JSON_BYTES)
        return cls.from_json(d, str(path))


def split_text(text: str, val_fraction: float, level: str = "char") -> Tuple[str, str]:
    """(train, validation): the validation part is the last ``val_fraction`` of the text.
    At word level the cut moves back to the start of the word (or run of whitespace) it
    falls in: cut inside "from", the training part would end in the word "fro" and the
    validation part open with "m", two tokens the text does not have."""
    if not 0.0 <= val_fraction < 1.0:
        raise ConfigError(f"val_fraction must be in [0, 1), got {val_fraction!r}")
    cut = len(text) - int(round(len(text) * val_fraction))
    if level == "word" and isinstance(text, str):  # (a list of tokens is cut between them)
        cut = token_start(text, cut)
    return text[:cut], text[cut:]
