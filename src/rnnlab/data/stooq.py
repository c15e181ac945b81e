"""Daily prices from stooq.com, downloaded once and cached on disk.

``fetch_stooq("^DJI")`` reads ``$RNNLAB_CACHE`` (default ``~/.cache/rnnlab``)
``/stooq/<symbol>.csv`` when present, else downloads
``https://stooq.com/q/d/l/?s=<symbol>&i=d`` and caches it. stooq's English and
Polish headers are both accepted. Offline, the error says how to pass a CSV instead.
"""

from __future__ import annotations

import io
import os
import re
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Callable, Optional

import pandas as pd

from ..io.atomic import atomic_write_bytes
from ..io.errors import DataError

URL = "https://stooq.com/q/d/l/?s={symbol}&i=d"
POLISH = {"Data": "Date", "Otwarcie": "Open", "Najwyzszy": "High", "Najnizszy": "Low",
          "Zamkniecie": "Close", "Wolumen": "Volume"}


def cache_dir() -> Path:
    return Path(os.environ.get("RNNLAB_CACHE") or Path.home() / ".cache" / "rnnlab")


MAX_DOWNLOAD_BYTES = 64 * 1024 ** 2  # a stooq CSV of daily prices since 1900 is < 2 MB


def _download(url: str, timeout: float = 30.0) -> bytes:
    """The response's bytes, no more than MAX_DOWNLOAD_BYTES of them: a response of any
    size (a proxy's error page streamed forever) was read whole into memory."""
    req = urllib.request.Request(url, headers={"User-Agent": "rnnlab"})
    with urllib.request.urlopen(req, timeout=timeout) as r:  # noqa: S310 (fixed https URL)
        data = r.read(MAX_DOWNLOAD_BYTES + 1)
    if len(data) > MAX_DOWNLOAD_BYTES:
        raise DataError(f"{url}: the response is larger than {MAX_DOWNLOAD_BYTES:,} bytes, not "
                        f"a stooq CSV of daily prices; refused. Download it elsewhere and pass "
                        f"the CSV file instead (--data FILE.csv --column Close)")
    return data


def parse_stooq_csv(data: bytes, source: str) -> pd.DataFrame:
    """A stooq CSV (English or Polish headers) as a DataFrame with English column names."""
    text = data.decode("utf-8", errors="replace").strip()
    if not text or text.lower().startswith(("no data", "brak danych")) or "," not in text:
        raise DataError(f"{source}: stooq returned no data ({text[:60]!r}); check the symbol "
                        f"(e.g. ^DJI, AAPL.US)")
    from .csv_file import CSV_READ_ERRORS, csv_error

    try:
        df = pd.read_csv(io.StringIO(text)).rename(columns=POLISH)
    except CSV_READ_ERRORS as e:  # (a cached file cut short: a quote left open, a row longer)
        raise DataError(f"{csv_error(source, e)}; expected a stooq CSV of daily prices "
                        f"(Date,Open,High,Low,Close[,Volume]); a cached copy: remove it to "
                        f"download it again") from None
    if "Date" not in df.columns or "Close" not in df.columns:
        raise DataError(f"{source}: expected stooq columns Date,Open,High,Low,Close[,Volume] "
                        f"(or Data,...,Zamkniecie), found {list(df.columns)}")
    return df


def fetch_stooq(symbol: str, refresh: bool = False,
                fetch: Optional[Callable[[str], bytes]] = None) -> pd.DataFrame:
    """Daily OHLC(V) of ``symbol`` from stooq, through the on-disk cache.

    ``fetch(url) -> bytes`` replaces the download (tests inject a recorded file)."""
    if not re.fullmatch(r"[\^A-Za-z0-9._-]{1,32}", symbol or ""):
        raise DataError(f"stooq symbol {symbol!r} is not valid; expected e.g. ^DJI or AAPL.US")
    sym = symbol.lower()
    path = cache_dir() / "stooq" / f"{sym.replace('^', '_')}.csv"
    if path.is_file() and not refresh:
        return parse_stooq_csv(path.read_bytes(), str(path))
    url = URL.format(symbol=urllib.parse.quote(sym, safe=""))
    try:
        data = (fetch or _download)(url)
    except (urllib.error.URLError, OSError, TimeoutError) as e:
        snapshot = (" For the Dow Jones, rnnlab ships a snapshot (2018-02-13 to 2023-02-10): "
                    "--data dji." if sym == "^dji" else "")
        raise DataError(
            f"cannot download {symbol} from stooq ({e}); you seem to be offline. Download "
            f"{url} elsewhere and pass the CSV file instead (--data FILE.csv --column Close), "
            f"or put it at {path}.{snapshot}") from None
    df = parse_stooq_csv(data, url)
    try:
        atomic_write_bytes(path, data)
    except OSError as e:  # (a read-only or missing home: the data came; only the cache failed)
        import warnings

        warnings.warn(f"stooq {symbol}: downloaded, but not cached at {path} "
                      f"({e.strerror or e}); set RNNLAB_CACHE to a writable folder to keep "
                      f"it for the next run", stacklevel=2)
    return df
