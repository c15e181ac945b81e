"""Other platforms and locales than a developer's Linux box: a console that cannot
write every character (Windows' cp1252 when redirected, PYTHONIOENCODING=ascii), files
from European Excel, process liveness on Windows."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

SRC = str(Path(__file__).resolve().parents[1] / "src")


def _rnnlab(*args, encoding="ascii"):
    env = {**os.environ, "PYTHONIOENCODING": encoding, "PYTHONPATH": SRC}
    return subprocess.run([sys.executable, "-m", "rnnlab", *args], capture_output=True,
                          env=env, timeout=120)


@pytest.mark.parametrize("args", [("recipes",), ("forecast", "--help")])
def test_an_ascii_console_gets_escapes_not_a_codec_error(args):
    """`rnnlab recipes` printed "error: 'ascii' codec can't encode character '\\xa7'" and
    `rnnlab forecast --help` a UnicodeEncodeError traceback on an ASCII/cp1252 stdout."""
    r = _rnnlab(*args)
    assert r.returncode == 0, r.stderr.decode(errors="replace")[-600:]
    assert b"codec" not in r.stderr
    assert len(r.stdout) > 200


def test_the_run_lock_does_not_send_signal_0_on_windows(tmp_path, monkeypatch):
    """On Windows os.kill(pid, 0) sends CTRL_C_EVENT to the process group ``pid`` (or raises
    OSError, not ProcessLookupError): a lock's holder is looked up through the Windows API."""
    from rnnlab.io import runlock

    def no_kill(*a):
        raise AssertionError(f"os.kill{a} on Windows")

    asked = []
    monkeypatch.setattr(runlock.sys, "platform", "win32")
    monkeypatch.setattr(runlock.os, "kill", no_kill)
    monkeypatch.setattr(runlock, "_alive_windows", lambda pid: asked.append(pid) or pid == 4242)
    (tmp_path / ".lock").write_text("4242")
    assert runlock.RunLock(tmp_path)._holder() == 4242
    (tmp_path / ".lock").write_text("4343")
    with runlock.RunLock(tmp_path) as lock:  # a dead holder's lock is taken over
        assert lock.held
    assert asked == [4242, 4343]


class _Kernel32:
    """The three calls of the Windows API the lock makes, for a process that exited with
    ``code`` (259: STILL_ACTIVE) or cannot be opened (``code`` None)."""

    def __init__(self, code):
        self.code, self.closed = code, 0

    def OpenProcess(self, access, inherit, pid):
        return 0 if self.code is None else 77

    def GetExitCodeProcess(self, handle, ref):
        ref._obj.value = self.code
        return 1

    def CloseHandle(self, handle):
        self.closed += 1


def test_windows_liveness_reads_the_exit_code():
    from rnnlab.io.runlock import _alive_windows

    running, exited = _Kernel32(259), _Kernel32(0)
    assert _alive_windows(1, running) and running.closed == 1
    assert not _alive_windows(1, exited) and exited.closed == 1
    assert not _alive_windows(1, _Kernel32(None), lambda: 87)  # (no such process)
    assert _alive_windows(1, _Kernel32(None), lambda: 5)  # (another user's: access denied)


def test_a_spawned_worker_starts_where_os_has_no_setpgid(monkeypatch):
    """Windows has no os.setpgid: the worker's start raised AttributeError (only OSError
    was caught) before it trained."""
    from rnnlab.train import distributed

    ran, exits = [], []
    monkeypatch.delattr(distributed.os, "setpgid")
    monkeypatch.setattr(sys, "platform", "win32")  # (no prctl)
    monkeypatch.setattr(distributed, "_worker", lambda *a: ran.append(a[0]))
    monkeypatch.setattr(distributed, "_release_semaphores", lambda: None)
    monkeypatch.setattr(distributed.os, "_exit", exits.append)
    distributed._spawned(0, None, (), None, 0, None, os.getppid())
    assert ran == [0] and exits == [0]


