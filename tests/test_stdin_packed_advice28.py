"""What a compressed input on standard input that rnnlab cannot read is told to do: since
stdin is kept under its compressed name (``.csv.zst``, ``.csv.zip``) the reader's advice
named the copy as ``-`` in a command that reads no pipe: "unpack it first (`unzstd -k -`)
and pass that file", "unzip it (`unzip -`)" (unzip reads no standard input)."""

from __future__ import annotations

import io
import zipfile

import pytest
from cli_run import run
from test_cli_pipes20 import AIRLINE, _stdin

from rnnlab.io.stdin_input import as_typed

ZSTD = b"\x28\xb5\x2f\xfd" + b"\x00" * 12  # (zstd's first bytes: rnnlab reads no zstd)


def _zip(*names: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for n in names:
            z.writestr(n, AIRLINE.read_text())
    return buf.getvalue()


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("RNNLAB_CACHE", str(tmp_path / "cache"))


@pytest.mark.parametrize("command", [["backtest", "--data", "-", "--model", "naive",
                                      "--horizon", "3", "--baselines", "naive"],
                                     ["lm", "prepare", "-"]])
def test_zstd_on_stdin_is_told_to_unpack_in_the_pipe(command, cache, tmp_path, monkeypatch,
                                                     capsys):
    _stdin(monkeypatch, ZSTD)
    code, err = run([*command, "--out", str(tmp_path / "o")], capsys)
    assert code == 1 and "is zstd-compressed" in err, err
    assert "`... | unzstd | rnnlab ...`" in err and "unzstd -k -" not in err, err


def test_a_zip_of_several_files_on_stdin_is_told_to_save_it_first(cache, tmp_path,
                                                                  monkeypatch, capsys):
    _stdin(monkeypatch, _zip("a.csv", "b.csv"))
    code, err = run(["backtest", "--data", "-", "--model", "naive", "--horizon", "3",
                     "--out", str(tmp_path / "o")], capsys)
    assert code == 1 and "a zip archive of 2 files (a.csv, b.csv)" in err, err
    assert "`unzip -`" not in err and "unzip reads no pipe" in err, err


def test_a_file_named_as_typed_keeps_its_advice(tmp_path):
    """A path typed (not ``-``) is left as the reader said it."""
    said = f"{tmp_path}/x.csv.zst: unpack it first (`unzstd -k {tmp_path}/x.csv.zst`)"

    class Args:
        copies = {}

    assert as_typed(said, Args()) == said


@pytest.mark.parametrize("members", [
    ("[Content_Types].xml", "_rels/.rels", "xl/workbook.xml"), ("mimetype", "content.xml")])
def test_a_spreadsheet_on_stdin_is_told_to_save_it_as_csv(members, cache, tmp_path,
                                                         monkeypatch, capsys):
    """An .xlsx (.ods) piped in, or under a name that does not say so, is a zip archive of
    several files: it was told to unzip it and pass one of its XML parts."""
    _stdin(monkeypatch, _zip(*members))
    code, err = run(["backtest", "--data", "-", "--model", "naive", "--horizon", "3",
                     "--out", str(tmp_path / "o")], capsys)
    assert code == 1 and "-: is a spreadsheet or Office document" in err, err
    assert "save it as CSV (UTF-8" in err and "unzip" not in err, err
    named = tmp_path / "sales.csv"  # (a download saved under the name it was meant to have)
    named.write_bytes(_zip(*members))
    code, err = run(["backtest", "--data", str(named), "--model", "naive", "--horizon", "3",
                     "--out", str(tmp_path / "o")], capsys)
    assert code == 1 and f"{named}: is a spreadsheet or Office document" in err, err
