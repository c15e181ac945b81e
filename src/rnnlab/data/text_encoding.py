"""What to say about a text file that is not UTF-8: UTF-16 or UTF-32 (:func:`utf16_error`), an 8-bit
encoding (:func:`legacy_encoding` names it for ``iconv -f``), or UTF-8 with a few stray
bytes (:func:`not_utf8_error`: converting such a file from latin1 would garble every
character it writes correctly, so the advice is to drop the stray bytes instead).
Used by :func:`rnnlab.data.text.load_corpus` (the whole file) and
:mod:`rnnlab.data.text_chunks` (``lm prepare``, chunk by chunk), which say the same."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Optional

from ..io.errors import DataError


# (a CSV's other way out, where there is no iconv: Windows; what Excel wrote, it re-saves)
EXCEL_HINT = ", or open it in Excel and save it as \"CSV UTF-8 (Comma delimited)\""


def utf16_error(head: bytes, source, suffix: str = "txt") -> Optional[DataError]:
    """The error for a UTF-16 or UTF-32 file (read as UTF-8 it looks binary: its ASCII
    letters come with NUL bytes), or None. ``head``: the file's first bytes. UTF-32LE's
    byte-order mark starts with UTF-16LE's (``FF FE``), so it is looked at first: a
    UTF-32 file was called UTF-16 and told to pass ``--encoding UTF-16``, which reads
    it as other characters."""
    h = head[:4096]
    wide = utf32_encoding(h)
    if wide is not None:
        return _wide_error(source, suffix, "UTF-32", *wide)
    even, odd = h[0::2], h[1::2]
    if h.startswith((b"\xff\xfe", b"\xfe\xff")):
        how, enc = "its byte-order mark", "UTF-16"
    elif len(h) >= 4 and odd.count(0) >= 0.9 * len(odd) and even.count(0) == 0:
        how, enc = "every other byte is 0", "UTF-16LE"  # (no mark: iconv must be told which)
    elif len(h) >= 4 and even.count(0) >= 0.9 * len(even) and odd.count(0) == 0:
        how, enc = "every other byte is 0", "UTF-16BE"
    else:
        return None
    return _wide_error(source, suffix, "UTF-16", how, enc)


def utf32_encoding(head: bytes) -> Optional[tuple]:
    """``(how it shows, the encoding for iconv)`` where ``head`` is UTF-32 text: its
    byte-order mark, or (no mark) ASCII letters each followed (LE) or preceded (BE) by
    three NUL bytes; else None."""
    if head.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        return "its byte-order mark", "UTF-32"
    h = head[:len(head) - len(head) % 4]
    if len(h) < 8:
        return None
    lanes = [h[k::4] for k in range(4)]
    zero = [lane.count(0) >= 0.9 * len(lane) for lane in lanes]
    if zero[1] and zero[2] and zero[3] and lanes[0].count(0) == 0:
        return "three of every four bytes are 0", "UTF-32LE"
    if zero[0] and zero[1] and zero[2] and lanes[3].count(0) == 0:
        return "three of every four bytes are 0", "UTF-32BE"
    return None


def _wide_error(source, suffix: str, kind: str, how: str, enc: str) -> DataError:
    stem = Path(str(source)).stem or "out"
    return DataError(f"{source}: is {kind} text ({how}), not UTF-8; convert it, e.g. "
                     f"`iconv -f {enc} -t UTF-8 {source} > {stem}-utf8.{suffix}`"
                     f"{EXCEL_HINT if suffix == 'csv' else ''}")


def legacy_encoding(data: bytes) -> str:
    """The 8-bit encoding a non-UTF-8 ``data`` most likely is, for the ``iconv -f`` named
    in the message: ``cp1252`` (Windows, what Excel and Notepad write in Western Europe)
    when its bytes 0x80-0x9F are all characters there (``€`` is 0x80), else ``latin1``.
    latin1 reads those bytes as invisible control characters: converting a Windows
    file with it turned every ``€`` into U+0080 without a word."""
    try:
        data.decode("cp1252")
    except UnicodeDecodeError:  # (0x81, 0x8d, 0x8f, 0x90, 0x9d: none in cp1252)
        return "latin1"
    return "cp1252" if re.search(b"[\x80-\x9f]", data) else "latin1"  # (C speed: 100 MB)


def in_words_of_runs(data: bytes) -> bool:
    """Whether most bytes beyond ASCII of ``data`` come in runs of 3 or more (one ASCII
    byte between two of them, the second byte of a Shift-JIS or Big5 character, does not
    end a run), as a script of its own (CJK, Cyrillic, Greek) writes its words; a Latin
    alphabet's accents stand alone or in twos (``Größe``, ``été``): the case
    :func:`legacy_encoding` names."""
    high = in_runs = run = gap = 0
    for b in data + b"\0\0":
        if b >= 0x80:
            run, gap = run + 1, 0
        elif run and not gap and 0x40 <= b <= 0x7E:
            gap = 1
        else:
            high, in_runs, run, gap = high + run, in_runs + run * (run >= 3), 0, 0
    return in_runs > high / 2


def reads_as_japanese(data: bytes) -> bool:
    """Whether ``data`` decodes as CP932 (Shift-JIS) into Japanese: kanji, kana, the
    full-width forms and punctuation (Chinese GBK, EUC-JP or Cyrillic read so are mostly
    half-width katakana and signs; iconv from latin1 had garbled every character). An
    8-bit script (Cyrillic, Greek) is not told apart: each of their encodings reads each
    other's bytes as letters."""
    import codecs

    try:  # (a character the sample's end cuts in two: not an error)
        text = codecs.getincrementaldecoder("cp932")().decode(data, final=False)
        wide = [ord(c) for c in text if ord(c) >= 0x80]
    except UnicodeDecodeError:
        return False
    japanese = sum(0x3000 <= c <= 0x30FF or 0x4E00 <= c <= 0x9FFF or 0xFF01 <= c <= 0xFF5E
                   for c in wide)
    return bool(wide) and japanese >= 0.8 * len(wide)