@pytest.mark.parametrize("reader", ["csv", "corpus", "prepared"])
def test_a_windows_1252_file_is_named_cp1252_not_latin1(tmp_path, reader):
    """Excel and Notepad on Windows write cp1252 (the euro sign is byte 0x80). The message
    said `iconv -f latin1`, which turns that byte into the control character U+0080
    without a word: the column 'Umsatz €' became 'Umsatz \\x80'."""
    from rnnlab.data.corpus_mmap import iter_text_chunks
    from rnnlab.data.csv_file import read_csv_checked
    from rnnlab.data.text import load_corpus
    from rnnlab.io.errors import DataError

    path = tmp_path / "umsatz.csv"
    path.write_bytes("date,Umsatz €\r\n2020-01-01,1\r\n2020-01-02,2\r\n".encode("cp1252"))
    read = {"csv": read_csv_checked, "corpus": load_corpus,
            "prepared": lambda p: list(iter_text_chunks(p))}[reader]
    with pytest.raises(DataError, match="iconv -f cp1252 ") as e:
        read(path)
    assert "latin1" not in str(e.value)
    path.write_bytes("caf\xe9\n".encode("latin1"))  # (no byte 0x80-0x9f: latin-1 it may be)
    with pytest.raises(DataError, match="iconv -f latin1 "):
        read(path)


def _semicolon_file(tmp_path, values, name="v.csv"):
    path = tmp_path / name  # (13 days or more: the dates are day first, 13.01.2020)
    lines = ["Datum;Wert"] + [f"{d:02d}.01.2020;{v}" for d, v in enumerate(values * 5, 1)]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("utf-8-sig"))
    return path


@pytest.mark.parametrize("written", [["1.001,50", "999,25", "1.002"],
                                     ["1\u00a0001,50", "999,25", "1\u00a0002"],
                                     ["1\u202f001,50", "999,25", "-1\u202f002"],
                                     ["1 001,50", "1 234 567,00", "999"]])
def test_european_thousands_in_a_semicolon_file_are_numbers(tmp_path, written):
    """German Excel writes 1.001,50, French 1 001,50 (a no-break space): the file was
    refused ("no numeric column among ['Wert']")."""
    from rnnlab.data.series import load_series

    s = load_series(_semicolon_file(tmp_path, written))
    expected = [float(w.replace(".", "").replace("\u00a0", "").replace("\u202f", "")
                      .replace(" ", "").replace(",", ".")) for w in written]
    assert s.values.tolist() == expected * 5 and s.name == "Wert"
    assert str(s.index[1].date()) == "2020-01-02"  # (dd.mm.yyyy dates left to the dates)


def test_decimal_points_in_a_semicolon_file_are_not_read_as_thousands(tmp_path):
    """1.000 in a file without any decimal comma is one, not a thousand."""
    from rnnlab.data.series import load_series

    s = load_series(_semicolon_file(tmp_path, ["1.000", "2.500", "3.125"]))
    assert s.values.tolist() == [1.0, 2.5, 3.125] * 5


def test_dotted_dates_are_day_first_even_when_every_day_is_12_or_less(tmp_path):
    """01.01.2020 .. 03.01.2020 (German Excel) read both ways and were refused; dates with
    dots are written day first, month first never."""
    from rnnlab.data.series import load_series

    path = tmp_path / "d.csv"
    path.write_text("Datum;Wert\n" + "".join(f"{d:02d}.01.2020;{d},5\n" for d in range(1, 4)))
    s = load_series(path)
    assert s.freq == "D" and [str(d.date()) for d in s.index] == [
        "2020-01-01", "2020-01-02", "2020-01-03"]


