"""calendar= (and the covariates) given as a Python set: a set's order is its hash
seed's, so the calendar features' columns came in a different order from one process
(PYTHONHASHSEED) to the next; a set is read in the features' canonical order
(rnnlab.calendar_options.read_names)."""

import os
import subprocess
import sys
from pathlib import Path

from rnnlab.panel.config import CALENDAR, PanelConfig

SRC = str(Path(__file__).resolve().parents[1] / "src")
SCRIPT = ("from rnnlab.panel.config import PanelConfig\n"
          "c = PanelConfig(calendar={'hour', 'dayofyear', 'month', 'dayofweek'}, "
          "future_covariates={'temp', 'promo', 'price', 'z', 'a'})\n"
          "print(','.join(c.calendar), ','.join(c.future_covariates))\n")


def _read_in(seed: str) -> str:
    env = dict(os.environ, PYTHONHASHSEED=seed,
               PYTHONPATH=SRC + os.pathsep + os.environ.get("PYTHONPATH", ""))
    out = subprocess.run([sys.executable, "-c", SCRIPT], env=env, capture_output=True,
                         text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    return out.stdout.strip()


def test_a_set_reads_the_same_under_two_hash_seeds():
    first, second = _read_in("1"), _read_in("2")
    assert first == second == "month,dayofweek,hour,dayofyear a,price,promo,temp,z"


def test_a_set_is_put_in_the_canonical_order():
    cfg = PanelConfig(calendar=frozenset(CALENDAR[:4]))
    assert cfg.calendar == CALENDAR[:4]
    assert PanelConfig(calendar=["hour", "month"]).calendar == ("hour", "month")  # (as given)
