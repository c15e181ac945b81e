"""Series named by several key columns (a fable user's ``key = c(State, Zone)``):
``read_panel(id_column=[...])``, ``--id-column State,Zone``, the future and static tables
keyed so, and the hint a table read by one key too few gives."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from rnnlab.io.errors import DataError
from rnnlab.panel import GlobalForecaster, join_keys, read_panel
from rnnlab.panel.covariates import static_file
from rnnlab.panel.future_file import read_future

TINY = dict(hidden_size=4, head_size=4, epochs=1, batches_per_epoch=2, batch_size=8,
            lookback=4, horizon=2, patience=None)


def tourism(n: int = 12) -> pd.DataFrame:
    """visnights' shape with its Region split in two keys: State, Zone, Quarter, Nights."""
    rng = np.random.default_rng(0)
    parts = [pd.DataFrame({"State": s, "Zone": z,
                           "Quarter": pd.period_range("2010Q1", periods=n, freq="Q").astype(str),
                           "Nights": 5 + i + rng.random(n)})
             for i, (s, z) in enumerate([("NSW", "Metro"), ("NSW", "Coast"), ("VIC", "Metro")])]
    return pd.concat(parts, ignore_index=True)


def test_several_key_columns_name_each_series_by_their_joined_values():
    """id_column=['State', 'Zone'] was a TypeError (unhashable type: 'list'); a tuple was
    'id column ('State', 'Zone') not found'."""
    for keys in (["State", "Zone"], ("State", "Zone")):
        p = read_panel(tourism(), id_column=keys, date_column="Quarter", target="Nights")
        assert list(p.ids) == ["NSW/Coast", "NSW/Metro", "VIC/Metro"]
        assert p.period == 4 and len(p.df) == 36
        row = p.df[p.df["unique_id"] == "VIC/Metro"].iloc[0]
        assert (row["State"], row["Zone"]) == ("VIC", "Metro")  # the keys stay beside it


def test_the_command_lines_comma_list_names_the_keys_of_a_csv(tmp_path):
    """``--id-column State,Zone`` reaches read_panel as that text; zero-padded codes in a
    key are kept as written (store 007, as a single id column keeps them)."""
    df = tourism().assign(State=lambda t: t["State"].map({"NSW": "001", "VIC": "002"}))
    path = tmp_path / "t.csv"
    df.to_csv(path, index=False)
    p = read_panel(str(path), id_column="State,Zone", date_column="Quarter", target="Nights")
    assert list(p.ids) == ["001/Coast", "001/Metro", "002/Metro"]


def test_keys_that_would_make_ids_ambiguous_or_are_missing_are_refused():
    kw = dict(date_column="Quarter", target="Nights")
    with pytest.raises(DataError, match=r"key columns \['Purpose'\] not found"):
        read_panel(tourism(), id_column=["State", "Purpose"], **kw)
    with pytest.raises(DataError, match=r"'Zone' holds 'North/West'.*str.replace"):
        read_panel(tourism().replace({"Coast": "North/West"}), id_column=["State", "Zone"], **kw)
    gap = tourism()
    gap.loc[3, "Zone"] = None
    with pytest.raises(DataError, match=r"key column .Zone. is missing in rows 3.*fillna"):
        read_panel(gap, id_column=["State", "Zone"], **kw)
    with pytest.raises(DataError, match="has a 'unique_id' column and id_column names"):
        read_panel(tourism().assign(unique_id="x"), id_column=["State", "Zone"], **kw)