def test_ambiguous_slashed_dates_are_refused_in_full(tmp_path):
    """The refusal was wrapped in "dates in mixed formats (...)" and cut to 120 characters
    ("write them as IS")."""
    from rnnlab.data.series import load_series
    from rnnlab.io.errors import DataError

    path = tmp_path / "d.csv"
    path.write_text("date,value\n" + "".join(f"{d:02d}/01/2020,{d}\n" for d in range(1, 4)))
    # (both readings of a date that reads as two named since session 34: 02/01/2020)
    with pytest.raises(DataError, match=r"alike \(2020-01-02 or 2020-02-01\); write them as "
                                        r"ISO dates \(YYYY-MM-DD: 2020-01-02 for day first\)") as e:
        load_series(path)
    assert "mixed formats" not in str(e.value)


def test_a_stooq_download_is_used_when_its_cache_cannot_be_written(tmp_path, monkeypatch):
    """A read-only or missing HOME (a container, a locked-down Windows profile): the data
    came and the command failed on the cache (NotADirectoryError / PermissionError)."""
    from rnnlab.data.stooq import fetch_stooq

    (tmp_path / "file").write_text("")
    monkeypatch.setenv("RNNLAB_CACHE", str(tmp_path / "file" / "cache"))
    data = b"Date,Open,High,Low,Close,Volume\n2020-01-02,1,2,0.5,1.5,9\n2020-01-03,1,2,0.5,1.6,9\n"
    with pytest.warns(UserWarning, match="downloaded, but not cached .* RNNLAB_CACHE"):
        df = fetch_stooq("AAPL.US", fetch=lambda url: data)
    assert df["Close"].tolist() == [1.5, 1.6]


@pytest.mark.parametrize("argv, said", [
    (["forecast", "--out", "runs\\exp1"], "write 'runs/exp1'"),
    (["forecast", "--data", "C:\\Users\\me\\sales.csv"], "'/mnt/c/Users/me/sales.csv'"),
    (["lm", "train", "--corpus", "texts\\a.txt"], "write 'texts/a.txt'")])
def test_a_windows_path_on_linux_is_refused_before_any_work(tmp_path, monkeypatch, capsys,
                                                           argv, said):
    """--out runs\\exp1 made one folder named 'runs\\exp1' beside the others, silently."""
    from rnnlab.cli import main

    monkeypatch.chdir(tmp_path)
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "is a Windows path (backslashes)" in err and said in err
    assert list(tmp_path.iterdir()) == []


def test_an_existing_file_with_a_backslash_in_its_name_is_taken(tmp_path, monkeypatch):
    from rnnlab.cli_paths import windows_path as _windows_path

    monkeypatch.chdir(tmp_path)
    (tmp_path / "a\\b.csv").write_text("y\n1\n")
    assert _windows_path(type("A", (), {"data": "a\\b.csv"})()) is None
    assert _windows_path(type("A", (), {"data": "a\\c.csv"})()) is not None


def test_output_that_is_the_data_under_another_name_is_refused(tmp_path):
    """On macOS and Windows --output New.csv is the file new.csv read as --data; names were
    compared (resolve() keeps the case written), so --overwrite replaced the data with its
    forecasts. Simulated here with a hard link: another name of the same file."""
    from rnnlab.io.errors import RunDirError
    from rnnlab.io.output_file import check_output_file

    data = tmp_path / "new.csv"
    data.write_text("y\n1\n")
    os.link(data, tmp_path / "New.csv")
    with pytest.raises(RunDirError, match="this command reads"):
        check_output_file(tmp_path / "New.csv", True, None, [str(data)])
    other = tmp_path / "other.csv"
    other.write_text("y\n")
    assert check_output_file(other, True, None, [str(data)]) == other


