"""A settings file for ``--config FILE``: its keys and values, and whose they are.

A file is JSON (``.json``), TOML (``.toml``, read by the standard library's tomllib) or
YAML (``.yaml``/``.yml``, PyYAML's safe loader, the extra rnnlab[yaml]: :mod:`.config_yaml`),
its keys the command's option names (``hidden_size`` or ``hidden-size``). A run's own
record repeats the run: its ``cli.json`` (``{"options": ..., "command": ...}``), the
``config.json`` of a backtest, a panel forecast or a comparison (a recipe's one part, or an
``--as-written`` run, repeated by ``rnnlab compare``), the results file of ``rnnlab bench
--json``, or the run directory itself (its ``cli.json``, else its ``config.json``). A record
holds every option, most at their defaults: :class:`Settings` tells it from a file a user
wrote (each key chosen).
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Optional

from .io.errors import OptionError

YAML = (".yaml", ".yml")  # a YAML settings file's suffixes (rnnlab.config_yaml)
# keys of a config.json that are the record's, not options, or that a repeat does not take
# (its --out: where the recorded run is; cli.json keeps none; its --insample: the recorded
# run's file, which a repeat given --overwrite for its own --out replaced unasked)
RECORD_ONLY = ("packages", "model_config", "model_configs", "config", "print_config", "given_options", "out",
               "insample")


@dataclass(frozen=True)
class Settings:
    """What ``--config`` read: ``values`` by key as the file spells them."""

    path: Path  # the file read (a run directory's record: the file in it)
    values: dict
    record: bool  # a run's record (every option), not a file written by hand
    command: Optional[str] = None  # the record's command ("rnnlab lm train"), when it says
    # a run directory's own record (its cli.json; a config.json with its versions), not a
    # --print-config record saved to a file of the user's, whatever its name
    run_dir: bool = False


def read_settings(path: str) -> Settings:
    """The settings in ``path``: a JSON, TOML or YAML file, or a run directory."""
    if not str(path).strip():  # (`--config "$CFG"` with CFG unset: was read as the folder .)
        raise OptionError("--config is empty (an unset shell variable?); give a .json, "
                          ".toml or .yaml settings file, or a run directory")
    p = Path(path).expanduser()
    folder = p.is_dir()  # (a run directory given: its record is the run's, whatever it holds)
    if folder:
        # (a cli.json that is no file is the run's, damaged: said so, not passed over)
        found = [p / n for n in ("cli.json", "config.json") if os.path.lexists(p / n)]
        if not found:
            raise OptionError(f"--config {path}: a folder without cli.json or config.json, "
                              f"so not a run directory; give a .json, .toml or .yaml "
                              f"settings file, or a run directory rnnlab wrote")
        p = found[0]
    elif p.name == "config.json" and (p.parent / "cli.json").is_file():  # (its config's field
        print(f"rnnlab: note: --config {path}: reading the options beside it, "  # names are
              f"{p.parent / 'cli.json'}", file=sys.stderr)  # not all the options' names)
        p = p.parent / "cli.json"
    suffix = p.suffix.lower()
    data = _toml(p) if suffix == ".toml" else _yaml(p) if suffix in YAML else _json(p)
    settings = _unwrap(p, data)
    return replace(settings, run_dir=True) if folder and settings.record else settings


def _json(p: Path) -> dict:
    """The file's object; a record's checksum is not checked (an edited copy of a run's
    cli.json is a settings file like any other), only dropped."""
    import json

    if p.suffix.lower() != ".json" and p.exists():
        raise OptionError(f"--config {p}: expected a .json, .toml or .yaml file, found "
                          f"{p.suffix or 'no suffix'}; rename it to say which it is")
    try:
        data = _parsed(p, lambda text: json.loads(text, object_pairs_hook=lambda pairs:
                                                  _once(p, pairs)), "JSON")
    except json.JSONDecodeError as e:
        raise OptionError(f"--config {p}: not valid JSON ({e.msg} at line {e.lineno}, "
                          f"column {e.colno}); fix the file") from None
    if not isinstance(data, dict):
        raise OptionError(f"--config {p}: expected a JSON object of option names and "
                          f"values, found {'an array' if isinstance(data, list) else repr(data)[:20]} "
                          f"at the top level; fix the file")
    data.pop("_sha256", None)
    return data


def _parsed(p: Path, parse, kind: str):
    """The file's text parsed by ``parse``; what Python's parsers raise beside their own
    syntax error (nesting past the recursion limit, an integer of over 4300 digits) and
    nesting deeper than any option takes are refused as the file's, not a traceback."""
    from .io.json_file import MAX_JSON_DEPTH, depth_over

    deep = OptionError(f"--config {p}: {kind} nested more than {MAX_JSON_DEPTH} deep; an "
                       f"option's value is a number, text or a short list: fix the file")
    text = _text(p)
    try:
        data = parse(text)
    except RecursionError:
        raise deep from None
    except ValueError as e:  # (the parsers' syntax errors are ValueErrors: told by the caller)
        if isinstance(e, OptionError) or type(e).__name__ in ("JSONDecodeError",
                                                               "TOMLDecodeError"):
            raise
        raise OptionError(f"--config {p}: not a {kind} settings file rnnlab can read "
                          f"({str(e)[:80]}); fix the file") from None
    if depth_over(data, MAX_JSON_DEPTH):
        raise deep
    return data