def test_a_table_read_by_one_key_too_few_names_the_key_it_lacks():
    """The repeated (id, date) pairs said 'drop or aggregate them' only: the column that
    tells the series apart, and what to pass, were the user's to find."""
    kw = dict(date_column="Quarter", target="Nights")
    with pytest.raises(DataError, match=r"differ in 'Zone'.*id_column=\['State', 'Zone'\] "
                                        r"\(--id-column State,Zone\)"):
        read_panel(tourism(), id_column="State", **kw)
    with pytest.raises(DataError, match=r"differ in 'State', 'Zone'.*id_column=\['State', "
                                        r"'Zone'\]"):
        read_panel(tourism(), **kw)  # no id column: one series 'Nights', every date thrice
    with pytest.raises(DataError, match=r"differ in 'Zone':"):  # (not the integer Promo)
        read_panel(tourism().assign(Promo=np.arange(36) % 2), id_column="State", **kw)
    with pytest.raises(DataError, match=r"id_column=\['State', 'item_id'\]"):
        read_panel(tourism().assign(item_id=tourism()["Zone"].map(
            {"Metro": 1, "Coast": 2})).drop(columns="Zone"), id_column="State", **kw)
    twice = pd.concat([tourism(), tourism().assign(Nights=lambda t: t["Nights"] + 1)])
    with pytest.raises(DataError, match="drop or aggregate them$"):  # differ in the target only
        read_panel(twice, id_column=["State", "Zone"], **kw)


def test_the_repeated_rows_total_is_summed_in_the_users_own_column_names():
    """The hint said df.groupby([ID, DATE], as_index=False)[TARGET].sum(): names to
    replace; the call it gives now runs on the user's table as it is, and the sum reads."""
    kw = dict(date_column="Quarter", target="Nights")
    purposes = pd.concat([tourism().assign(Purpose=p) for p in ("Business", "Holiday")])
    for df, id_column, by in [(tourism(), "State", ["State", "Quarter"]),
                              (tourism(), None, ["Quarter"]),
                              (purposes, ["State", "Zone"], ["State", "Zone", "Quarter"])]:
        with pytest.raises(DataError) as said:
            read_panel(df, id_column=id_column, **kw)
        call = re.search(r"\((df\.groupby\(.*\.sum\(\))\)$", str(said.value))
        assert call and call.group(1) == (f"df.groupby({by!r}, as_index=False)"
                                          f"['Nights'].sum()"), str(said.value)
        total = eval(call.group(1), {"df": df})  # noqa: S307  (the message's own call)
        assert len(read_panel(total, id_column=id_column, **kw).ids) >= 1
    # several keys: the id they join is named by those keys, not by 'unique_id'
    with pytest.raises(DataError, match=r"pass id_column=\['State', 'Zone', 'Purpose'\]"):
        read_panel(purposes, id_column=["State", "Zone"], **kw)


def test_join_keys_gives_the_ids_read_panel_gives():
    df = tourism()
    p = read_panel(df, id_column=["State", "Zone"], date_column="Quarter", target="Nights")
    assert set(join_keys(df, ["State", "Zone"])["unique_id"]) == set(p.ids)
    with pytest.raises(DataError, match=r"key columns \['Region'\] not found"):
        join_keys(df, ["State", "Region"])


def test_future_and_static_files_keyed_as_the_data_are_read_by_those_keys(tmp_path):
    """--static-data with State,Zone columns was 'no id column 'unique_id''; a future file
    so keyed was read as covariates shared by every series."""
    fut = pd.DataFrame({"State": ["NSW", "VIC"], "Zone": ["Metro", "Metro"],
                        "Quarter": ["2013Q1", "2013Q1"], "Hol": [1, 0]})
    fut.to_csv(tmp_path / "f.csv", index=False)
    read = read_future(str(tmp_path / "f.csv"), ["Hol"], "State,Zone", "Quarter", "QS-JAN")
    assert read["unique_id"].tolist() == ["NSW/Metro", "VIC/Metro"]
    assert read["Hol"].tolist() == [1, 0]
    pd.DataFrame({"State": ["NSW"], "Zone": ["Coast"], "Kind": ["rest"]}).to_csv(
        tmp_path / "s.csv", index=False)
    static = static_file(str(tmp_path / "s.csv"), "State,Zone")
    assert static["unique_id"].tolist() == ["NSW/Coast"] and static["Kind"].tolist() == ["rest"]
    # a static table of the joined ids, with no key columns, is read by its unique_id
    pd.DataFrame({"unique_id": ["NSW/Coast"], "Kind": ["rest"]}).to_csv(
        tmp_path / "u.csv", index=False)
    assert static_file(str(tmp_path / "u.csv"), "State,Zone")["unique_id"].tolist() == [
        "NSW/Coast"]


