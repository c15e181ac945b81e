"""Every parser of the ``rnnlab`` command line, sub-subcommands included (for the tests
of what the help says)."""

import argparse


def all_parsers(p, path=()):
    """(path of subcommand names, parser) for ``p`` and every parser below it."""
    yield path, p
    for a in p._actions:
        if isinstance(a, argparse._SubParsersAction):
            for name, sp in a.choices.items():
                yield from all_parsers(sp, path + (name,))