def _once(p: Path, pairs: list) -> dict:
    """A JSON object whose keys are each given once (json takes a repeated key's last
    value silently; TOML refuses it, and so does a settings file here)."""
    out: dict = {}
    for key, value in pairs:
        if key in out:
            raise OptionError(f"--config {p}: key {key!r} is given twice; keep one of them")
        out[key] = value
    return out


def _text(p: Path) -> str:
    import stat

    from .io.json_file import MAX_JSON_BYTES

    try:
        mode = p.stat().st_mode
        if not stat.S_ISREG(mode):  # (a FIFO or /dev/zero: read forever)
            what = "a folder" if stat.S_ISDIR(mode) else "a device, pipe or socket"
            raise OptionError(f"--config {p}: {what}, not a settings file; "
                              f"save the settings to a .json, .toml or .yaml file and give "
                              f"its path")
        if p.stat().st_size > MAX_JSON_BYTES:
            raise OptionError(f"--config {p}: larger than {MAX_JSON_BYTES} bytes, so not a "
                              f"settings file; give the .json, .toml or .yaml file of the "
                              f"options (or a run directory)")
        with open(p, "rb") as f:  # (bounded: a file growing while read is cut, not followed)
            data = f.read(MAX_JSON_BYTES + 1)
        if len(data) > MAX_JSON_BYTES:
            raise OptionError(f"--config {p}: larger than {MAX_JSON_BYTES} bytes, so not a "
                              f"settings file; give the .json, .toml or .yaml file of the "
                              f"options")
        return data.decode("utf-8-sig")  # (a BOM, as Notepad saves "UTF-8", dropped)
    except FileNotFoundError:
        raise OptionError(f"--config {p}: not found; expected a .json, .toml or .yaml "
                          f"settings file or a run directory: check the path (a relative one "
                          f"is read from the working directory, {Path.cwd()})") from None
    except UnicodeDecodeError as e:  # (the byte, its line and what to do, as for data)
        raise OptionError(f"--config {_not_utf8(data, e.start, p)}") from None
    except OSError as e:
        from .io.unreadable import read_failure

        raise OptionError(read_failure(p, e, f"--config {p}")) from None


def _not_utf8(data: bytes, start: int, p: Path) -> str:
    """What a settings file that is not UTF-8 says: UTF-16 (Notepad's "Unicode"), an
    8-bit encoding, stray bytes; their byte, line and conversion."""
    from .data.text_encoding import not_utf8_error, utf16_error

    out, line = f"{p.stem}-utf8{p.suffix}", data[:start].count(b"\n") + 1
    wide = utf16_error(data, p, p.suffix.lstrip(".") or "txt")
    return str(wide or not_utf8_error(data, start, start, p, out, where=f", line {line}"))


def _toml(p: Path) -> dict:
    try:
        import tomllib  # type: ignore[import-not-found,unused-ignore]  # (3.11+: mypy's 3.10)
    except ImportError:  # (Python 3.10: tomli, the package tomllib came from, is a dependency)
        try:
            import tomli as tomllib
        except ImportError:
            raise OptionError(f"--config {p}: reading TOML on Python "
                              f"{sys.version_info[0]}.{sys.version_info[1]} needs the tomli "
                              f"package: pip install tomli (or give the settings as a .json "
                              f"file)") from None
    try:
        return _parsed(p, tomllib.loads, "TOML")
    except tomllib.TOMLDecodeError as e:
        raise OptionError(f"--config {p}: not valid TOML ({e}); fix the file") from None


