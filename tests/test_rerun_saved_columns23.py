"""``forecast --run DIR --data NEW`` reads the run's recorded column names from its
config.json; an edited one holding another kind of value (``"date_column": true``) ended in
AttributeError: 'bool' object has no attribute 'lower' (found by the slow fuzz of run files)."""

from __future__ import annotations

import json

import pytest

from rnnlab.forecast.rerun import _saved_columns
from rnnlab.io.errors import RunDirError


def _run(tmp_path, config):
    (tmp_path / "config.json").write_text(json.dumps({"config": config}))
    return tmp_path


def test_recorded_names_are_read(tmp_path):
    got = _saved_columns(_run(tmp_path, {"column": "v", "date_column": None, "seed": 0}))
    assert got == {"column": "v", "date_column": None}


@pytest.mark.parametrize("key,value", [("date_column", True), ("column", ["a"]),
                                       ("date_column", 3)])
def test_another_kind_of_value_is_refused_naming_the_file(tmp_path, key, value):
    with pytest.raises(RunDirError) as e:
        _saved_columns(_run(tmp_path, {key: value}))
    assert "config.json" in str(e.value) and f"config.{key}" in str(e.value)
    assert f"--{key.replace('_', '-')} NAME" in str(e.value)


def test_a_config_that_is_not_an_object_reads_as_nothing_recorded(tmp_path):
    assert _saved_columns(_run(tmp_path, [1, 2])) == {"column": None, "date_column": None}
