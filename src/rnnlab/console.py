"""The ``rnnlab`` command's entry point (``[project.scripts]``) and ``python -m rnnlab``'s.

The console script pip writes imports its entry point's module at its top level, outside
any ``try``: with ``rnnlab.cli:main`` a Ctrl-C while ``rnnlab.cli`` (and what it imports)
loaded printed a Python traceback. This module imports nothing at its top level: the
command line's module is imported inside :func:`main`, where a Ctrl-C at any moment
before the command's own handling ends as one line on stderr and exit status 130.
"""


def main() -> int:
    """Run ``rnnlab`` on ``sys.argv``; its exit status (130 for a Ctrl-C while it starts)."""
    try:
        from .cli import main as cli_main

        return cli_main()
    except KeyboardInterrupt:  # (the commands' own Ctrl-C handling returns 130 itself)
        import sys

        print("\nrnnlab: interrupted", file=sys.stderr)
        return 130
