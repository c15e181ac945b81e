"""The hostile list: ~150 bad inputs through the CLI, as a user would type them.

Each case runs ``python -m rnnlab ...`` in a subprocess (tiny settings, a timeout) in a
fresh folder holding the files it needs, and its outcome is one of:

- ``clear error``: non-zero exit, a message, no traceback (what hostile input should get);
- ``correct``: exit 0 and the output checked (where the input is valid, or has a defined
  meaning);
- ``traceback``: a Python traceback reached the user;
- ``silently wrong``: exit 0 where a refusal was due, or an output that fails its check;
- ``refused valid``: a valid input refused (an error, but not a hostile input's);
- ``unclear failure``: non-zero exit without a message;
- ``hang``: the command ran past its timeout;
- ``data lost``: a file the user had (the input, a run given to read) was changed or removed.

    PYTHONPATH=src python tests/reliability/hostile_list.py            # the whole list
    PYTHONPATH=src python tests/reliability/hostile_list.py -k csv -v  # names matching 'csv'

Last full run, on the merged main (2 CPU cores, quiet; 418 s), made by
``PYTHONPATH=src python tests/reliability/hostile_list.py --workers 2 --json out.json``
(``forecast panel --id-column`` is now "correct": the panel options reach ``rnnlab forecast``):

| outcome | count |
|---|---|
| clear error | 196 |
| correct | 40 |
| traceback | 0 |
| silently wrong | 0 |
| refused valid | 0 |
| unclear failure | 0 |
| hang | 0 |
| data lost | 0 |
| total | 236 |

The first pass (232 cases, before the fixes) had 4 tracebacks, 2 hangs, 2 data losses and
9 exits 0 where a refusal was expected; 6 of those 9 were found to be defined behaviour
(``--patience`` larger than the epochs, ``-n 0``, ``compare --max-seconds inf``, a resumed
run saying it ignores ``--data``, a damaged ``latest.json`` falling back to the newest
checkpoint with a note, reading a model through a link) and their cases now expect it.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, List, Optional, Sequence, Tuple

SRC = str(Path(__file__).resolve().parents[2] / "src")
OUTCOMES = ("clear error", "correct", "traceback", "silently wrong", "refused valid",
            "unclear failure", "hang", "data lost")

# tiny settings: each accepted case trains in seconds
F_TINY = ["--epochs", "1", "--ensemble", "1", "--hidden-size", "4", "--threads", "1",
          "--no-progress"]
L_TINY = ["--epochs", "1", "--hidden-size", "4", "--embedding", "4", "--seq-len", "8",
          "--batch-size", "4", "--threads", "1", "--no-progress"]
B_TINY = ("--baselines", "naive", "--horizon", "3", "--plot-series", "0")


@dataclass(frozen=True)
class Case:
    name: str
    args: Tuple[str, ...]                   # after `python -m rnnlab`
    expect: str = "error"                   # error | ok | either
    files: Dict[str, object] = field(default_factory=dict)  # name -> bytes | callable(path)
    fixtures: Tuple[str, ...] = ()          # built runs copied in: frun, lrun, prep
    writable: Tuple[str, ...] = ()          # paths the command may change (a resumed run)
    check: Optional[Callable[[Path, str], Optional[str]]] = None  # (dir, stdout+stderr) -> problem
    timeout: float = 90.0


# ---------------------------------------------------------------- data files
def monthly(n=72, sep=",", nl="\n", header=("date", "value"), start=2000) -> str:
    rows = [sep.join(header)]
    for i in range(n):
        y, m = start + i // 12, i % 12 + 1
        rows.append(f"{y}-{m:02d}-01{sep}{100 + i + 10 * ((i % 12) in (5, 6, 7)):.1f}")
    return nl.join(rows) + nl


GOOD = monthly()


def panel_csv(ids=("a", "b"), n=30) -> str:
    """A long panel: daily series ``ids`` of ``n`` points, target y, covariate temp."""
    out = ["unique_id,ds,y,temp"]
    for s in ids:
        for i in range(n):
            out.append(f"{s},2020-01-{1 + i:02d},{10 + i % 7 + (s == 'b') * 5},{20 + i % 3}")
    return "\n".join(out) + "\n"


def _text(s: str, enc="utf-8") -> bytes:
    return s.encode(enc)


def _symlink(target: str):
    def make(p: Path):
        p.symlink_to(target)
    return make


def _mkdir(p: Path):
    p.mkdir()


# ---------------------------------------------------------------- checks
def forecast_ok(run="out") -> Callable:
    def check(d: Path, out: str) -> Optional[str]:
        p = d / run / "forecast.csv"
        if not p.is_file():
            return f"{p.name} missing"
        import csv

        with open(p) as f:
            rows = list(csv.DictReader(f))
        vals = [r.get("model") or r.get("forecast") for r in rows]
        if not vals or any(v in (None, "") for v in vals):
            return "forecast.csv has no model column or empty values"
        bad = [v for v in vals if not math.isfinite(float(v))]
        return f"non-finite forecast values {bad[:3]}" if bad else None
    return check


def file_ok(rel: str) -> Callable:
    def check(d: Path, out: str):
        return None if (d / rel).exists() else f"{rel} not written"
    return check


def prints(*words: str) -> Callable:
    def check(d: Path, out: str):
        missing = [w for w in words if w not in out]
        return f"output lacks {missing}" if missing else None
    return check


def no_nan_in(rel: str) -> Callable:
    def check(d: Path, out: str):
        p = d / rel
        if not p.exists():
            return f"{rel} not written"
        text = p.read_text()
        return f"{rel} holds NaN" if "nan" in text.lower().replace("nan_", "") else None
    return check


# ---------------------------------------------------------------- the cases
def numeric_cases(prefix: str, base: Sequence[str], options: Dict[str, str],
                  fixtures=(), files=None, per_option: int = 1,
                  valid: Optional[Dict[str, set]] = None) -> List[Case]:
    """Bad values for each numeric option: ``per_option`` of its kind's list (empty,
    negative, zero, NaN, inf, non-numeric, fractional, huge), taken in turn so that every
    value of the list meets several options. ``options``: flag -> int | int0 (0 valid) |
    float | float0 (0 valid) | seed."""
    values = {"int": ["0", "abc", "99999999999", "-1", "1.5", ""],
              "int0": ["-1", "99999999999", "1.5", "abc"],
              "float": ["nan", "inf", "-1", "0", "abc", ""],
              "float0": ["nan", "inf", "-1", ""],
              "seed": ["abc", "1.5", "99999999999999999999"]}
    turn = {k: 0 for k in values}
    cases = []
    for flag, kind in options.items():
        for _ in range(per_option):
            vals = values[kind]
            v = vals[turn[kind] % len(vals)]
            turn[kind] += 1
            ok = v in (valid or {}).get(flag, ())  # a value with a meaning for this option
            cases.append(Case(f"{prefix} {flag}={v!r}", tuple(base) + (flag, v),
                              "either" if ok else "error", fixtures=tuple(fixtures),
                              files=dict(files or {}), timeout=60))
    return cases


def build_cases() -> List[Case]:
    C: List[Case] = []
    fc = ("forecast", "--out", "out") + tuple(F_TINY)
    # --- top level
    C += [Case("--version", ("--version",), "ok", check=prints("rnnlab")),
          Case("--help", ("--help",), "ok", check=prints("forecast", "lm")),
          Case("no command", (), "either"),
          Case("unknown command", ("frobnicate",)),
          Case("models", ("models",), "ok", check=prints("lstm")),
          Case("models --hidden-size 0", ("models", "--hidden-size", "0")),
          Case("models --hidden-size -5", ("models", "--hidden-size", "-5")),
          Case("models --hidden-size huge", ("models", "--hidden-size", "99999999999")),
          Case("models --input-size nan", ("models", "--input-size", "nan")),
          Case("datasets", ("datasets",), "ok", check=prints("airline")),
          Case("datasets extra arg", ("datasets", "x"))]
    # --- forecast: data files
    data_files = {
        "missing file": ("nope.csv", None),
        "empty file": ("e.csv", b""),
        "binary file": ("b.csv", bytes(range(256)) * 40),
        "utf16 csv": ("u16.csv", GOOD.encode("utf-16")),
        "latin1 header": ("l1.csv", monthly(header=("date", "caf\xe9")).encode("latin-1")),
        "header only": ("h.csv", b"date,value\n"),
        "one row": ("one.csv", b"date,value\n2020-01-01,5\n"),
        "all NaN": ("nan.csv", ("date,value\n" + "".join(
            f"20{10 + i // 12}-{i % 12 + 1:02d}-01,NaN\n" for i in range(60))).encode()),
        "non-numeric column": ("t.csv", ("date,value\n" + "".join(
            f"20{10 + i // 12}-{i % 12 + 1:02d}-01,x{i}\n" for i in range(60))).encode()),
        "inf values": ("inf.csv", GOOD.replace("108.0", "inf").encode()),
        "a directory": ("dir.csv", _mkdir),
        "dev/zero link": ("z.csv", _symlink("/dev/zero")),
        "dangling link": ("dl.csv", _symlink("nowhere.csv")),
        "duplicated dates": ("dup.csv", (GOOD + "2005-12-01,999\n").encode()),
    }
    for label, (fname, content) in data_files.items():
        files = {} if content is None else {fname: content}
        C.append(Case(f"forecast csv: {label}", fc + ("--data", fname), "error", files))
    ok_files = {
        "CRLF": ("crlf.csv", monthly(nl="\r\n").encode()),
        "BOM": ("bom.csv", b"\xef\xbb\xbf" + GOOD.encode()),
        "semicolons": ("semi.csv", monthly(sep=";").encode()),
        "symlink to good csv": ("link.csv", _symlink("good.csv")),
    }
    for label, (fname, content) in ok_files.items():
        C.append(Case(f"forecast csv: {label}", fc + ("--data", fname), "either",
                      {fname: content, "good.csv": GOOD.encode()}, check=forecast_ok()))
    lines = GOOD.splitlines()
    C += [
        Case("forecast csv: good", fc + ("--data", "good.csv"), "ok", {"good.csv": GOOD.encode()},
             check=forecast_ok()),
        Case("forecast csv: unsorted dates", fc + ("--data", "u.csv"), "either",
             {"u.csv": ("\n".join([lines[0]] + lines[1:][::-1]) + "\n").encode()},
             check=forecast_ok()),
        Case("forecast csv: constant", fc + ("--data", "c.csv"), "either",
             {"c.csv": "".join(["date,value\n"] + [f"20{10 + i // 12}-{i % 12 + 1:02d}-01,7\n"
                                                   for i in range(60)]).encode()},
             check=forecast_ok()),
        Case("forecast csv: mixed frequency", fc + ("--data", "mix.csv"), "either",
             {"mix.csv": (monthly(36) + "".join(f"2003-01-{d:02d},5\n"
                                                for d in range(2, 30))).encode()},
             check=prints("no single frequency")),
        Case("forecast csv: NaN gap", fc + ("--data", "g.csv"), "error",
             {"g.csv": GOOD.replace("108.0", "").encode()}),
        Case("forecast csv: NaN gap --fill ffill", fc + ("--data", "g.csv", "--fill", "ffill"),
             "ok", {"g.csv": GOOD.replace("108.0", "").encode()}, check=forecast_ok()),
        Case("forecast --column missing", fc + ("--data", "good.csv", "--column", "nope"),
             "error", {"good.csv": GOOD.encode()}),
        Case("forecast --column 99", fc + ("--data", "good.csv", "--column", "99"),
             "error", {"good.csv": GOOD.encode()}),
        Case("forecast --date-column missing",
             fc + ("--data", "good.csv", "--date-column", "nope"), "error",
             {"good.csv": GOOD.encode()}),
        Case("forecast --date-column is values",
             fc + ("--data", "good.csv", "--date-column", "value"), "error",
             {"good.csv": GOOD.encode()}),
        Case("forecast unknown dataset", fc + ("--data", "nosuchset")),
        Case("forecast unknown model", fc + ("--data", "airline", "--model", "transformer")),
        Case("forecast --period 1000", fc + ("--data", "airline", "--period", "1000")),
        Case("forecast --lookback > series", fc + ("--data", "airline", "--lookback", "500")),
        Case("forecast --horizon > series", fc + ("--data", "airline", "--horizon", "500")),
        Case("forecast --test-size > series", fc + ("--data", "airline", "--test-size", "500")),
        Case("forecast --seeds 0 0", fc + ("--data", "airline", "--seeds", "0", "0")),
        Case("forecast --depth on lstm", fc + ("--data", "airline", "--depth", "3")),
        Case("forecast --lr 1e12", fc + ("--data", "airline", "--lr", "1e12"), "either",
             check=forecast_ok()),
        # outputs
        Case("forecast --out is the input file", ("forecast", "--data", "good.csv", "--out",
                                                 "good.csv") + tuple(F_TINY),
             "error", {"good.csv": GOOD.encode()}),
        Case("forecast --out .", ("forecast", "--data", "good.csv", "--out", ".")
             + tuple(F_TINY), "error", {"good.csv": GOOD.encode()}),
        Case("forecast --out . --overwrite", ("forecast", "--data", "good.csv", "--out", ".",
                                              "--overwrite") + tuple(F_TINY),
             "error", {"good.csv": GOOD.encode()}),
        Case("forecast --out own folder --overwrite",
             ("forecast", "--data", "airline", "--out", "mine", "--overwrite") + tuple(F_TINY),
             "error", {"mine": _mkdir, "mine/notes.txt": b"my notes"}),
        Case("forecast --out existing run", ("forecast", "--data", "airline", "--out", "frun")
             + tuple(F_TINY), "error", fixtures=("frun",)),
        Case("forecast --out under a file", ("forecast", "--data", "airline", "--out",
                                             "good.csv/run") + tuple(F_TINY),
             "error", {"good.csv": GOOD.encode()}),
        Case("forecast --out read-only", ("forecast", "--data", "airline", "--out",
                                          "/sys/rnnlab-hostile") + tuple(F_TINY)),
        Case("forecast --out symlink to dir", ("forecast", "--data", "airline", "--out",
                                               "ln") + tuple(F_TINY),
             "error", {"ext": _mkdir, "ext/keep.txt": b"keep", "ln": _symlink("ext")}),
        Case("forecast --out inside a run's model/", ("forecast", "--data", "airline",
                                                      "--out", "frun/model/x") + tuple(F_TINY),
             "either", fixtures=("frun",)),
    ]
    # --- forecast: numeric options
    C += numeric_cases("forecast", fc + ("--data", "airline"), {
        "--lookback": "int", "--horizon": "int", "--hidden-size": "int", "--num-layers": "int",
        "--epochs": "int", "--lr": "float", "--test-size": "int", "--val-size": "int0",
        "--period": "int", "--batch-size": "int", "--minutes": "float", "--ensemble": "int",
        "--threads": "int", "--patience": "int0", "--clip-norm": "float0", "--seed": "seed"},
        valid={"--patience": {"99999999999"}})
    # --- forecast --run
    C += [
        Case("forecast --run good", ("forecast", "--run", "frun", "--horizon", "6"), "ok",
             fixtures=("frun",), check=prints("forecast")),
        Case("forecast --run --output csv", ("forecast", "--run", "frun", "--horizon", "6",
                                             "--output", "f.csv"), "ok",
             fixtures=("frun",), check=file_ok("f.csv")),
        Case("forecast --run --output existing", ("forecast", "--run", "frun", "--output",
                                                  "good.csv"), "error",
             {"good.csv": GOOD.encode()}, fixtures=("frun",)),
        Case("forecast --run --output is a dir", ("forecast", "--run", "frun", "--output",
                                                  "d"), "error", {"d": _mkdir},
             fixtures=("frun",)),
        Case("forecast --run --output the model", ("forecast", "--run", "frun", "--output",
                                                   "frun/model/model.json", "--overwrite"),
             "error", fixtures=("frun",)),
        Case("forecast --run missing", ("forecast", "--run", "nope")),
        Case("forecast --run a file", ("forecast", "--run", "good.csv"), "error",
             {"good.csv": GOOD.encode()}),
        Case("forecast --run empty dir", ("forecast", "--run", "d"), "error", {"d": _mkdir}),
        Case("forecast --run an lm run", ("forecast", "--run", "lrun"), "error",
             fixtures=("lrun",)),
        Case("forecast --run --horizon 0", ("forecast", "--run", "frun", "--horizon", "0"),
             "error", fixtures=("frun",)),
        Case("forecast --run --horizon huge", ("forecast", "--run", "frun", "--horizon",
                                               "99999999999"), "error", fixtures=("frun",)),
        Case("forecast --run --horizon nan", ("forecast", "--run", "frun", "--horizon", "nan"),
             "error", fixtures=("frun",)),
        Case("forecast --run flipped byte model.json", ("forecast", "--run", "frun"), "error",
             {"frun/model/model.json": "flip"}, fixtures=("frun",)),
        Case("forecast --run truncated safetensors", ("forecast", "--run", "frun"), "error",
             {"frun/model/model.safetensors": "truncate"}, fixtures=("frun",)),
        Case("forecast --run model.json is a list", ("forecast", "--run", "frun"), "error",
             {"frun/model/model.json": b"[1, 2, 3]"}, fixtures=("frun",)),
        Case("forecast --run model.json /dev/zero", ("forecast", "--run", "frun"), "error",
             {"frun/model/model.json": "devzero"}, fixtures=("frun",)),
        Case("forecast --run model/ symlink (read only)", ("forecast", "--run", "frun"),
             "either", {"frun/model": "symlink-away"}, fixtures=("frun",),
             check=prints("1961-12")),
        Case("forecast --resume model/ symlink", ("forecast", "--resume", "frun"), "error",
             {"frun/model": "symlink-away"}, fixtures=("frun",), writable=("frun",)),
        Case("forecast --run weights missing", ("forecast", "--run", "frun"), "error",
             {"frun/model/model.safetensors": "delete"}, fixtures=("frun",)),
    ]
    # --- forecast --resume
    C += [
        Case("forecast --resume unknown dir", ("forecast", "--resume", "nope")),
        Case("forecast --resume empty dir", ("forecast", "--resume", "d"), "error",
             {"d": _mkdir}, writable=("d",)),
        Case("forecast --resume own folder", ("forecast", "--resume", "d"), "error",
             {"d": _mkdir, "d/notes.txt": b"mine"}),
        Case("forecast --resume a file", ("forecast", "--resume", "good.csv"), "error",
             {"good.csv": GOOD.encode()}),
        Case("forecast --resume an lm run", ("forecast", "--resume", "lrun"), "error",
             fixtures=("lrun",), writable=("lrun",)),
        Case("forecast --resume finished run", ("forecast", "--resume", "frun"), "either",
             fixtures=("frun",), writable=("frun",)),
        Case("forecast --resume cli.json is a list", ("forecast", "--resume", "frun"),
             "error", {"frun/cli.json": b"[]"}, fixtures=("frun",), writable=("frun",)),
        Case("forecast --resume cli.json flipped", ("forecast", "--resume", "frun"),
             "error", {"frun/cli.json": "flip"}, fixtures=("frun",), writable=("frun",)),
        Case("forecast --resume and --data", ("forecast", "--resume", "frun", "--data",
                                              "sine"), "either", fixtures=("frun",),
             writable=("frun",), check=prints("ignored --data")),
    ]
    # --- lm prepare
    text = ("the quick brown fox jumps over the lazy dog. " * 60).encode()
    C += [
        Case("lm prepare good", ("lm", "prepare", "t.txt", "--out", "p"), "ok", {"t.txt": text},
             check=file_ok("p/vocab.json")),
        Case("lm prepare missing", ("lm", "prepare", "nope.txt", "--out", "p")),
        Case("lm prepare empty", ("lm", "prepare", "e.txt", "--out", "p"), "error",
             {"e.txt": b""}),
        Case("lm prepare binary", ("lm", "prepare", "b.txt", "--out", "p"), "error",
             {"b.txt": bytes(range(256)) * 40}),
        Case("lm prepare utf16", ("lm", "prepare", "u.txt", "--out", "p"), "error",
             {"u.txt": text.decode().encode("utf-16")}),
        Case("lm prepare a directory", ("lm", "prepare", "d", "--out", "p"), "error",
             {"d": _mkdir}),
        Case("lm prepare --out is input", ("lm", "prepare", "t.txt", "--out", "t.txt"),
             "error", {"t.txt": text}),
        Case("lm prepare --out .", ("lm", "prepare", "t.txt", "--out", "."), "error",
             {"t.txt": text}),
        Case("lm prepare --out . --overwrite", ("lm", "prepare", "t.txt", "--out", ".",
                                               "--overwrite"), "error", {"t.txt": text}),
        Case("lm prepare --val-fraction 1", ("lm", "prepare", "t.txt", "--out", "p",
                                             "--val-fraction", "1"), "error", {"t.txt": text}),
        Case("lm prepare --val-fraction nan", ("lm", "prepare", "t.txt", "--out", "p",
                                               "--val-fraction", "nan"), "error",
             {"t.txt": text}),
        Case("lm prepare --val-fraction -0.1", ("lm", "prepare", "t.txt", "--out", "p",
                                                "--val-fraction", "-0.1"), "error",
             {"t.txt": text}),
        Case("lm prepare one char", ("lm", "prepare", "o.txt", "--out", "p"), "error",
             {"o.txt": b"a"}),
        Case("lm prepare read-only out", ("lm", "prepare", "t.txt", "--out",
                                          "/sys/rnnlab-hostile"), "error", {"t.txt": text}),
    ]
    # --- lm train
    lt = ("lm", "train", "--corpus", "t.txt", "--out", "out") + tuple(L_TINY)
    C += [
        Case("lm train good", lt, "ok", {"t.txt": text}, check=file_ok("out/model")),
        Case("lm train prepared corpus", ("lm", "train", "--corpus", "prep", "--out", "out")
             + tuple(L_TINY), "ok", fixtures=("prep",), check=file_ok("out/model")),
        Case("lm train empty corpus", ("lm", "train", "--corpus", "e.txt", "--out", "out")
             + tuple(L_TINY), "error", {"e.txt": b""}),
        Case("lm train tiny corpus", ("lm", "train", "--corpus", "o.txt", "--out", "out")
             + tuple(L_TINY), "error", {"o.txt": b"ab"}),
        Case("lm train binary corpus", ("lm", "train", "--corpus", "b.txt", "--out", "out")
             + tuple(L_TINY), "error", {"b.txt": bytes(range(256)) * 40}),
        Case("lm train utf16 corpus", ("lm", "train", "--corpus", "u.txt", "--out", "out")
             + tuple(L_TINY), "error", {"u.txt": text.decode().encode("utf-16")}),
        Case("lm train latin1 corpus", ("lm", "train", "--corpus", "l.txt", "--out", "out")
             + tuple(L_TINY), "error", {"l.txt": ("caf\xe9 " * 300).encode("latin-1")}),
        Case("lm train missing corpus", ("lm", "train", "--corpus", "nope.txt", "--out", "out")
             + tuple(L_TINY)),
        Case("lm train corpus is a dir", ("lm", "train", "--corpus", "d", "--out", "out")
             + tuple(L_TINY), "error", {"d": _mkdir}),
        Case("lm train corpus /dev/zero", ("lm", "train", "--corpus", "/dev/zero", "--out",
                                           "out") + tuple(L_TINY)),
        Case("lm train --out is corpus", ("lm", "train", "--corpus", "t.txt", "--out", "t.txt")
             + tuple(L_TINY), "error", {"t.txt": text}),
        Case("lm train --out . --overwrite", ("lm", "train", "--corpus", "t.txt", "--out", ".",
                                              "--overwrite") + tuple(L_TINY), "error",
             {"t.txt": text}),
        Case("lm train --out read-only", ("lm", "train", "--corpus", "t.txt", "--out",
                                          "/sys/rnnlab-hostile") + tuple(L_TINY), "error",
             {"t.txt": text}),
        Case("lm train bidirectional model", lt + ("--model", "bilstm"), "error",
             {"t.txt": text}),
        Case("lm train --resume forecast run", ("lm", "train", "--resume", "frun"), "error",
             fixtures=("frun",), writable=("frun",)),
        Case("lm train --resume unknown", ("lm", "train", "--resume", "nope")),
        Case("lm train --resume empty dir", ("lm", "train", "--resume", "d"), "error",
             {"d": _mkdir}, writable=("d",)),
        Case("lm train --resume latest.json gone", ("lm", "train", "--resume", "lrun"),
             "either", {"lrun/checkpoints/latest.json": "delete"}, fixtures=("lrun",),
             writable=("lrun",)),
        Case("lm train --resume latest.json flipped", ("lm", "train", "--resume", "lrun",
                                                       "--epochs", "2"), "either",
             {"lrun/checkpoints/latest.json": "flip"}, fixtures=("lrun",), writable=("lrun",),
             check=prints("checksum", "newest complete checkpoint")),
        Case("lm eval --text /dev/zero", ("lm", "eval", "--run", "lrun", "--text",
                                          "/dev/zero"), "error", fixtures=("lrun",)),
        Case("lm train --corpus fifo", ("lm", "train", "--corpus", "f.txt", "--out", "out")
             + tuple(L_TINY), "error", {"f.txt": lambda p: os.mkfifo(p)}, timeout=60),
    ]
    C += numeric_cases("lm train", lt, {
        "--hidden-size": "int", "--embedding": "int", "--dropout": "float0",
        "--seq-len": "int", "--batch-size": "int", "--epochs": "int", "--minutes": "float",
        "--lr": "float", "--val-fraction": "float", "--threads": "int"},
        files={"t.txt": text})
    # --- lm eval / generate
    C += [
        Case("lm eval good", ("lm", "eval", "--run", "lrun", "--text", "t.txt"), "ok",
             {"t.txt": text}, fixtures=("lrun",), check=prints("bits")),
        Case("lm eval --json", ("lm", "eval", "--run", "lrun", "--text", "t.txt", "--json"),
             "ok", {"t.txt": text}, fixtures=("lrun",),
             check=lambda d, o: None if o.strip().startswith("{") else "not JSON"),
        Case("lm eval empty text", ("lm", "eval", "--run", "lrun", "--text", "e.txt"),
             "error", {"e.txt": b""}, fixtures=("lrun",)),
        Case("lm eval one char", ("lm", "eval", "--run", "lrun", "--text", "o.txt"),
             "error", {"o.txt": b"t"}, fixtures=("lrun",)),
        Case("lm eval unknown chars only", ("lm", "eval", "--run", "lrun", "--text", "z.txt"),
             "either", {"z.txt": "\u00e9\u00e8\u00ea\u00eb" .encode() * 50},
             fixtures=("lrun",)),
        Case("lm eval binary text", ("lm", "eval", "--run", "lrun", "--text", "b.txt"),
             "error", {"b.txt": bytes(range(256)) * 10}, fixtures=("lrun",)),
        Case("lm eval forecast run", ("lm", "eval", "--run", "frun", "--text", "t.txt"),
             "error", {"t.txt": text}, fixtures=("frun",)),
        Case("lm eval missing run", ("lm", "eval", "--run", "nope", "--text", "t.txt"),
             "error", {"t.txt": text}),
        Case("lm eval vocab flipped", ("lm", "eval", "--run", "lrun", "--text", "t.txt"),
             "error", {"t.txt": text, "lrun/model/model.json": "flip"}, fixtures=("lrun",)),
        Case("lm eval truncated weights", ("lm", "eval", "--run", "lrun", "--text", "t.txt"),
             "error", {"t.txt": text, "lrun/model/model.safetensors": "truncate"},
             fixtures=("lrun",)),
        Case("lm eval config list", ("lm", "eval", "--run", "lrun", "--text", "t.txt"),
             "error", {"t.txt": text, "lrun/model/model.json": b"[]"}, fixtures=("lrun",)),
        Case("lm eval prepared corpus", ("lm", "eval", "--run", "lrun", "--text", "prep"),
             "either", fixtures=("lrun", "prep")),
        Case("lm generate good", ("lm", "generate", "--run", "lrun", "--prefix", "the ",
                                  "-n", "20"), "ok", fixtures=("lrun",)),
        Case("lm generate unknown prefix", ("lm", "generate", "--run", "lrun", "--prefix",
                                            "\u00e9\u00e9", "-n", "5"), "error",
             fixtures=("lrun",)),
        Case("lm generate empty prefix", ("lm", "generate", "--run", "lrun", "--prefix", "",
                                          "-n", "5"), "error", fixtures=("lrun",)),
        Case("lm generate -n huge", ("lm", "generate", "--run", "lrun", "-n",
                                     "100000000000"), "error", fixtures=("lrun",)),
        Case("lm generate forecast run", ("lm", "generate", "--run", "frun", "-n", "5"),
             "error", fixtures=("frun",)),
        Case("lm generate missing run", ("lm", "generate", "--run", "nope", "-n", "5")),
        Case("lm generate weights gone", ("lm", "generate", "--run", "lrun", "-n", "5"),
             "error", {"lrun/model/model.safetensors": "delete"}, fixtures=("lrun",)),
    ]
    C += numeric_cases("lm generate", ("lm", "generate", "--run", "lrun", "--prefix", "the",
                                       "-n", "5"),
                       {"-n": "int", "--temperature": "float", "--top-k": "int"},
                       fixtures=("lrun",), valid={"-n": {"0"}})  # -n 0: the prefix alone
    # --- compare / recipes
    cmp = ("compare", "--data", "airline", "--models", "rnn", "gru", "--seeds", "0",
           "--epochs", "1", "--hidden-size", "4", "--no-match-params", "--threads", "1",
           "--out", "out")
    C += [
        Case("compare good", cmp, "ok", check=file_ok("out/report.md"), timeout=120),
        Case("compare unknown model", cmp + ("--models", "nope")),
        Case("compare no models", ("compare", "--data", "airline", "--models", "--out", "out")),
        Case("compare --seeds 0 0", cmp + ("--seeds", "0", "0")),
        Case("compare missing data", cmp + ("--data", "nope.csv")),
        Case("compare utf16 data", cmp + ("--data", "u.csv"), "error",
             {"u.csv": GOOD.encode("utf-16")}),
        Case("compare --out is input", cmp + ("--data", "good.csv", "--out", "good.csv"),
             "error", {"good.csv": GOOD.encode()}),
        Case("compare --out . --overwrite", cmp + ("--out", ".", "--overwrite"), "error",
             {"keep.txt": b"mine"}),
        Case("compare lm missing corpus", ("compare", "--task", "lm", "--data", "nope.txt",
                                           "--models", "lstm", "--out", "out")),
        Case("compare --match-to not in models", cmp + ("--match-params", "--match-to",
                                                        "lstm"), "either", timeout=120),
        Case("recipe run unknown", ("recipe", "run", "no-such-recipe")),
        Case("recipe no subcommand", ("recipe",), "either"),
        Case("recipes", ("recipes",), "ok", check=prints("e1-dji-compare")),
    ]
    C += numeric_cases("compare", cmp, {
        "--hidden-size": "int", "--epochs": "int", "--lr": "float", "--max-seconds": "float",
        "--lookback": "int", "--tolerance": "float"},
        valid={"--max-seconds": {"inf"}})  # no time limit
    # --- bench
    bq = ("bench", "--configs", "C3", "--models", "lstm", "--repeats", "1", "--warmup", "0",
          "--threads", "1", "--row-seconds", "5")
    C += [Case("bench unknown config", ("bench", "--configs", "C99", "--models", "lstm")),
          Case("bench unknown model", ("bench", "--configs", "C3", "--models", "nope")),
          Case("bench --device cuda (none)", bq + ("--device", "cuda"), "error"),
          Case("bench --json into a dir", bq + ("--json", "d"), "error", {"d": _mkdir}),
          Case("bench --json existing file", bq + ("--json", "good.csv"), "error",
               {"good.csv": GOOD.encode()}),
          Case("bench --json its own results", bq + ("--json", "b.json"), "error",
               {"b.json": b'{"rows": []}'}),  # (kept unless --overwrite: test_user_sweep_repro)
          Case("bench --json its own results --overwrite", bq + ("--json", "b.json",
                                                                "--overwrite"), "ok",
               {"b.json": b'{"rows": []}'}, writable=("b.json",),
               check=prints("| C3 |")),
          ]
    C += numeric_cases("bench", bq, {"--repeats": "int", "--row-seconds": "float"})
    # --- backtest (panels)
    bt = ("backtest", "--data", "p.csv", "--out", "out") + B_TINY
    good_panel = panel_csv()
    pf = {"p.csv": good_panel.encode()}
    C += [
        Case("backtest good", bt, "ok", pf, check=file_ok("out/summary.csv")),
        Case("backtest missing id column", bt + ("--id-column", "store"), "error", pf),
        Case("backtest no id column in file", bt, "error",
             {"p.csv": "\n".join(l.split(",", 1)[1] for l in
                                 good_panel.splitlines()).encode()}),
        Case("backtest duplicated (id, date)", bt, "error",
             {"p.csv": (good_panel + "a,2020-01-05,3,20\n").encode()}),
        Case("backtest NaN covariate", bt + ("--future-covariates", "temp"), "error",
             {"p.csv": good_panel.replace("\na,2020-01-05,14,21\n",
                                          "\na,2020-01-05,14,\n").encode()}),
        Case("backtest unsorted quantiles", bt + ("--quantiles", "0.9", "0.5", "0.1"),
             "error", pf),
        Case("backtest quantile 0", bt + ("--quantiles", "0", "0.5"), "error", pf),
        Case("backtest quantile 1.5", bt + ("--quantiles", "0.5", "1.5"), "error", pf),
        Case("backtest quantile nan", bt + ("--quantiles", "nan"), "error", pf),
        Case("backtest duplicated quantiles", bt + ("--quantiles", "0.5", "0.5"), "error", pf),
        Case("backtest unknown covariate", bt + ("--future-covariates", "rain"), "error", pf),
        Case("backtest unknown baseline", bt + ("--baselines", "prophet"), "error", pf),
        Case("backtest unknown model", bt + ("--model", "nope"), "error", pf),
        Case("backtest series too short", bt + ("--horizon", "40"), "error", pf),
        Case("backtest empty csv", bt, "error", {"p.csv": b""}),
        Case("backtest utf16 csv", bt, "error", {"p.csv": good_panel.encode("utf-16")}),
        Case("backtest binary csv", bt, "error", {"p.csv": bytes(range(256)) * 20}),
        Case("backtest semicolon csv", bt, "either",
             {"p.csv": good_panel.replace(",", ";").encode()},
             check=file_ok("out/summary.csv")),
        Case("backtest missing csv", bt + ("--data", "nope.csv")),
        Case("backtest csv is a dir", bt + ("--data", "d"), "error", {"d": _mkdir}),
        Case("backtest --out is input", ("backtest", "--data", "p.csv", "--out", "p.csv")
             + B_TINY, "error", pf),
        Case("backtest --out . --overwrite", ("backtest", "--data", "p.csv", "--out", ".",
                                              "--overwrite") + B_TINY, "error", pf),
        Case("backtest --out read-only", ("backtest", "--data", "p.csv", "--out",
                                          "/sys/rnnlab-hostile") + B_TINY, "error", pf),
        Case("backtest --refit abc", bt + ("--refit", "abc"), "error", pf),
        Case("backtest --refit 0", bt + ("--refit", "0"), "error", pf),
        Case("backtest --refit -3", bt + ("--refit", "-3"), "error", pf),
        Case("backtest unsorted dates", bt, "either",
             {"p.csv": (good_panel.splitlines()[0] + "\n" + "\n".join(
                 good_panel.splitlines()[1:][::-1]) + "\n").encode()},
             check=file_ok("out/summary.csv")),
        Case("backtest constant series", bt, "either",
             {"p.csv": "\n".join(["unique_id,ds,y"] + [f"a,2020-01-{i + 1:02d},5"
                                                       for i in range(30)]).encode()},
             check=no_nan_in("out/summary.csv")),
        Case("backtest one-row series", bt, "either",
             {"p.csv": (good_panel + "c,2020-01-01,3,20\n").encode()},
             check=prints("left out there: c")),
        Case("backtest mixed frequency", bt, "error",
             {"p.csv": (good_panel + "".join(f"c,2020-{m:02d}-01,{m},20\n"
                                             for m in range(1, 13))).encode()}),
        Case("backtest all-NaN target", bt, "error",
             {"p.csv": "\n".join(["unique_id,ds,y"] + [f"a,2020-01-{i + 1:02d},"
                                                       for i in range(30)]).encode()}),
        Case("backtest static covariate varies", bt + ("--static-covariates", "temp"),
             "error", pf),
        Case("backtest global lstm", bt + ("--model", "lstm", "--epochs", "1",
                                           "--lookback", "7"), "ok", pf,
             check=file_ok("out/summary.csv"), timeout=120),
    ]
    C += numeric_cases("backtest", bt, {"--horizon": "int", "--period": "int",
                                        "--first-origin": "int", "--stride": "int",
                                        "--max-seconds": "float", "--threads": "int0"},
                       files=pf)
    # --- forecast with panel options
    C += [Case("forecast panel --id-column", ("forecast", "--data", "p.csv", "--id-column",
                                              "unique_id", "--date-column", "ds", "--column",
                                              "y", "--model", "seasonal_naive", "--horizon", "3",
                                              "--out", "out"), "either", pf,
               check=file_ok("out/forecasts.csv")),
          Case("forecast panel missing id column", ("forecast", "--data", "p.csv",
                                                    "--id-column", "store", "--horizon", "3",
                                                    "--out", "out"), "error", pf)]
    return C


# ---------------------------------------------------------------- running
def _run(args: Sequence[str], cwd: Path, timeout: float):
    env = dict(os.environ, PYTHONPATH=SRC + os.pathsep + os.environ.get("PYTHONPATH", ""),
               MPLBACKEND="Agg", RNNLAB_NO_DOWNLOAD="1")
    t0 = time.time()
    try:
        p = subprocess.run([sys.executable, "-m", "rnnlab", *args], cwd=cwd, env=env,
                           stdin=subprocess.DEVNULL, capture_output=True, timeout=timeout)
        return p.returncode, p.stdout.decode(errors="replace"), \
            p.stderr.decode(errors="replace"), time.time() - t0
    except subprocess.TimeoutExpired as e:
        return None, (e.stdout or b"").decode(errors="replace"), \
            (e.stderr or b"").decode(errors="replace"), time.time() - t0


def build_fixtures(root: Path) -> None:
    """The runs the cases read: a tiny forecast run, a tiny LM run, a prepared corpus."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "t.txt").write_bytes(("the quick brown fox jumps over the lazy dog. " * 60).encode())
    jobs = {"frun": ["forecast", "--data", "airline", "--out", "frun", *F_TINY],
            "lrun": ["lm", "train", "--corpus", "t.txt", "--out", "lrun", *L_TINY],
            "prep": ["lm", "prepare", "t.txt", "--out", "prep"]}
    for name, args in jobs.items():
        if not (root / name).exists():
            rc, out, err, _ = _run(args, root, 300)
            if rc != 0:
                raise RuntimeError(f"fixture {name} failed ({rc}):\n{out}\n{err}")