@pytest.mark.slow
def test_a_future_table_keyed_by_columns_is_read_by_the_fits_keys():
    """(Was refused naming join_keys; a model fitted on the panel read by those keys reads
    them itself now. One fitted on the joined ids alone still names join_keys.)"""
    p = read_panel(tourism().assign(Hol=0), id_column=["State", "Zone"],
                   date_column="Quarter", target="Nights")
    f = GlobalForecaster("gru", future_covariates=("Hol",), **TINY).fit(p)
    fut = tourism(14).iloc[[12, 13, 26, 27, 40, 41]].assign(Hol=1).rename(
        columns={"Quarter": "ds"}).drop(columns="Nights")
    fc = f.predict(2, future=join_keys(fut, ["State", "Zone"]))
    pd.testing.assert_frame_equal(f.predict(2, future=fut), fc)
    f.keys = ()  # (as one fitted on a table of the joined ids)
    with pytest.raises(DataError, match=r"join_keys\(future, \['State', 'Zone'\]\)"):
        f.predict(2, future=fut)
    assert sorted(set(fc["unique_id"])) == ["NSW/Coast", "NSW/Metro", "VIC/Metro"]
    assert fc["ds"].astype(str).tolist()[:2] == ["2013Q1", "2013Q2"]


def test_key_columns_held_as_index_levels_are_read():
    """df.set_index(['State', 'Zone', 'Quarter'])['Nights'], a pandas user's keyed series:
    id_column=['State', 'Zone'] said 'key columns not found; columns are ['Nights']'."""
    df = tourism()
    for obj in (df.set_index(["State", "Zone", "Quarter"])["Nights"],
                df.set_index(["State", "Zone", "Quarter"])):
        p = read_panel(obj, id_column=["State", "Zone"])
        assert list(p.ids) == ["NSW/Coast", "NSW/Metro", "VIC/Metro"] and len(p.df) == 36


def test_a_table_without_an_id_names_the_columns_that_name_its_series(tmp_path):
    """No id column given: the panel reader's 'no id column' and the one-series reader
    (`rnnlab forecast` without --id-column) named one text column at most; with two keys
    the one-series reader said 'Quarter is not in increasing order: sort the file'."""
    from rnnlab.data.table_forms import panel_hint

    with pytest.raises(DataError, match=r"Here 'State', 'Zone' name the series: "
                                        r"id_column=\['State', 'Zone'\] \(--id-column State,Zone\)"):
        read_panel(tourism().drop(columns="Nights").assign(y=1.0))
    said = panel_hint(tourism(), "Quarter", "t.csv")
    assert "a long table of 3 series (columns 'State', 'Zone' together" in said
    assert "--id-column State,Zone" in said and "(df['Zone'] == 'Metro')" in said
    one = tourism().assign(Region=lambda t: t["State"] + t["Zone"]).drop(columns=["State", "Zone"])
    assert "(column 'Region': 'NSWMetro'" in panel_hint(one, "Quarter", "t.csv")


def test_repeats_of_integer_steps_are_still_said_in_steps():
    """The early check (before the unread columns go) ran outside the steps' wording: a
    repeated step 1 was said as ('a', 1970-01-02)."""
    df = pd.DataFrame({"unique_id": ["a"] * 4, "ds": [0, 1, 1, 2], "y": [1.0, 2, 3, 4]})
    with pytest.raises(DataError, match=r"repeat an \(id, step\) pair: \('a', 1\)"):
        read_panel(df)


