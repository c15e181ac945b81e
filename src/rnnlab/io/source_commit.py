"""The git commit of the rnnlab source a run used, where rnnlab runs from a git checkout
(``src/rnnlab`` of a clone or worktree: an editable install, ``PYTHONPATH=src``). The
package's version stays 0.1.0 from one change to the next, so a record's ``rnnlab``
alone cannot say which code made its numbers; the commit can.

Read from ``.git``'s own files (HEAD, the branch's ref, packed-refs; a worktree's
``gitdir`` and ``commondir``), no ``git`` process started: an installed package, whose
folder is no checkout's ``src/rnnlab``, costs one look for ``.git`` and records none.
Uncommitted edits are not seen: the commit is the one checked out."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Optional

_SHA = re.compile(r"[0-9a-f]{40}([0-9a-f]{24})?")  # (SHA-1, or SHA-256 repositories)


def source_commit(package_file) -> Optional[str]:
    """The commit checked out in the repository whose ``src/`` holds the package of
    ``package_file`` (its ``__init__.py``), or None: not a checkout, or .git unreadable."""
    package = Path(package_file).resolve().parent
    if package.parent.name != "src":  # (site-packages: an installed copy, no checkout)
        return None
    git = package.parent.parent / ".git"
    try:
        gitdir = _gitdir(git)
        if gitdir is None:
            return None
        head = (gitdir / "HEAD").read_text(encoding="utf-8").strip()
        if not head.startswith("ref:"):  # (a detached HEAD holds the commit itself)
            return _sha(head)
        return _ref(gitdir, head[4:].strip())
    except (OSError, UnicodeDecodeError):
        return None


def _gitdir(git: Path) -> Optional[Path]:
    """``.git`` itself, or the folder a worktree's ``.git`` file points to."""
    if git.is_dir():
        return git
    if not git.is_file():
        return None
    text = git.read_text(encoding="utf-8").strip()
    if not text.startswith("gitdir:"):
        return None
    return (git.parent / text[len("gitdir:"):].strip()).resolve()


def _ref(gitdir: Path, ref: str) -> Optional[str]:
    """The commit of ``ref`` (``refs/heads/main``): its file in the worktree's folder or
    the repository's common one, else its line in packed-refs."""
    common = gitdir
    if (gitdir / "commondir").is_file():
        common = (gitdir / (gitdir / "commondir").read_text(encoding="utf-8").strip()).resolve()
    for folder in (gitdir, common):
        if (folder / ref).is_file():
            return _sha((folder / ref).read_text(encoding="utf-8").strip())
    packed = common / "packed-refs"
    if packed.is_file():
        for line in packed.read_text(encoding="utf-8").splitlines():
            sha, _, name = line.partition(" ")
            if name.strip() == ref:
                return _sha(sha)
    return None


def _sha(text: str) -> Optional[str]:
    return text if _SHA.fullmatch(text) else None


__all__ = ["source_commit"]