def test_a_run_directory_holding_the_data_under_other_case_is_not_replaced(tmp_path,
                                                                           monkeypatch):
    """--data runs/forecast.csv (the last run's forecasts) --out Runs --overwrite: on macOS
    and Windows Runs is runs, and replacing it set the data aside to be deleted (paths
    were compared by name). A file system whose names ignore case is simulated by its
    identity test."""
    from rnnlab.io.errors import RunDirError
    from rnnlab.io.rundir import MARKER_NAME, prepare_run_dir

    for d in ("runs", "Runs"):  # (one folder where names ignore case)
        (tmp_path / d).mkdir()
        (tmp_path / d / "forecast.csv").write_text("y\n1\n")
        (tmp_path / d / MARKER_NAME).write_text("")
    real = os.path.samefile
    monkeypatch.setattr(os.path, "samefile", lambda a, b: str(a).lower() == str(b).lower()
                        or real(a, b))
    with pytest.raises(RunDirError, match="which this run reads"):
        prepare_run_dir(tmp_path / "Runs", overwrite=True,
                        inputs=[str(tmp_path / "runs" / "forecast.csv")])
    assert (tmp_path / "Runs" / "forecast.csv").exists()


def test_bench_reads_a_childs_stderr_that_is_not_in_its_encoding():
    """The benchmark's child processes' stderr was decoded strictly in the locale's
    encoding (cp1252 on Windows, UTF-8 here): bytes outside it (a C library's message in
    another code page) ended the whole benchmark in UnicodeDecodeError."""
    from rnnlab.bench.isolate import _run_child

    code = "import sys; sys.stderr.buffer.write(b'caf\\xe9 \\xff\\n'); sys.stderr.write('ok\\n')"
    status, stderr = _run_child([sys.executable, "-c", code], 60, None)
    assert status == 0 and stderr.splitlines()[-1] == "ok" and "caf" in stderr


@pytest.mark.parametrize("name", ["f" * 250 + ".csv", "é" * 125 + ".csv"])
def test_an_atomic_write_of_a_file_with_a_name_near_the_limit(tmp_path, name):
    """A name of 242-255 bytes is legal; its temporary (14 bytes longer) was not, and the
    write failed as "File name too long" naming the file."""
    from rnnlab.io.atomic import atomic_write_text

    atomic_write_text(tmp_path / name, "hello\n")
    assert [p.name for p in tmp_path.iterdir()] == [name]
    assert (tmp_path / name).read_text(encoding="utf-8") == "hello\n"


@pytest.mark.parametrize("cell, shown", [('"€1,001.50"', "'€1,001.50'"), ("12.5%", "'12.5%'"),
                                         ('"$ 1,001.50"', "'$ 1,001.50'")])
def test_numbers_with_a_currency_or_percent_sign_are_named(tmp_path, cell, shown):
    """A spreadsheet's formatted cells were refused as "no numeric column among
    ['value']; pass column=NAME", and that column was the one to pass."""
    from rnnlab.data.series import load_series
    from rnnlab.io.errors import DataError

    path = tmp_path / "v.csv"
    path.write_text("date,value\n" + "".join(f"2020-01-{d:02d},{cell}\n" for d in range(1, 9)),
                    encoding="utf-8")
    with pytest.raises(DataError, match="currency or percent sign") as e:
        load_series(path)
    assert shown in str(e.value) and "pass column=NAME" not in str(e.value)


def test_a_tab_separated_file_with_decimal_commas_is_read(tmp_path):
    """German Excel's "Text (tab delimited)": 1001,5 was text ("no numeric column")."""
    from rnnlab.data.series import load_series

    path = tmp_path / "v.txt"
    path.write_text("date\tvalue\n" + "".join(f"2020-01-{d:02d}\t1.0{d:02d},5\n"
                                               for d in range(1, 15)), encoding="utf-8")
    assert load_series(path).values.tolist() == [1000.5 + d for d in range(1, 15)]


def test_a_tab_separated_file_with_thousands_commas_stays_so(tmp_path):
    from rnnlab.data.series import load_series

    path = tmp_path / "v.txt"
    path.write_text("date\tvalue\n" + "".join(f"2020-01-{d:02d}\t1,{d:03d}\n"
                                               for d in range(1, 15)), encoding="utf-8")
    assert load_series(path).values.tolist() == [1000.0 + d for d in range(1, 15)]