def test_a_clock_hour_a_zone_repeats_is_said_as_the_zones_not_as_repeated_rows():
    """The early repeats check ran before the time zone's reading, whose message (the hour
    daylight saving time repeats, and what to write) it hid."""
    idx = pd.date_range("2014-04-05 12:00", periods=24, freq="h", tz="Australia/Melbourne")
    df = pd.DataFrame({"unique_id": "a", "ds": [t.strftime("%Y-%m-%d %H:%M") for t in idx],
                       "y": np.arange(24.0)})
    with pytest.raises(DataError, match="happens twice there"):
        read_panel(df, tz="Australia/Melbourne")


def _hinted_sum(df, **kw) -> str:
    """The pandas call the repeated rows' DataError of ``read_panel(df, **kw)`` gives."""
    with pytest.raises(DataError) as said:
        read_panel(df, **kw)
    call = re.search(r"\((df\.\w+\(.*\.sum\(\))\)$", str(said.value))
    assert call, str(said.value)
    return call.group(1)


def test_the_total_over_dates_in_an_unnamed_index_runs_on_the_users_table():
    """Dates as an unnamed index (Darts' frames) were read as 'ds', and the hint said
    df.groupby(['State', 'ds'], ...): a KeyError on the user's table, which has no 'ds'."""
    purposes = pd.concat([tourism().assign(Purpose=p) for p in ("Business", "Holiday")])
    dated = purposes.set_index(pd.PeriodIndex(purposes.pop("Quarter"), freq="Q")
                               .to_timestamp()).rename_axis(None)
    kw = dict(id_column="State", target="Nights")
    call = _hinted_sum(dated, **kw)
    total = eval(call, {"df": dated})  # noqa: S307  (the message's own call)
    assert len(read_panel(total, **kw).ids) == purposes["State"].nunique()
    named = dated.rename_axis("when")  # (a named index: grouped by its name, as it was)
    assert "groupby(['State', 'when']" in _hinted_sum(named, **kw)


def test_the_total_over_dates_in_a_named_index_runs_on_the_users_table():
    """pandas 2's groupby(..., as_index=False) leaves out an index level it groups by (a
    FutureWarning; pandas 3 keeps it): the hinted total had no dates on Python 3.10."""
    purposes = pd.concat([tourism().assign(Purpose=p) for p in ("Business", "Holiday")])
    named = purposes.set_index(pd.PeriodIndex(purposes.pop("Quarter"), freq="Q")
                               .to_timestamp()).rename_axis("when")
    kw = dict(id_column="State", target="Nights")
    total = eval(_hinted_sum(named, **kw), {"df": named})  # noqa: S307  (as said)
    assert "when" in total.columns
    assert len(read_panel(total, date_column="when", **kw).ids) == purposes["State"].nunique()


def test_a_number_named_id_column_and_several_keys_get_a_hint_that_runs():
    """The lead's join of tidy30 and rev_mypy30: the id column named 0 (a number), rows
    that differ in Zone and Purpose; several keys with a number-named column (5) that differs."""
    purposes = pd.concat([tourism().assign(Purpose=p) for p in ("Business", "Holiday")])
    kw = dict(date_column="Quarter", target="Nights")
    numbered = purposes.rename(columns={"State": 0})
    for df, id_column, keys in [(numbered, 0, ["0", "Zone", "Purpose"]),
                                (purposes.rename(columns={"Purpose": 5}), ["State", "Zone"],
                                 ["State", "Zone", "5"])]:
        with pytest.raises(DataError) as said:
            read_panel(df, id_column=id_column, **kw)
        text = str(said.value)
        assert f"pass id_column={keys!r} with the columns named as text " \
               f"(df = df.rename(columns=str)) (--id-column {','.join(keys)})" in text, text
        panel = read_panel(df.rename(columns=str), id_column=keys, **kw)  # (as it says)
        assert len(panel.ids) == len(df.groupby([df[k] for k in df.columns
                                                 if str(k) in keys]).size())
        total = eval(_hinted_sum(df, id_column=id_column, **kw), {"df": df})  # noqa: S307
        assert len(read_panel(total, id_column=id_column, **kw).ids) >= 1
