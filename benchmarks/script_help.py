"""How the benchmark scripts read their command lines, one way for all of them.

``python benchmarks/SCRIPT.py --help`` prints the script's docstring (its usage) and exits,
for the scripts that read their few arguments by position (they started a run, or failed
on ``float('--help')``): :func:`answer_help`.

The scripts with options build their parser with :func:`script_parser`, which takes no
abbreviations, as the ``rnnlab`` command takes none (:mod:`rnnlab.cli_prefixes`):
argparse's default read ``--rep 3`` as ``--repeats 3``, so a typo, or an option a later
version adds with the same start, silently changed what a recorded command measured."""

import argparse
import sys


def answer_help(doc: str) -> None:
    if any(a in ("-h", "--help") for a in sys.argv[1:]):
        print((doc or "").strip())
        raise SystemExit(0)


class _FullNames(argparse.ArgumentParser):
    """An ArgumentParser that refuses an abbreviated option (exit status 2), naming the
    options it starts with what each does, as ``rnnlab`` does."""

    def parse_args(self, args=None, namespace=None):
        parsed, extra = self.parse_known_args(args, namespace)
        if extra:
            self.error(_unrecognized(self, extra))
        return parsed


def _unrecognized(parser: argparse.ArgumentParser, extra) -> str:
    """argparse's "unrecognized arguments" and, for each that starts some of the
    parser's long options, those options (rnnlab.cli_prefixes.started_options)."""
    said = f"unrecognized arguments: {' '.join(extra)}"
    try:
        from rnnlab.cli_prefixes import started_options
    except ImportError:  # (rnnlab not importable: argparse's words alone)
        return said
    meant = [started_options(parser, w.split("=", 1)[0]) for w in extra if w.startswith("--")]
    return "\n".join([said, *[m for m in meant if m]])


def script_parser(**kwargs) -> argparse.ArgumentParser:
    """``argparse.ArgumentParser(**kwargs)`` for a benchmark script, refusing abbreviated
    options (``allow_abbrev=False``: ``--rep 3`` is refused, not read as ``--repeats 3``)."""
    return _FullNames(allow_abbrev=False, **kwargs)
