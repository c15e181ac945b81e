"""Users whose environment is not UTF-8 (session 22): a Docker image's ``LC_ALL=C
PYTHONUTF8=0`` (Python reads the command line and file names as ASCII: each byte beyond
it is a lone surrogate), a Windows console (cp1252 when redirected), a Latin-1 file name
in a UTF-8 locale, a Japanese file in CP932."""

from __future__ import annotations

import argparse
import csv
import io
import sys

import pytest

from cli_run import run as run_cli

# "año" typed in a UTF-8 terminal, as Python decodes it under LC_ALL=C PYTHONUTF8=0
ANO = "a\udcc3\udcb1o"


def test_a_name_typed_under_an_ascii_locale_is_read_as_the_utf8_it_is():
    from rnnlab.cli_text import as_typed_text, read_typed_text

    assert as_typed_text(f"Ventas {ANO}") == "Ventas año"
    assert as_typed_text(["x", "El ni\udcc3\udcb1o"]) == ["x", "El niño"]
    assert as_typed_text("caf\udce9") == "caf\udce9"  # (Latin-1 bytes: left as they came)
    args = argparse.Namespace(column=f"Ventas {ANO}", data=f"dir {ANO}/f.csv",
                              out=f"run {ANO}", paths=[f"r {ANO}"], config=f"{ANO}.json",
                              seed=0)
    read_typed_text(args)
    assert args.column == "Ventas año" and args.seed == 0
    # paths reach the file system through the surrogates: open() cannot encode "ñ" there
    assert (args.data, args.out, args.paths, args.config) == (
        f"dir {ANO}/f.csv", f"run {ANO}", [f"r {ANO}"], f"{ANO}.json")


def test_a_column_typed_under_an_ascii_locale_is_found(tmp_path, capsys):
    """`--column "Ventas año"` was "not found; columns are ['Fecha', 'Ventas año']"."""
    path = tmp_path / "ventas.csv"
    rows = "".join(f"2020-{m:02d}-01,{m}\n" for m in range(1, 13))
    path.write_text("Fecha,Ventas año\n" + rows, encoding="utf-8")
    code, err = run_cli(["forecast", "--data", str(path), "--column", f"Ventas {ANO}",
                         "--date-column", "Fecha", "--lookback", "500",
                         "--out", str(tmp_path / "run")], capsys)
    assert code != 0 and "not found" not in err
    assert "series 'Ventas año' has 12 points" in err


def test_a_utf8_console_writes_an_undecodable_file_name_as_escapes(monkeypatch):
    """In a UTF-8 locale (stdout 'strict') a run on a Latin-1 named `café.csv` trained,
    wrote its run directory, then stopped as "'utf-8' codec can't encode '\\udce9'"."""
    from rnnlab.io.text_streams import tolerant_output_while

    raw = io.BytesIO()
    out = io.TextIOWrapper(raw, encoding="utf-8", errors="strict")
    monkeypatch.setattr(sys, "stdout", out)
    with tolerant_output_while():
        print("run directory: caf\udce9 é")
        out.flush()
    assert raw.getvalue().decode("utf-8") == "run directory: caf\\udce9 é\n"
    assert out.errors == "strict"  # (the caller's setting back after the command)


def test_text_files_with_undecodable_names_in_them_are_utf8(tmp_path):
    """compare's report.md names the data: under LC_ALL=C PYTHONUTF8=0 "données.csv" made
    it fail with "surrogates not allowed"; `--output prévision.csv` failed the same way."""
    from rnnlab.io.atomic import atomic_write_text
    from rnnlab.io.utf8_text import utf8_bytes

    assert utf8_bytes("donn\udcc3\udca9es") == "données".encode()
    assert utf8_bytes("caf\udce9").decode("utf-8") == "caf\\udce9"  # (Latin-1: escaped)
    target = tmp_path / "pr\udcc3\udca9vision.csv"  # (a name as the ASCII locale reads it)
    atomic_write_text(target, "data: donn\udcc3\udca9es, caf\udce9\n")
    assert (tmp_path / "prévision.csv").read_text(encoding="utf-8") == \
        "data: données, caf\\udce9\n"