def _yaml(p: Path) -> dict:
    from .config_yaml import load_yaml

    data = _parsed(p, lambda text: load_yaml(p, text), "YAML")
    if not isinstance(data, dict):
        raise OptionError(f"--config {p}: expected a YAML mapping of option names and values "
                          f"(hidden_size: 16), found {type(data).__name__} "
                          f"{repr(data)[:20]} at the top level; fix the file")
    return data


def _unwrap(p: Path, data: dict) -> Settings:
    """A record's options (with its command), else the file's own keys."""
    options, config = data.get("options"), data.get("config")
    if isinstance(options, dict) and set(data) <= {"options", "command", "config_file", "sources"}:
        from .io.cli_options import run_kind  # cli.json (an older one: no command)

        return Settings(p, options, True, run_kind(data) or None, p.name == "cli.json")
    if isinstance(options, dict) and isinstance(data.get("rows"), list) and "versions" in data:
        return Settings(p, _bench_options(options), True, "rnnlab bench")  # (bench --json)
    if not (isinstance(config, dict) and "versions" in data):
        return Settings(p, data, False)
    command = data.get("command")  # (config.json: the command line, a list of words)
    words = [w for w in command[1:] if isinstance(w, str)] if isinstance(command, list) else []
    named = ("rnnlab " + " ".join(words[:2] if words[:1] == ["lm"] else words[:1])
             if command and command[0] == "rnnlab" else None)  # (not the API's)
    if isinstance(config.get("options"), dict):  # a panel forecast
        return Settings(p, config["options"], True, named, True)
    if isinstance(config.get("compare"), dict):  # a comparison (a recipe's too, which
        return Settings(p, _compare_options(config["compare"]), True,  # compare repeats)
                        named and "rnnlab compare", True)
    if "as_written" in config and "recipe" in config:  # an as-written run: `rnnlab compare
        # --recipe NAME --as-written` repeats it, seed included (recipe run has no --seeds;
        # each command sent the file to the other)
        options = {"recipe": config["recipe"], "as_written": True,
                   "quick": bool(config.get("quick")), "seeds": [data.get("seed", 0)]}
        return Settings(p, options, True, named and "rnnlab compare", True)
    if isinstance(config.get("parts"), dict):
        raise OptionError(f"--config {p}: the record of a recipe of several parts "
                          f"({', '.join(map(str, config['parts']))}); give one part's "
                          f"directory (its config.json), or run the recipe again with "
                          f"`rnnlab recipe run {config.get('recipe', 'NAME')}`")
    return Settings(p, {k: v for k, v in config.items() if k not in RECORD_ONLY}, True, named,
                    True)


def _bench_options(options: dict) -> dict:
    """The options a ``rnnlab bench --json`` file records (its workloads, models and paths
    as lists), as its command line takes them (comma-separated)."""
    from .bench.names import DEPTH, FAST_IMPLS

    out = {k: ",".join(map(str, v)) if isinstance(v, list) else v for k, v in options.items()}
    # the defaults it records resolved are given back as not typed: --paths and --depth
    # given beside models that read neither are refused
    for key, default in (("paths", ",".join(FAST_IMPLS)), ("depth", DEPTH)):
        if out.get(key) == default:
            out.pop(key)
    return out


def _compare_options(fields: dict) -> dict:
    """The CompareConfig fields that differ from their defaults, by their options' names
    (the others: not given, as on its command line, where a flag not typed keeps the base)."""
    from dataclasses import fields as fields_of

    from .compare.config import CompareConfig
    from .compare.flag_checks import RENAMED

    defaults = CompareConfig().to_dict()
    names = {f.name for f in fields_of(CompareConfig)} - {"device"}  # (--accelerator's)
    return {RENAMED.get(k, k): v for k, v in fields.items()
            if k in names and v != defaults.get(k)}


def record_files(files) -> list:
    """The run records (``config.json``/``cli.json`` of a run) among the ``--config`` files
    ``files`` (one path or a list, as ``args.config`` holds them), in order; a file that
    cannot be read is skipped (its own refusal came when it was applied)."""
    from .io.errors import RnnlabError

    found = []
    for path in filter(None, files if isinstance(files, list) else [files]):
        try:
            settings = read_settings(path)
        except RnnlabError:
            continue
        if settings.record:
            found.append(settings.path)
    return found
