"""A packager's and a pip user's view of the distribution: the metadata an index shows
(classifiers, keywords) agrees with ``requires-python``."""

from pathlib import Path

import pytest

from pyproject_data import pyproject

ROOT = Path(__file__).parents[1]


def _project() -> dict:
    return pyproject()["project"]


def test_classifiers_name_each_python_from_the_floor_and_no_licence():
    """Before: no classifiers and no keywords (an index listed rnnlab under no Python
    version, topic or status). Now: each Python minor version from ``requires-python``'s
    floor on, up to the newest named, and no ``License ::`` classifier (setuptools refuses
    one beside an SPDX ``license``)."""
    project = _project()
    classifiers = project.get("classifiers", [])
    floor = project["requires-python"].removeprefix(">=")
    minors = sorted(int(c.rsplit(".", 1)[1]) for c in classifiers
                    if c.startswith("Programming Language :: Python :: 3."))
    assert minors and minors[0] == int(floor.split(".")[1]), (floor, minors)
    assert minors == list(range(minors[0], minors[-1] + 1)), minors  # no gap
    assert "Programming Language :: Python :: 3 :: Only" in classifiers
    assert any(c.startswith("Development Status :: ") for c in classifiers)
    assert not [c for c in classifiers if c.startswith("License ::")]
    assert {"lstm", "forecasting"} <= set(project.get("keywords", []))
    try:  # the list PyPI accepts, where installed
        from trove_classifiers import classifiers as known
    except ImportError:
        return
    assert not set(classifiers) - known, sorted(set(classifiers) - known)


def test_make_wheel_removes_a_stale_build_folder_first():
    """README told packagers to run ``pip wheel --no-deps .``: it builds in the tree, and
    setuptools packs all that ``build/lib`` holds, so a module deleted since an earlier
    build went into the new wheel (tried: ``build/lib/rnnlab/removed_module.py`` was
    shipped). ``make wheel`` removes ``build/`` first, and ``make clean`` removes it."""
    import shutil
    import subprocess

    if shutil.which("make") is None:
        pytest.skip("no make")

    def dry(target):
        out = subprocess.run(["make", "-n", "-C", str(ROOT), target], capture_output=True,
                             text=True, timeout=60)
        assert out.returncode == 0, out.stderr
        return [line.split() for line in out.stdout.splitlines() if line.strip()]

    lines = dry("wheel")
    build = next(i for i, w in enumerate(lines) if w[:2] == ["rm", "-rf"] and "build" in w)
    wheel = next(i for i, w in enumerate(lines) if "wheel" in w and "--no-deps" in w)
    assert build < wheel, lines
    assert any(w[:2] == ["rm", "-rf"] and "build" in w for w in dry("clean"))
    assert "make wheel" in (ROOT / "README.md").read_text()