@pytest.mark.parametrize("name", [f"run {ANO}", "caf\udce9"])
def test_overwrite_of_a_run_with_an_undecodable_name(tmp_path, name):
    """`--overwrite` of "out é" under LC_ALL=C PYTHONUTF8=0 set the run aside, then failed
    writing its name in the record ("surrogates not allowed")."""
    from rnnlab.io.rundir import finish_run_dir, prepare_run_dir, previous_of

    run = prepare_run_dir(tmp_path / name)
    (run / "metrics.json").write_text("first")
    finish_run_dir(run)
    prepare_run_dir(run, overwrite=True)
    assert (previous_of(run) / "metrics.json").read_text() == "first"
    (run / "metrics.json").write_text("second")  # (finished: the record names the aside)
    finish_run_dir(run)
    assert not previous_of(run).exists()


class _Redirected(io.TextIOWrapper):
    """Standard output redirected to a file by a console of another encoding."""

    def isatty(self):
        return False


def _redirected(monkeypatch, encoding):
    raw = io.BytesIO()
    out = _Redirected(raw, encoding=encoding, errors="backslashreplace")
    monkeypatch.setattr(sys, "stdout", out)
    return raw


@pytest.mark.parametrize("encoding", ["ascii", "cp1252"])
def test_data_on_a_redirected_stdout_is_utf8(monkeypatch, encoding):
    """`rnnlab forecast --run DIR > out.csv` wrote "Caf\\xe9" (ASCII) or a cp1252 file
    that rnnlab itself then refused as not UTF-8."""
    from rnnlab.io.utf8_text import data_stdout

    raw = _redirected(monkeypatch, encoding)
    print("header")
    data_stdout().write("Café,Zürich\n")
    data_stdout().flush()
    assert raw.getvalue().decode("utf-8") == "header\nCafé,Zürich\n"


def test_runs_table_redirected_from_an_ascii_console_is_utf8(tmp_path, monkeypatch):
    from rnnlab.cli import main
    from rnnlab.io.json_file import checksummed_text

    for name in ("Señor", "Zürich"):
        folder = tmp_path / name
        folder.mkdir()
        (folder / "config.json").write_text(checksummed_text(
            {"config": {"column": f"Ventas año {name}"}, "seed": 0,
             "command": ["rnnlab", "forecast", "--out", str(folder)]}), encoding="utf-8")
    raw = _redirected(monkeypatch, "ascii")
    assert main(["runs", str(tmp_path)]) == 0
    sys.stdout.flush()
    rows = list(csv.DictReader(io.StringIO(raw.getvalue().decode("utf-8"))))
    assert [r["column"] for r in rows] == ["Ventas año Señor", "Ventas año Zürich"]


def _error(path):
    from rnnlab.data.text import load_corpus
    from rnnlab.io.errors import DataError

    with pytest.raises(DataError) as e:
        load_corpus(path)
    return str(e.value)


def test_a_japanese_cp932_file_is_not_sent_to_iconv_from_latin1(tmp_path):
    """A Japanese Excel CSV (CP932) was told `iconv -f latin1`, which turns 売上 into four
    Latin letters without a word."""
    from rnnlab.data.csv_file import read_csv_checked
    from rnnlab.io.errors import DataError

    path = tmp_path / "uriage.csv"
    path.write_bytes("日付,売上,表示ソフト\n2020-01-01,1,テスト\n".encode("cp932"))
    with pytest.raises(DataError, match="iconv -f CP932 -t utf-8") as e:
        read_csv_checked(path)
    assert "latin1" not in str(e.value) and "Japanese" in str(e.value)
    # (Windows has no iconv: Excel, which wrote the file, converts it too)
    assert str(e.value).endswith('or open it in Excel and save it as "CSV UTF-8 (Comma '
                                 'delimited)"')
    assert "iconv -f CP932 " in _error(path) and "Excel" not in _error(path)  # (a text)
    path.write_bytes("date,v\r\n2020-01-01,1\r\n".encode("utf-16"))  # Excel's "Unicode"
    with pytest.raises(DataError, match="UTF-16 .*-utf8.csv`, or open it in Excel"):
        read_csv_checked(path)


