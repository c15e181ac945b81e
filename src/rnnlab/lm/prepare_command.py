"""``rnnlab lm prepare``: a text turned into a prepared corpus folder (token ids on disk,
memory-mapped by ``lm train --corpus`` and ``lm eval``), replacing a prepared one only as a
whole: the old folder stays until the new one is complete. The parser is
:func:`rnnlab.lm.cli.register`."""

from __future__ import annotations

from pathlib import Path

from ..io.errors import OptionError, RunDirError


def cmd_prepare(a) -> int:
    import os
    import shutil
    import time

    from ..data.corpus_mmap import is_prepared, prepare_corpus
    from ..data.prepare_leftovers import interrupted_prepare, remove_stale_work, take_over
    from ..data.text import BUILTIN_CORPORA, builtin_name
    from ..io.atomic import temporary_folder

    if not 0.0 < a.val_fraction < 1.0:  # (prepare_corpus takes 0: lm train cannot)
        raise OptionError(f"--val-fraction must be in (0, 1), got {a.val_fraction}: `rnnlab lm "
                          f"train` holds that last part out for validation (default 0.1)")
    out = Path(a.out)
    if out.exists() and not out.is_dir():
        raise RunDirError(f"{out}: is a file; --out names the folder `lm prepare` writes "
                          f"(corpus.json, vocab.json, tokens.bin): choose a new folder")
    if out.is_symlink() and not out.exists():  # (it was "cannot use DIR: File exists")
        raise RunDirError(f"{out}: is a link to nothing (to {os.readlink(out)}); make that "
                          f"folder, remove the link, or choose another --out")
    replace = out.is_dir() and any(out.iterdir())
    if replace and not is_prepared(out) and interrupted_prepare(out):
        take_over(out)  # (a killed `lm prepare` of this folder)
        replace = False
    if replace and not is_prepared(out):
        raise RunDirError(f"{out}: is not empty and holds files that are not a prepared corpus; "
                          f"--overwrite replaces only a folder `lm prepare` wrote: choose "
                          f"another --out (a new folder)")
    if replace and not a.overwrite:
        raise RunDirError(f"{out}: already holds a prepared corpus; pass --overwrite to "
                          f"replace it, or choose another --out")
    src = builtin_name(a.corpus)
    if src in BUILTIN_CORPORA:
        src = Path(__file__).resolve().parent.parent / "data" / "builtin" / BUILTIN_CORPORA[src][0]
    t0 = time.perf_counter()
    # a corpus being replaced stays until the new one is complete (bad text, a full disk,
    # Ctrl-C: the old one is still there)
    # (the swap on the absolute path: the parent of "." is "." and "prep/../prep" stops
    # naming anything once prep is moved)
    dest = out.resolve() if replace else out
    if replace and (dest == Path.cwd() or dest in Path.cwd().parents):
        raise RunDirError(f"{out}: is the working folder (or holds it); --overwrite replaces "
                          f"the prepared corpus as a whole, and this shell would be left in "
                          f"a deleted folder: run the command from outside it (e.g. from "
                          f"{dest.parent}, with --out {dest.name})")
    if replace:
        remove_stale_work(dest)
    work = temporary_folder(dest.parent, prefix=f".{dest.name}.",
                            suffix=".preparing") if replace else out
    try:
        c = prepare_corpus(src, work, val_fraction=a.val_fraction)
        if replace:
            aside = work.with_suffix(".replaced")
            os.replace(dest, aside)
            os.replace(work, dest)
            shutil.rmtree(aside, ignore_errors=True)
    finally:
        if replace and not dest.exists() and work.with_suffix(".replaced").is_dir():
            os.replace(work.with_suffix(".replaced"), dest)  # (stopped between the renames)
        if replace and work.exists():
            shutil.rmtree(work, ignore_errors=True)
    print(f"prepared {c.meta['tokens']:,} characters ({c.meta['train_tokens']:,} for training), "
          f"vocabulary {len(c.vocab)}, {c.meta['dtype']} ids, in "
          f"{time.perf_counter() - t0:.1f} s -> {out}")
    return 0
