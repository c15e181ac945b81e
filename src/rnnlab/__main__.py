"""``python -m rnnlab ...``: the same entry point as the ``rnnlab`` command."""

import sys

from .console import main

if __name__ == "__main__":
    sys.exit(main())