def test_another_script_is_not_sent_to_latin1_and_latin1_still_is(tmp_path):
    ru = tmp_path / "ru.txt"
    ru.write_bytes("Привет мир, это тест. ".encode("cp1251") * 20)
    said = _error(ru)
    assert "iconv -f latin1" not in said and "CP932" not in said
    assert "`iconv -f ENCODING -t utf-8" in said and "CP1251 or KOI8-R (Cyrillic)" in said
    fr = tmp_path / "fr.txt"  # accents alone or in twos: a Latin alphabet
    fr.write_bytes("Déjà vu à Zürich, où la fête était préférée. Größe. ".encode("latin1"))
    assert "iconv -f latin1 -t utf-8" in _error(fr)
    fr.write_bytes("Il m’a dit qu’à l’été, l’élève s’était éloigné. ".encode("cp1252"))
    assert "iconv -f cp1252 -t utf-8" in _error(fr)  # (’ beside an accent: still Latin)
    assert "latin1 (Western European)" in said  # (the list for a script names it too)


def test_a_column_typed_in_another_unicode_form_is_named_so():
    """`--column "año"` copied from a macOS file name (NFD) against the file's "año" (NFC):
    "column 'año' not found; columns are ['año']", two names printed alike."""
    import pandas as pd

    from rnnlab.data.csv_file import require_column
    from rnnlab.data.name_forms import other_form_hint
    from rnnlab.io.errors import DataError

    nfd = "Ventas an\u0303o"
    df = pd.DataFrame({"Fecha": [1], "Ventas año": [2]})
    with pytest.raises(DataError, match="typed in NFD, in the file NFC") as e:
        require_column(df, nfd, source="v.csv")
    assert str(e.value).endswith("copy the name from the file")
    assert other_form_hint(["precio\u0301"], ["preció"]).startswith("; 'preció' is")
    assert other_form_hint(["precio"], ["preció"]) == ""  # (another name: no hint)


def test_characters_the_plot_font_lacks_are_one_warning(tmp_path):
    """Japanese series ids: matplotlib warned once per character ("Glyph 26481 missing from
    font(s) DejaVu Sans.", eight lines for four ids), not that they show as boxes. (Run in
    a fresh process: in the whole suite under pytest-xdist one worker saw no glyph warning
    at all, a state left by an earlier test file that was not found.)"""
    import json
    import subprocess
    import sys

    code = f"""
import json, warnings
from pathlib import Path
from rnnlab.io.atomic import atomic_write_figure
from rnnlab.io.figure_glyphs import glyphs_said_when_saved
from rnnlab.pyplot_agg import pyplot

fig, ax = pyplot().subplots()
ax.set_title("\\ue000\\ue001 \\ue000")  # (private-use characters: no font draws them)
out = Path({str(tmp_path / "f.png")!r})
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    with glyphs_said_when_saved():
        fig.tight_layout()
    atomic_write_figure(out, fig)
print(json.dumps([str(w.message) for w in caught if "glyph" in str(w.message).lower()]))
"""
    said = json.loads(subprocess.run([sys.executable, "-c", code], capture_output=True,
                                     text=True, check=True).stdout.strip().splitlines()[-1])
    assert len(said) == 1 and said[0].startswith("f.png: the font (")
    assert "no glyph for 2 characters of its labels (\ue000\ue001)" in said[0]
    assert (tmp_path / "f.png").stat().st_size > 0


def test_standard_input_is_told_to_convert_in_the_pipe(tmp_path):
    """`cat latin1.txt | rnnlab lm eval --text -` was told `iconv -f latin1 -t utf-8 - >
    out.txt`: a file rnnlab is not given."""
    from rnnlab.io.stdin_input import as_typed

    copy = tmp_path / "stdin.txt"
    copy.write_bytes("año\n".encode("latin1"))
    said = _error(copy)
    piped = as_typed(said, argparse.Namespace(copies={str(copy): "-"}))
    assert piped.startswith("-: not valid UTF-8")
    assert "`... | iconv -f latin1 -t utf-8 | rnnlab ...`" in piped and "> out" not in piped
    named = as_typed(said, argparse.Namespace(copies={}))  # (a file: converted to a file)
    assert f"`iconv -f latin1 -t utf-8 {copy} > out.txt`" in named


