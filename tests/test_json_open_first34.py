"""rnnlab's JSON reader opens a file first, then checks the open file (session 34):
read_json and peek_json stat-ed the path, then opened it, so a FIFO put there between the
two was opened (waiting for a writer) and read; and peek_json held its own copy of
read_json's rules, which both now share."""

import json
import os
import threading
import time

import pytest

from rnnlab.io import json_file
from rnnlab.io.errors import CheckpointError
from rnnlab.io.json_file import checksummed_text, peek_json, read_json

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")


def _feed_fifo(path, text: bytes, stop: threading.Event) -> threading.Thread:
    """A writer that puts ``text`` into the FIFO ``path`` once a reader opens it (never,
    where no reader does: it gives up when ``stop`` is set)."""
    def run():
        while not stop.is_set():
            try:
                fd = os.open(path, os.O_WRONLY | os.O_NONBLOCK)
            except OSError:  # (ENXIO: no reader yet; ENOENT: not there yet)
                time.sleep(0.01)
                continue
            try:
                os.write(fd, text)
            finally:
                os.close(fd)
            return

    t = threading.Thread(target=run, daemon=True)
    t.start()
    return t


def _swap_on_check(monkeypatch, path, stop: threading.Event, at: str) -> list:
    """At the first stat of ``path`` (``at="stat"``: before it is opened) or fstat of any
    file (``at="fstat"``: after), once it has answered, the file at ``path`` is moved
    aside and a FIFO put there, fed other JSON: a swap between a check and an open.
    Returns the list that will hold the FIFO's writer."""
    real_stat, real_fstat, writers = os.stat, os.fstat, []

    def swap():
        if not writers:
            os.replace(path, str(path) + ".moved")
            os.mkfifo(path)
            writers.append(_feed_fifo(str(path), json.dumps({"swapped": 2}).encode(), stop))

    def stat(p, *a, **k):
        st = real_stat(p, *a, **k)
        if at == "stat" and isinstance(p, (str, os.PathLike)) \
                and os.fspath(p) == os.fspath(path):
            swap()
        return st

    def fstat(fd):
        st = real_fstat(fd)
        if at == "fstat":
            swap()
        return st

    monkeypatch.setattr(json_file.os, "stat", stat)
    monkeypatch.setattr(json_file.os, "fstat", fstat)
    return writers


@pytest.mark.parametrize("at", ["stat", "fstat"])
@pytest.mark.parametrize("reader", ["read_json", "peek_json"])
def test_a_fifo_swapped_in_after_the_check_is_not_read(tmp_path, monkeypatch, reader, at):
    # was: the path stat-ed (a regular file), then opened: the FIFO put there between the
    # two was opened, the command waiting for its writer, and its text read as the file's.
    # Swapped in after the path's check: the open FIFO is refused; after the open: the
    # file opened is read
    path = tmp_path / "meta.json"
    path.write_text(checksummed_text({"checked": 1}))
    stop = threading.Event()
    writers = _swap_on_check(monkeypatch, path, stop, at)
    try:
        if at == "stat" and reader == "read_json":
            with pytest.raises(CheckpointError, match="is a device, pipe or socket"):
                read_json(path, CheckpointError)
            got = {"checked": 1}
        else:
            got = (read_json(path, CheckpointError) if reader == "read_json"
                   else peek_json(path))
    finally:
        stop.set()
        monkeypatch.undo()
        for w in writers:
            w.join(5)
    assert writers, "the file was not swapped"
    if at == "stat" and reader == "peek_json":
        assert got is None
    else:
        assert got["checked"] == 1 and "swapped" not in got  # (peek_json: checksum kept)


def _odd_files(tmp_path):
    (tmp_path / "folder").mkdir()
    os.mkfifo(tmp_path / "fifo")
    files = {"good.json": b'{"a": [1, 2]}', "list.json": b"[1, 2]", "latin.json": b'{"\xe9": 1}',
             "cut.json": b'{"a": ', "deep.json": b"[" * 150 + b"]" * 150,
             "digits.json": b"1" * 5000, "big.json": b'{"a": "' + b"x" * 200 + b'"}'}
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    (tmp_path / "nowhere.json").symlink_to(tmp_path / "missing.json")
    return ["folder", "fifo", "nowhere.json", "absent.json", *files]


def test_peek_json_refuses_exactly_what_read_json_refuses(tmp_path):
    for name in _odd_files(tmp_path):
        path = tmp_path / name
        try:
            want = read_json(path, CheckpointError, expect=None, max_bytes=100)
        except CheckpointError:
            want = None
        assert peek_json(path, max_bytes=100) == want, name
    assert peek_json(tmp_path / "good.json") == {"a": [1, 2]}
    assert peek_json(tmp_path / "big.json", max_bytes=100) is None


def test_a_fifo_is_refused_at_once_naming_it(tmp_path):
    os.mkfifo(tmp_path / "cli.json")
    with pytest.raises(CheckpointError, match=r"cli\.json: is a device, pipe or socket, not "
                                              r"a JSON file"):
        read_json(tmp_path / "cli.json")
    assert peek_json(tmp_path / "cli.json") is None
