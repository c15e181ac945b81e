"""A JSON file given where a CSV is read (``df.to_json("sales.json")``, Darts'
``TimeSeries.to_json()`` saved to a file): pandas read its one line as a header of odd
column names and no rows, and the reader said "sales.json: no rows". Named here, with the
reader that takes it."""

from __future__ import annotations

from pathlib import Path

from ..io.errors import DataError

_JSON_SUFFIXES = (".json", ".jsonl", ".ndjson")


def refuse_json(path: Path, head: bytes) -> None:
    """DataError when the file's first bytes ``head`` are JSON: an object (``{"``), an
    array of objects or of arrays (``[{``, ``[[``), or any ``{`` / ``[`` start in a file
    named ``.json``."""
    text = head[:64].lstrip(b"\xef\xbb\xbf \t\r\n")
    inner = text[1:].lstrip(b" \t\r\n")
    json_like = text.startswith(b'{"') or (text.startswith(b"[") and inner[:1] in (b"{", b"[")) \
        or (path.suffix.lower() in _JSON_SUFFIXES and text[:1] in (b"{", b"["))
    if json_like:
        raise DataError(f"{path}: is JSON, not a CSV text file; read it with pandas "
                        f"(pandas.read_json(...); a Darts TimeSeries saved with to_json(): "
                        f"TimeSeries.from_json(text).pd_series()) and pass the Series or "
                        f"DataFrame, or save it as CSV (df.to_csv(path, index=False))")
