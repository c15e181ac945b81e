"""Each loader of a file the user names, given a symbolic link that loops or leads nowhere,
or a file the user may not read: the error says what stands there and how to mend it.
``Path.exists()`` is False for both links, so the loaders said "no such file" (or "neither a
built-in corpus nor an existing file") of a link ``ls`` shows; a file without read
permission said only "cannot be read (Permission denied)"."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from rnnlab.cli import main
from rnnlab.io.errors import RnnlabError

SRC = str(Path(__file__).resolve().parents[1] / "src")


def _load_series(p, tmp):
    from rnnlab.data.series import load_series
    load_series(p)


def _read_panel(p, tmp):
    from rnnlab.panel.csv_panel import read_csv_panel
    read_csv_panel(p, None)


def _static(p, tmp):
    from rnnlab.panel.covariates import static_file
    static_file(str(p), None)


def _future(p, tmp):
    from rnnlab.panel.future_file import read_future
    read_future(str(p), ["temp"], None, None)


def _corpus(p, tmp):
    from rnnlab.data.text import load_corpus
    load_corpus(p)


def _prepare(p, tmp):
    from rnnlab.data.corpus_mmap import prepare_corpus
    prepare_corpus(p, tmp / "prepared")


def _json(p, tmp):
    from rnnlab.io.json_file import read_json
    read_json(p)


def _weights(p, tmp):
    from rnnlab.io.weights import load_weights
    load_weights(p)


LOADERS = {"load_series": (_load_series, "d.csv"), "read_csv_panel": (_read_panel, "p.csv"),
           "static_file": (_static, "s.csv"), "read_future": (_future, "f.csv"),
           "load_corpus": (_corpus, "c.txt"), "prepare_corpus": (_prepare, "c.txt"),
           "read_json": (_json, "m.json"), "load_weights": (_weights, "w.safetensors")}


def _loop(p: Path) -> None:
    other = p.with_name("other" + p.suffix)
    other.symlink_to(p.name)
    p.symlink_to(other.name)


@pytest.mark.parametrize("loader", sorted(LOADERS))
@pytest.mark.parametrize("kind", ["loop", "self", "dangling"])
def test_a_broken_link_is_named_as_one(tmp_path, loader, kind):
    load, name = LOADERS[loader]
    p = tmp_path / name
    if kind == "loop":
        _loop(p)
    elif kind == "self":
        p.symlink_to(p.name)
    else:
        p.symlink_to("gone/" + name)
    with pytest.raises(RnnlabError) as got:
        load(p, tmp_path)
    said = str(got.value)
    assert "no such file" not in said and "nor an existing file" not in said, said
    assert (f"{p}: a symbolic link that loops" if kind != "dangling" else
            f"{p}: a symbolic link to gone/{name}, which does not exist") in said, said
    assert f"ln -sfn FILE {p}" in said, said


@pytest.mark.parametrize("args", [["forecast", "--data"], ["forecast", "--print-config",
                                                            "--config"],
                                  ["lm", "prepare", "--out", "o"], ["score", "--actuals"]])
def test_the_commands_say_it_too(tmp_path, capsys, monkeypatch, args):
    """Through the command line (a usage error for --config: exit status 2)."""
    monkeypatch.chdir(tmp_path)
    name = "s.json" if "--config" in args else "d.csv"
    Path(name).symlink_to(name)
    if args[0] == "score":
        Path("f.csv").write_text("date,forecast\n2020-01-01,1\n")
        args = args + [name, "f.csv"]
    else:
        args = args + [name]
    code = main(args)
    err = capsys.readouterr().err
    assert code in (1, 2) and "Traceback" not in err, err
    assert f"{name}: a symbolic link that loops ({name} -> {name} leads back to itself)" \
        in err, err


def test_a_plain_missing_file_still_says_no_such_file(tmp_path):
    from rnnlab.data.series import load_series

    with pytest.raises(RnnlabError, match=r"d\.csv: no such file; pass a CSV path"):
        load_series(tmp_path / "d.csv")


def test_permission_denied_says_what_to_do(tmp_path):
    from rnnlab.io.unreadable import read_failure

    said = read_failure(tmp_path / "d.csv",
                        PermissionError(errno.EACCES, "Permission denied"), "--data d.csv")
    assert said.startswith("--data d.csv: cannot be read (permission denied)"), said
    assert f"chmod u+r {tmp_path / 'd.csv'}" in said, said


def _unprivileged():
    """The command prefix that runs without the power to read any file (root's), or None."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    drop = "-dac_override,-dac_read_search"
    return [setpriv, f"--bounding-set={drop}", f"--inh-caps={drop}"] if setpriv else None


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
@pytest.mark.parametrize("args", [["forecast", "--data", "d.csv"],
                                  ["lm", "prepare", "d.csv", "--out", "o"]])
def test_a_file_without_read_permission(tmp_path, args):
    prefix = _unprivileged()
    if prefix is None:
        pytest.skip("root, and no setpriv to drop its power to read any file")
    (tmp_path / "d.csv").write_text("date,y\n2020-01-01,1\n2020-02-01,2\n")
    os.chmod(tmp_path / "d.csv", 0)
    run = subprocess.run(prefix + [sys.executable, "-m", "rnnlab"] + args, cwd=tmp_path,
                         env=dict(os.environ, PYTHONPATH=SRC), capture_output=True,
                         text=True, timeout=120)
    if "Operation not permitted" in run.stderr and "setpriv" in run.stderr:
        pytest.skip("setpriv cannot drop capabilities here")
    assert run.returncode == 1 and "Traceback" not in run.stderr, run.stderr
    assert "d.csv: cannot be read (permission denied); expected a file you may read" \
        in run.stderr and "chmod u+r d.csv" in run.stderr, run.stderr
