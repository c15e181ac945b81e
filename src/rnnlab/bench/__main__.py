"""``python -m rnnlab.bench [options]``: the same as ``rnnlab bench [options]``."""

import sys

from .cli import main

sys.exit(main())
