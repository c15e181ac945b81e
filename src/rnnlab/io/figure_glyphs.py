"""Characters the plots' font cannot draw, said once per figure.

Series ids, column names and paths in Japanese, Chinese or Korean (``東京``, ``売上``)
are drawn by matplotlib's default font (DejaVu Sans), which has no CJK glyphs: it
warned once per character ("Glyph 26481 (\\N{CJK UNIFIED IDEOGRAPH-6771}) missing from
font(s) DejaVu Sans.", eight lines for four ids) and did not say that the labels show as
empty boxes, nor what to do. :func:`missing_glyphs_said_once` gathers them into one
warning that does."""

from __future__ import annotations

import contextlib
import re
import warnings

_GLYPH = re.compile(r"Glyph (\d+) .*missing from font\(s\) (.+?)\.?$")


@contextlib.contextmanager
def missing_glyphs_said_once(what: str = "the figure"):
    """Within: matplotlib's missing-glyph warnings become one warning after the block,
    naming the characters and the font; other warnings are shown as they were."""
    with warnings.catch_warnings(record=True) as caught:  # (the filters as they were)
        yield
    chars, fonts = [], []
    for w in caught:
        found = _GLYPH.match(str(w.message))
        if found is None:
            warnings.showwarning(w.message, w.category, w.filename, w.lineno, w.file, w.line)
            continue
        c, font = chr(int(found.group(1))), found.group(2)
        chars += [c] * (c not in chars)
        fonts += [font] * (font not in fonts)
    if chars:
        shown = "".join(chars[:20]) + ("..." if len(chars) > 20 else "")
        warnings.warn(f"{what}: the font ({', '.join(fonts)}) has no glyph for {len(chars)} "
                      f"character{'s' * (len(chars) > 1)} of its labels ({shown}), drawn as "
                      f"empty boxes; install a font that has them (for Chinese, Japanese, "
                      f"Korean e.g. Noto Sans CJK) and set matplotlib's font.family to it",
                      UserWarning, stacklevel=3)


@contextlib.contextmanager
def glyphs_said_when_saved():
    """Within (a layout computed before the figure is saved: ``tight_layout``): no
    missing-glyph warning; the figure's saving says them once
    (:func:`missing_glyphs_said_once` in :func:`rnnlab.io.atomic.atomic_write_figure`)."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r"Glyph \d+ .*missing from font")
        yield
