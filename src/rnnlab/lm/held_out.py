"""The text a language-model run held out, read back from its record: ``rnnlab lm eval
--run RUN`` without ``--text`` scores it, and :func:`held_out_text` gives it in Python.

A run directory of ``rnnlab lm train`` records what it trained on: ``cli.json`` the corpus
(a built-in name, or a file's absolute path) and the ``--val-text`` given, with their
``--encoding``; ``config.json`` the validation fraction, the level and the SHA-256 of each
text. The held-out text is the validation part training scored (``val_bpc`` in
metrics.json): the last ``val_fraction`` of the corpus, cut as training cut it, or the
whole ``--val-text``. A text that is gone, or that changed since the run read it (its
SHA-256 is not the one recorded), is refused with a :class:`DataError` naming ``--text``
and the file: another text scored as the held-out one would mislead.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

from ..io.errors import DataError
from ..type_aliases import StrPath

__all__ = ["HeldOut", "held_out_text"]

# (what to do, said to the command line and to Python both: held_out_text is either's)
TEXT_HINT = ("pass --text FILE_OR_NAME: the text to score (in Python, score one of your own: "
             "lm.bits_per_char(load_corpus(FILE_OR_NAME)))")


@dataclass(frozen=True)
class HeldOut:
    """A run's held-out text: ``text`` (a str), or for a run on a prepared corpus ``ids``
    (its memory-mapped validation ids, ``text`` None); ``source`` the file or corpus it
    comes from, as recorded; ``what`` says in words which part of it is scored."""

    text: Optional[str]
    ids: Any
    source: str
    what: str


def held_out_text(run: StrPath) -> HeldOut:
    """The text run directory ``run`` (or its ``model/`` folder) held out for validation,
    read from its files as training read them (the module's docstring); a run that does
    not know it (no record, a text gone or changed) raises :class:`DataError`."""
    if not isinstance(run, (str, os.PathLike)) or isinstance(run, bytes):
        from ..io.errors import ConfigTypeError

        raise ConfigTypeError(f"held_out_text: expected the folder of a run of `rnnlab lm "
                              f"train` (a str or a Path), got {type(run).__name__} {run!r:.60}")
    folder = _run_folder(Path(run))
    record = _read(folder / "config.json")
    config = _section(record, "config")
    options = _options(folder / "cli.json")
    encoding = options.get("encoding") if isinstance(options.get("encoding"), str) else None
    val_text = options.get("val_text") or config.get("val_text")
    if isinstance(val_text, str):  # (validated on it: never the carved part)
        if not record.get("val_data_sha256"):  # (every run of --val-text records it)
            raise DataError(f"{folder}: its record names a validation text, {val_text}, but "
                            f"config.json holds no SHA-256 of it (val_data_sha256): the "
                            f"record was edited or damaged, so whether that file is the "
                            f"text the run held out is unknown; {TEXT_HINT}")
        text = _text(val_text, encoding, record["val_data_sha256"], folder)
        return HeldOut(text, None, val_text, f"{val_text} (the run's validation text, "
                                             f"--val-text)")
    corpus = options.get("corpus") or config.get("corpus")
    if not isinstance(corpus, str):
        raise DataError(f"{folder / 'config.json'}: records no corpus, so the text the run "
                        f"held out is unknown; {TEXT_HINT}")
    fraction = _section(config, "train").get("val_fraction", 0.1)
    level = _section(config, "model").get("level", "char")
    if level not in ("char", "word"):  # (read as char, cut where a word run's was not)
        raise DataError(f"{folder / 'config.json'}: level {level!r}, neither 'char' nor "
                        f"'word': the record is damaged, so where the run cut its text is "
                        f"unknown; {TEXT_HINT}")
    if not isinstance(fraction, (int, float)) or isinstance(fraction, bool) \
            or not 0 < fraction < 1:
        raise DataError(f"{folder / 'config.json'}: val_fraction {fraction!r}: the run held "
                        f"no part of {corpus} out; {TEXT_HINT}")
    what = f"the last {fraction * 100:.4g}% of {corpus} (the run's validation part)"
    from ..data.corpus_mmap import is_prepared

    if is_prepared(corpus):
        return HeldOut(None, _prepared_ids(corpus, fraction, record, folder), corpus, what)
    from ..data.text import split_text

    text = _text(corpus, encoding, record.get("data_sha256"), folder)
    return HeldOut(split_text(text, fraction, level)[1], None, corpus, what)


def _section(record: dict, key: str) -> dict:
    """``record[key]`` where it is an object, else {} (a record written by an older rnnlab)."""
    value = record.get(key)
    return value if isinstance(value, dict) else {}


def _run_folder(path: Path) -> Path:
    """The run directory holding config.json: ``path``, or the run of its model/ folder."""
    if path.is_file():  # (a model file, the corpus: said so, not "FILE/config.json")
        raise DataError(f"{path}: is a file, not the folder of a run of `rnnlab lm train` "
                        f"(its --out, holding config.json and model/); {TEXT_HINT}")
    looked = [path / "config.json"]
    if path.name == "model" and (path / "model.json").is_file():  # (--run RUN/model)
        looked.append(path.parent / "config.json")
    for record in looked:
        if record.is_file():
            return record.parent
        if os.path.lexists(record):  # (a folder, a pipe, a link to nothing: not "not found")
            what = "a folder" if record.is_dir() else "no file (a link to nothing, a pipe)"
            raise DataError(f"{record}: is {what}, where a run of `rnnlab lm train` keeps "
                            f"its record (a JSON file); move it aside and put the record "
                            f"back from a copy, or {TEXT_HINT}")
    where = f"{looked[0]}: not found" if len(looked) == 1 else \
        f"neither {looked[0]} nor {looked[1]} is there"
    raise DataError(f"{where}; a run of `rnnlab lm train` "
                    f"records there the text it held out (a model saved by CharLM.save has "
                    f"no such record), so what to score is unknown; {TEXT_HINT}")


def _read(path: Path) -> dict:
    from ..io.json_file import read_json

    return read_json(path, DataError)


def _options(path: Path) -> dict:
    """cli.json's options (the input files as absolute paths); {} for a run without one."""
    if not path.is_file():
        return {}
    return _section(_read(path), "options")


def _text(source: str, encoding: Optional[str], sha: Any, folder: Path) -> str:
    """The text of ``source`` as the run read it, refused when gone or changed since."""
    from ..data.text import load_corpus
    from ..io.rundir import data_hash

    if source == "-":
        raise DataError(f"{folder}: the run read its text from standard input, which cannot "
                        f"be read again; {TEXT_HINT}")
    try:
        text = load_corpus(source, encoding)
    except DataError as e:
        raise DataError(f"{folder}: cannot read the text the run held out, {source} ({e}); "
                        f"{TEXT_HINT}") from None
    sha = _recorded(sha, folder)
    if sha is not None and data_hash(text) != sha:
        raise DataError(f"{source}: changed since the run in {folder} read it (SHA-256 "
                        f"{sha[:12]}… recorded, {data_hash(text)[:12]}… now), so it is not the "
                        f"text the run held out its part of; {TEXT_HINT}")
    return text


def _recorded(sha: Any, folder: Path) -> Any:
    """``sha``, a text's SHA-256 as the run recorded it; a DataError for a damaged one
    (not 64 hex digits: the check was skipped, a changed text scored as the held-out
    one). None (a record of an older rnnlab, which kept no hash) passes unchecked."""
    import re

    if sha is None or (isinstance(sha, str) and re.fullmatch(r"[0-9a-f]{64}", sha)):
        return sha
    raise DataError(f"{folder / 'config.json'}: its text's SHA-256 is {sha!r:.40}, not 64 "
                    f"hex digits: the record is damaged, so whether the text is the one the "
                    f"run held out is unknown; {TEXT_HINT}")


def _prepared_ids(corpus: str, fraction: float, record: dict, folder: Path) -> Any:
    """The validation ids of the prepared corpus folder the run trained on."""
    from ..data.corpus_mmap import load_prepared

    try:
        prepared = load_prepared(corpus, fraction)
    except DataError as e:
        raise DataError(f"{folder}: cannot read the corpus the run held its part out of "
                        f"({e}); {TEXT_HINT}") from None
    sha, now = record.get("data_sha256"), prepared.meta.get("source_sha256")
    sha = _recorded(sha, folder)
    if isinstance(sha, str) and isinstance(now, str) and sha != now:
        raise DataError(f"{corpus}: prepared from another text since the run in {folder} "
                        f"trained on it (SHA-256 {sha[:12]}… recorded, {now[:12]}… now); "
                        f"{TEXT_HINT}")
    return prepared.val_ids
