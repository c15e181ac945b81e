"""Numbers read from a user's table: real ones only."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..io.errors import DataError


def real_values(num: pd.Series, source: str, name, row=str) -> pd.Series:
    """``num`` (numbers from ``pd.to_numeric``) as real numbers: complex values with an
    imaginary part are refused (numpy would drop it with only a warning), those without one
    kept as their real part. ``row(i)`` names the i-th row in the message."""
    values = num.to_numpy()
    if not (np.iscomplexobj(values) or (values.dtype == object and any(
            isinstance(v, (complex, np.complexfloating)) for v in values))):
        return num
    imag = [i for i, v in enumerate(values) if isinstance(v, (complex, np.complexfloating))
            and v.imag != 0 and v.imag == v.imag]
    if imag:
        i = imag[0]
        raise DataError(f"{source}: column {name!r} holds {len(imag)} numbers with an "
                        f"imaginary part ({row(i)}: {complex(values[i])}), expected real "
                        f"ones; forecast the real part, the imaginary part or the magnitude "
                        f"(np.real / np.imag / np.abs) instead")
    return pd.Series(np.real(values.astype(complex)), index=num.index)