def test_a_large_cp932_file_is_judged_on_the_bytes_after_its_first_bad_one(tmp_path):
    """The judgement reads 64 KiB from the first bad byte (a 100 MB corpus is not walked
    byte by byte in Python), a window whose end may cut a character in two."""
    from rnnlab.data.text_encoding import reads_as_japanese

    text = "売上と日付のテスト。".encode("cp932")
    assert reads_as_japanese(text[:-1]) and not reads_as_japanese("café".encode("latin1"))
    data = b"a" * 1000 + (text + b"xyz") * 7000  # (65536 = 9 mod 23: half a character)
    with pytest.raises(UnicodeDecodeError):  # (the window's end cuts a character)
        data[1000:1000 + 65536].decode("cp932")
    path = tmp_path / "big.txt"
    path.write_bytes(data)
    assert "iconv -f CP932 " in _error(path)


@pytest.mark.parametrize("suffix, body", [
    (".json", '{"column": "Ventas año"}'), (".toml", 'column = "Ventas año"\n')])
def test_a_settings_file_saved_by_notepad_is_read(tmp_path, suffix, body):
    """`--config` of a file Notepad saved as "UTF-8" (with a byte-order mark): "not valid
    JSON (Unexpected UTF-8 BOM ...)", "not valid TOML (Invalid statement)"; one in Latin-1
    or UTF-16 was "not UTF-8 text", without the byte, its line or a conversion."""
    from rnnlab.config_file import read_settings
    from rnnlab.io.errors import OptionError

    path = tmp_path / f"s{suffix}"
    path.write_bytes(body.encode("utf-8-sig"))
    assert read_settings(str(path)).values["column"] == "Ventas año"
    path.write_bytes(body.encode("latin1"))
    with pytest.raises(OptionError, match=rf"--config {path}: not valid UTF-8 \(byte \d+, "
                                          rf"line 1: b'\\xf1'\); convert it, e\.g\. `iconv"):
        read_settings(str(path))
    path.write_bytes(body.encode("utf-16"))
    with pytest.raises(OptionError, match=f"is UTF-16 text .*s-utf8{suffix}`"):
        read_settings(str(path))


def test_a_data_path_in_a_settings_file_is_found_under_an_ascii_locale(tmp_path):
    """Under LC_ALL=C PYTHONUTF8=0 `--data prévision.csv` typed was found, the same path
    in a --config file was "prévision.csv: no such file" (open() cannot encode "é" in an
    ASCII locale; the typed one arrives as the escaped bytes the file system takes)."""
    import json
    import os
    import subprocess

    rows = "".join(f"2020-{m:02d}-01,{m}\n" for m in range(1, 13))
    (tmp_path / "prévision.csv").write_text("date,y\n" + rows, encoding="utf-8")
    config = tmp_path / "cfg.json"
    config.write_text(json.dumps({"data": str(tmp_path / "prévision.csv"),
                                  "lookback": 500}, ensure_ascii=False), encoding="utf-8")
    env = {**os.environ, "LC_ALL": "C", "PYTHONUTF8": "0", "PYTHONIOENCODING": "utf-8",
           "PYTHONPATH": os.pathsep.join(sys.path)}
    done = subprocess.run([sys.executable, "-m", "rnnlab", "forecast", "--config",
                           str(config), "--out", str(tmp_path / "run")], env=env,
                          capture_output=True, text=True, encoding="utf-8", timeout=120)
    assert done.returncode != 0 and "no such file" not in done.stderr, done.stderr
    assert "series 'y' has 12 points" in done.stderr


def test_a_path_read_as_text_is_left_as_it_is_in_a_utf8_locale():
    from rnnlab.cli_text import as_file_name

    if sys.getfilesystemencoding().lower().replace("-", "") != "utf8":
        pytest.skip("a UTF-8 file system encoding")
    assert as_file_name("prévision.csv") == "prévision.csv"
    assert as_file_name(["a.csv", "é"]) == ["a.csv", "é"] and as_file_name(3) == 3