def test_an_on_epoch_lambda_with_several_processes_is_refused_clearly():
    """The training processes are spawned (macOS and Windows have no fork): a lambda given
    as on_epoch failed as a bare PicklingError from multiprocessing's start."""
    from rnnlab.io.errors import OptionError
    from rnnlab.lm.api import CharLM
    from rnnlab.lm.config import LMTrainConfig

    tc = LMTrainConfig(epochs=1, devices=2, seq_len=8, batch_size=4, progress=False)
    with pytest.raises(OptionError, match="on_epoch=.*<lambda>' cannot be sent .* top level of a module"):
        CharLM().fit("hello world, a tiny corpus. " * 20, tc, on_epoch=lambda e, r: None)


def test_a_file_that_cannot_be_replaced_is_named_not_its_temporary(tmp_path, monkeypatch):
    """On Windows a forecast.csv open in Excel cannot be replaced: the error named the
    temporary ('.forecast.csv.k2j4h1x0.tmp', already deleted) and said nothing of why."""
    from rnnlab.io import atomic

    target = tmp_path / "forecast.csv"
    target.write_text("old\n")

    def locked(src, dst):
        raise PermissionError(13, "The process cannot access the file because it is being "
                                  "used by another process", src, None, dst)

    monkeypatch.setattr(atomic.os, "replace", locked)
    monkeypatch.setattr(atomic.sys, "platform", "win32")
    with pytest.raises(PermissionError) as e:
        atomic.atomic_write_text(target, "new\n")
    assert e.value.filename == str(target) and "open in another program" in str(e.value)
    assert [p.name for p in tmp_path.iterdir()] == ["forecast.csv"]
    assert target.read_text() == "old\n"


@pytest.mark.parametrize("tail", [";\r\n", ";\r\n;\r\n\r\n", "\r\n;\r\n"])
def test_excel_cleared_rows_at_the_end_are_dropped(tmp_path, tail):
    """Excel writes a cleared row as ';': it was read as a last row without date or
    value ("date column 'Datum' has values that are not dates (data row 20: empty)")."""
    from rnnlab.data.series import load_series

    path = tmp_path / "v.csv"
    rows = "".join(f'"{d:02d}.01.2020";"1.0{d:02d},5"\r\n' for d in range(1, 15))
    path.write_bytes(('\ufeffsep=;\r\n"Datum";"Wert"\r\n' + rows + tail).encode("utf-8"))
    s = load_series(path)
    assert s.values.tolist() == [1000.5 + d for d in range(1, 15)]


def test_an_empty_row_inside_the_data_is_still_reported(tmp_path):
    from rnnlab.data.series import load_series
    from rnnlab.io.errors import DataError

    path = tmp_path / "v.csv"
    rows = [f"2020-01-{d:02d};{d},5" for d in range(1, 15)]
    rows[5] = ";"
    path.write_text("date;value\n" + "\n".join(rows) + "\n", encoding="utf-8")
    with pytest.raises(DataError, match="row"):
        load_series(path)


def test_cleared_rows_at_the_end_leave_the_columns_types_as_without_them(tmp_path):
    """The row of empty fields made an id column of 007, 008 float (NaN in it), so the
    zero-padded ids as written were lost; the file is read as if the row were not there."""
    from rnnlab.data.csv_file import read_csv_checked
    from rnnlab.panel.ids import ids_as_written

    path = tmp_path / "panel.csv"
    rows = "".join(f"00{i % 2 + 7};2020-01-{d:02d};{d},5\r\n" for d in range(1, 9)
                   for i in range(2))
    path.write_text("id;ds;y\r\n" + rows + ";;\r\n;;\r\n", encoding="utf-8")
    table = read_csv_checked(path)
    assert len(table) == 16 and str(table["id"].dtype) == "int64"
    assert sorted(set(ids_as_written(path, table, "id")["id"])) == ["007", "008"]