def _utf8_counts(data: bytes):
    """(characters beyond ASCII that decode as UTF-8, invalid sequences) in ``data``."""
    text = data.decode("utf-8", "replace")  # (one U+FFFD per invalid sequence)
    bad = text.count("\ufffd") - data.count("\ufffd".encode())  # (less those written so)
    return len(text) - len(text.encode("ascii", "ignore")) - bad, bad


def _cut_short(tail: bytes) -> bool:
    """Whether ``tail`` (the bytes from the bad one to the end) is the start of a character
    that the end of the data cuts short."""
    try:
        tail.decode("utf-8")
    except UnicodeDecodeError as e:
        return e.start == 0 and e.end == len(tail) and e.reason == "unexpected end of data"
    return False


def not_utf8_error(data: bytes, start: int, offset: int, source,
                   out: str = "out.txt", where: str = "", resave: str = "") -> DataError:
    """The error for ``data`` whose byte ``start`` begins what is not UTF-8 (``offset``: that
    byte's offset in the file). Names the byte, and what to do: for a file otherwise UTF-8
    (more characters beyond ASCII decode than bytes fail) drop the stray bytes; for an
    encoded UTF-16 surrogate (CESU-8, Java's modified UTF-8) write it again as UTF-8;
    else convert it from the 8-bit encoding :func:`legacy_encoding` guesses. ``where``:
    more of the place (a CSV's ``", line 3"``); ``resave``: another way to convert it
    (a CSV's :data:`EXCEL_HINT`), said with a conversion, not with stray bytes."""
    byte = data[start:start + 1]
    head = f"{source}: not valid UTF-8 (byte {offset}{where}: {byte!r})"
    nxt = data[start + 1:start + 2]
    if byte == b"\xed" and nxt and 0xA0 <= nxt[0] <= 0xBF:
        return DataError(f"{head}: a UTF-16 surrogate written as 3 bytes (CESU-8, Java's "
                         f"'modified UTF-8' or Python's surrogatepass), which UTF-8 does not "
                         f"allow; write the file again as standard UTF-8")
    good, bad = _utf8_counts(data)
    if good and _cut_short(data[start:]):  # (a latin-1 "café" also ends in a lead byte)
        return DataError(f"{head}: the file ends in the middle of a character (a copy cut at a "
                         f"byte count, e.g. by `head -c`); drop its last {len(data) - start} "
                         f"byte{'s' * (len(data) - start != 1)} or copy it whole again")
    if good > bad:
        return DataError(f"{head}; the text around it is UTF-8 ({good:,} characters beyond "
                         f"ASCII decode, {bad:,} invalid sequence{'s' * (bad != 1)} "
                         f"do{'es' * (bad == 1)} not), so converting the whole file from "
                         f"another encoding would garble it: drop the stray bytes, e.g. "
                         f"`iconv -f utf-8 -t utf-8 -c {source} > {out}`, or fix them by hand")
    sample = data[start:start + 65536]  # (from the first bad byte: a CP932 lead byte)
    if not in_words_of_runs(sample):
        return DataError(f"{head}; convert it, e.g. `iconv -f {legacy_encoding(data)} -t "
                         f"utf-8 {source} > {out}`{resave}")
    if reads_as_japanese(sample):
        return DataError(f"{head}; it reads as Japanese in CP932 (Shift-JIS, Windows in "
                         f"Japan): convert it, e.g. `iconv -f CP932 -t utf-8 {source} > "
                         f"{out}`{resave}")
    return DataError(f"{head}; its bytes beyond ASCII come in runs, as a script other than "
                     f"the Latin alphabet writes its words: convert it from the encoding it "
                     f"was written in, `iconv -f ENCODING -t utf-8 {source} > {out}`, ENCODING "
                     f"e.g. CP1251 or KOI8-R (Cyrillic), CP1253 (Greek), GBK or BIG5 (Chinese), "
                     f"EUC-KR (Korean), EUC-JP (Japanese), {legacy_encoding(data)} (Western "
                     f"European){resave}")