def _snapshot(d: Path) -> Dict[str, str]:
    snap = {}
    for dirpath, dirnames, filenames in os.walk(d):
        for f in filenames:
            p = Path(dirpath) / f
            if p.is_symlink() or not p.is_file():
                continue
            snap[str(p.relative_to(d))] = hashlib.sha256(p.read_bytes()).hexdigest()
    return snap


def _apply(d: Path, rel: str, what) -> None:
    p = d / rel
    if callable(what):
        what(p)
    elif isinstance(what, bytes):
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(what)
    elif what == "flip":  # one digit changed: a number still, a different one
        b = bytearray(p.read_bytes())
        i = next(i for i in range(len(b) // 2, len(b)) if chr(b[i]).isdigit())
        b[i] = ord("1") if b[i] != ord("1") else ord("2")
        p.write_bytes(bytes(b))
    elif what == "truncate":
        p.write_bytes(p.read_bytes()[: p.stat().st_size // 2])
    elif what == "delete":
        p.unlink()
    elif what == "devzero":
        p.unlink()
        p.symlink_to("/dev/zero")
    elif what == "symlink-away":
        away = d / "away"
        shutil.move(str(p), str(away))
        p.symlink_to(away.resolve())
    else:
        raise ValueError(what)


def run_case(case: Case, root: Path) -> Tuple[str, str, float]:
    """``(outcome, detail, seconds)`` of one case, in a fresh folder under ``root``."""
    d = Path(tempfile.mkdtemp(prefix="case-", dir=root))
    for fx in case.fixtures:
        shutil.copytree(root / "fixtures" / fx, d / fx, symlinks=True)
    for rel, what in case.files.items():
        _apply(d, rel, what)
    before = _snapshot(d)
    rc, out, err, secs = _run(case.args, d, case.timeout)
    after = _snapshot(d)
    text = out + err
    try:
        if rc is None:
            return "hang", f"no answer in {case.timeout:.0f} s", secs
        if "Traceback (most recent call last)" in text:
            return "traceback", err.strip().splitlines()[-1][:200], secs
        lost = [f for f, h in before.items() if after.get(f) != h
                and not any(f == w or f.startswith(w + "/") for w in case.writable)]
        if lost:
            return "data lost", f"changed or removed: {lost[:4]}", secs
        last = (err.strip().splitlines() or [""])[-1][:200]
        if rc != 0:
            if not (err.strip() or out.strip()):
                return "unclear failure", f"exit {rc}, no message", secs
            return ("refused valid" if case.expect == "ok" else "clear error"), last, secs
        if case.expect == "error":
            return "silently wrong", f"exit 0: {text.strip()[-200:]}", secs
        try:
            problem = case.check(d, text) if case.check else None
        except Exception as e:  # an output the check cannot read is a wrong output
            problem = f"check failed: {type(e).__name__}: {e}"
        if problem:
            return "silently wrong", problem, secs
        return "correct", "", secs
    finally:
        shutil.rmtree(d, ignore_errors=True)


def sweep(cases: Sequence[Case], root: Path, workers: int = 2, verbose: bool = False):
    build_fixtures(root / "fixtures")
    results = []

    def one(c):
        outcome, detail, secs = run_case(c, root)
        if verbose or outcome not in ("clear error", "correct"):
            print(f"{outcome:15s} {secs:5.1f}s  {c.name}  | {detail}", flush=True)
        return c, outcome, detail

    with ThreadPoolExecutor(workers) as ex:
        results = list(ex.map(one, cases))
    return results


def table(results) -> str:
    counts = {o: 0 for o in OUTCOMES}
    for _, o, _ in results:
        counts[o] += 1
    lines = ["| outcome | count |", "|---|---|"]
    lines += [f"| {o} | {n} |" for o, n in counts.items()]
    lines.append(f"| total | {len(results)} |")
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("-k", default="", help="only cases whose name contains this")
    ap.add_argument("-v", action="store_true", help="print every case")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--keep", default=None, help="work folder to keep (default: a temp one)")
    ap.add_argument("--json", default=None, help="also write the outcomes to this file")
    a = ap.parse_args(argv)
    cases = [c for c in build_cases() if a.k in c.name]
    root = Path(a.keep or tempfile.mkdtemp(prefix="rnnlab-hostile-"))
    root.mkdir(parents=True, exist_ok=True)
    t0 = time.time()
    try:
        results = sweep(cases, root, a.workers, a.v)
    finally:
        if not a.keep:
            shutil.rmtree(root, ignore_errors=True)
    print(table(results))
    print(f"{len(results)} cases in {time.time() - t0:.0f} s")
    if a.json:
        Path(a.json).write_text(json.dumps([{"case": c.name, "outcome": o, "detail": d}
                                            for c, o, d in results], indent=1))
    bad = sum(o in ("traceback", "silently wrong", "hang", "data lost", "unclear failure")
              for _, o, _ in results)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
