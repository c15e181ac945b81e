"""matplotlib's pyplot for rnnlab's plots: Agg where nobody chose a backend (a server,
a command run over ssh), the user's own where one is chosen.

``matplotlib.use("Agg")`` with pyplot imported switches the backend, which closes every
open figure: in a notebook (the inline backend), ``Forecaster.plot()`` closed the user's
figures, its ``ax=`` figure among them, and the notebook showed no plot made after it.
"""

from __future__ import annotations

import os
import sys


def pyplot():
    """``matplotlib.pyplot``, Agg unless pyplot is loaded already (its backend is the
    user's) or ``MPLBACKEND`` names one (Jupyter's kernel sets it to the inline one)."""
    import matplotlib

    if "matplotlib.pyplot" not in sys.modules and not os.environ.get("MPLBACKEND"):
        matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt
