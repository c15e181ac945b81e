"""Session 15 sweep: what happens to users' files (outputs, model folders, inputs)."""

from __future__ import annotations

import errno

import pytest

from rnnlab.cli import main


def run(argv, capsys):
    try:
        code = main(argv)
    except SystemExit as e:
        code = e.code
    return code, capsys.readouterr().err


# --- a folder of the user's given as --out ------------------------------------------------

def test_out_folder_of_the_users_is_refused_without_advising_overwrite(tmp_path):
    """Was: "pass --overwrite to replace it", and --overwrite then refused the folder."""
    from rnnlab.io.errors import RunDirError
    from rnnlab.io.rundir import prepare_run_dir

    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(RunDirError) as e:
        prepare_run_dir(tmp_path)
    assert "holds files rnnlab did not write (notes.txt)" in str(e.value)
    assert "pass --overwrite" not in str(e.value)
    assert (tmp_path / "notes.txt").read_text() == "mine"


# --- lm prepare --overwrite ---------------------------------------------------------------

def _prepare(tmp_path, capsys, text="hello world, hello again\n" * 20, *extra):
    src = tmp_path / "t.txt"
    if isinstance(text, bytes):
        src.write_bytes(text)
    else:
        src.write_text(text)
    return run(["lm", "prepare", str(src), "--out", str(tmp_path / "prep"), *extra], capsys)


def test_lm_prepare_overwrite_keeps_the_old_corpus_when_the_new_text_is_bad(tmp_path, capsys):
    """Was: the prepared corpus was deleted before the new text was read; a latin-1 file
    (or a typo in its path) left nothing."""
    assert _prepare(tmp_path, capsys)[0] == 0
    before = {p.name: p.read_bytes() for p in (tmp_path / "prep").iterdir()}
    code, err = _prepare(tmp_path, capsys, "caf\xe9\n".encode("latin-1"), "--overwrite")
    assert code == 1 and "not valid UTF-8" in err
    assert {p.name: p.read_bytes() for p in (tmp_path / "prep").iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["prep", "t.txt"]  # no temporary


def test_lm_prepare_overwrite_keeps_the_old_corpus_on_a_full_disk(tmp_path, capsys, monkeypatch):
    import rnnlab.data.corpus_mmap as cm

    assert _prepare(tmp_path, capsys)[0] == 0
    before = {p.name: p.read_bytes() for p in (tmp_path / "prep").iterdir()}

    def full(*a, **k):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(cm, "_encode", full)
    code, err = _prepare(tmp_path, capsys, "other text entirely\n" * 5, "--overwrite")
    assert code != 0 and "no space left" in err.lower()
    assert {p.name: p.read_bytes() for p in (tmp_path / "prep").iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["prep", "t.txt"]


def test_lm_prepare_overwrite_replaces_a_corpus(tmp_path, capsys):
    import json

    assert _prepare(tmp_path, capsys)[0] == 0
    code, err = _prepare(tmp_path, capsys, "xyz " * 50, "--overwrite")
    assert code == 0, err
    meta = json.loads((tmp_path / "prep" / "corpus.json").read_text())
    assert meta["tokens"] == 200
    assert sorted(p.name for p in tmp_path.iterdir()) == ["prep", "t.txt"]


def test_lm_prepare_says_what_overwrite_does(tmp_path, capsys):
    """Was: "use --overwrite" to a folder of the user's, and the same words again when
    --overwrite was given."""
    (tmp_path / "prep").mkdir()
    (tmp_path / "prep" / "notes.txt").write_text("mine")
    code, err = _prepare(tmp_path, capsys, "abc " * 10, "--overwrite")
    assert code == 1 and "not a prepared corpus" in err and "choose another --out" in err
    assert (tmp_path / "prep" / "notes.txt").read_text() == "mine"


# --- a compressed CSV, a spreadsheet named .csv -------------------------------------------

@pytest.mark.parametrize("pack, word, todo", [
    ("gzip", "gzip-compressed", "gunzip -k"), ("bz2", "bzip2-compressed", "bunzip2 -k"),
    ("lzma", "xz-compressed", "unxz -k")])
def test_a_compressed_csv_is_named_with_what_to_do(tmp_path, pack, word, todo):
    """Was: "contains NUL bytes; this looks like a binary file" (gzip) or "not valid UTF-8
    ... is latin-1: iconv" (a packed file without a NUL byte early on)."""
    import importlib

    from rnnlab.data.csv_file import check_csv_file
    from rnnlab.io.errors import DataError

    text = "t,v\n" + "".join(f"{i},{i % 7}\n" for i in range(50))
    path = tmp_path / "series.csv.packed"
    path.write_bytes(importlib.import_module(pack).compress(text.encode()))
    with pytest.raises(DataError) as e:
        check_csv_file(path)
    assert word in str(e.value) and todo in str(e.value)


def test_an_xlsx_saved_under_a_csv_name_is_called_a_spreadsheet(tmp_path):
    import zipfile

    from rnnlab.data.csv_file import check_csv_file
    from rnnlab.io.errors import DataError

    path = tmp_path / "sales.csv"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
    with pytest.raises(DataError, match=r"zip archive \(an Excel .xlsx file is one\).*save it "
                                        r"as CSV"):
        check_csv_file(path)
