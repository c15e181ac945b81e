"""The docs' examples run as written, and again (session 30): README's Forecasting block
re-run where it saved before, README's Panels block and docs/panels.md's "The model
protocol" blocks pasted as they stand, every name they use defined in them."""

import re
import textwrap
from pathlib import Path

import pytest
from test_docs_snippets import readme_block
from test_newcomer_user29d import _undefined_names

ROOT = Path(__file__).resolve().parents[1]


def _quick_forecaster(monkeypatch):
    """``from rnnlab.forecast import Forecaster`` gives a tiny network trained one epoch
    (the block's settings otherwise), so the block runs in seconds."""
    import rnnlab.forecast
    from rnnlab.forecast import Forecaster

    class Quick(Forecaster):
        def __init__(self, *args, **kwargs):
            if "config" not in kwargs:
                kwargs = {**kwargs, "epochs": 1, "hidden_size": 4, "ensemble": 1,
                          "progress": False}
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(rnnlab.forecast, "Forecaster", Quick)


@pytest.mark.slow
def test_readme_forecasting_block_runs_again_where_it_saved_before(tmp_path, monkeypatch):
    # the second run stopped at f.save("airline-model"): a saved model is never replaced
    # unasked, and the block did not ask
    from rnnlab.forecast import Forecaster

    _quick_forecaster(monkeypatch)
    monkeypatch.chdir(tmp_path)
    code = readme_block("## Forecasting")
    exec(code, {})
    assert (tmp_path / "airline-model" / "model.json").is_file()
    ns: dict = {}
    exec(code, ns)  # pasted a second time, in the same folder: it runs to its end
    assert "newer" in ns  # (defined after the save)
    again = Forecaster.load(tmp_path / "airline-model")
    assert again.predict(12).equals(ns["f"].predict(12))


@pytest.mark.parametrize("heading", ["## Forecasting", "## Panels"])
def test_readme_blocks_that_save_say_overwrite_so_they_run_again(heading):
    # (the quick form of the test above) a block pasted twice stopped at its save
    saves = re.findall(r"\.save\(([^)]*)\)", readme_block(heading))
    assert saves and all("overwrite=True" in args for args in saves), saves


def test_the_panels_page_backtest_block_saves_with_overwrite_and_defines_its_names():
    # (session 30 review) its res.save("runs/bt") refused the block pasted a second time
    # ("already exists"), as README's saves did; the block is run by a slow test alone
    from test_docs_snippets import python_blocks

    [code] = [c for h, c in python_blocks("docs/panels.md") if h == "## Rolling-origin backtest"]
    assert not _undefined_names(code)
    saves = re.findall(r"\.save\(([^)]*)\)", code)
    assert saves and all("overwrite=True" in args for args in saves), saves


def test_a_save_without_overwrite_still_refuses_a_saved_model(tmp_path):
    # the block's overwrite=True is the user's word; save's default still keeps a model
    from rnnlab.forecast import Forecaster
    from rnnlab.io.errors import CheckpointError

    f = Forecaster(hidden_size=4, epochs=1, ensemble=1, progress=False, lookback=12,
                   horizon=12).fit("airline")
    f.save(tmp_path / "m")
    with pytest.raises(CheckpointError, match="pass overwrite=True"):
        f.save(tmp_path / "m")


def section_blocks(doc: str, heading: str) -> list:
    """The ```python blocks under ``heading`` of ``doc`` up to the next heading of its level,
    those indented in a list item too (dedented, as a reader pastes them)."""
    text = (ROOT / doc).read_text(encoding="utf-8")
    start = text.index(f"\n{heading}\n")
    level = heading.split()[0]
    end = text.find(f"\n{level} ", start + len(heading) + 2)
    section = text[start:end if end > 0 else len(text)]
    return [textwrap.dedent(m.group(2)) for m in
            re.finditer(r"^( *)```python\n(.*?)^\1```", section, flags=re.M | re.S)]


def test_the_model_protocol_blocks_define_every_name_they_use():
    # they used model, panel, f and weather, defined nowhere: a NameError when pasted
    blocks = section_blocks("docs/panels.md", "## The model protocol")
    assert len(blocks) == 2
    for code in blocks:
        compile(code, "docs/panels.md (The model protocol)", "exec")
        assert not _undefined_names(code), code[:80]


def test_readme_panels_block_defines_every_name_it_uses():
    # it read df, future_df and sales.csv, none of them made in the block
    code = readme_block("## Panels")
    assert not _undefined_names(code)
    assert not re.search(r"read_panel\(\s*[\"']", code)  # (a CSV it reads is the one it writes)


def test_readme_panels_block_writes_its_csv_into_a_fresh_folder():
    # (session 30 review) it wrote panel.df.to_csv("elecdaily.csv"): pasted where a file of
    # that name was, it replaced the user's file unasked
    import ast

    tree = ast.parse(readme_block("## Panels"))
    writes = [n for n in ast.walk(tree) if isinstance(n, ast.Call)
              and isinstance(n.func, ast.Attribute) and n.func.attr == "to_csv"]
    assert writes
    for call in writes:  # a path made in the block, not a name in the working directory
        assert call.args and not isinstance(call.args[0], ast.Constant), ast.unparse(call)
    made = {ast.unparse(n.value) for n in ast.walk(tree) if isinstance(n, ast.Assign)
            and any(ast.unparse(call.args[0]) == ast.unparse(t) for t in n.targets)}
    assert made and all("tempfile.mkdtemp()" in m for m in made), made


@pytest.mark.slow
def test_the_model_protocol_blocks_run_as_written(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    first, second = section_blocks("docs/panels.md", "## The model protocol")
    ns: dict = {}
    exec(first, ns)
    assert type(ns["model"]).__name__ == "GlobalForecaster"  # (the loop's last model)
    printed = capsys.readouterr().out
    assert printed.count("q0.1") == 4 and "NSWMetro" in printed  # two models, two forecasts
    ns = {}
    exec(second, ns)
    fut = ns["fut"]
    assert list(fut.columns) == ["unique_id", "ds", "Temperature"] and len(fut) == 14
    assert fut["Temperature"].notna().all()  # the merge filled what make_future_dataframe left NaN
    assert "q0.9" in capsys.readouterr().out


def _flat(doc: str) -> str:
    return " ".join((ROOT / doc).read_text(encoding="utf-8").split())


def test_the_protocols_one_level_examples_are_accepted_and_the_quantile_models_refused():
    # it said "one number is one level (`quantiles=0.9`)": GlobalForecaster(quantiles=0.9),
    # a quantile model (the default), refuses it (no 0.5, nothing on both sides of it)
    from rnnlab.io.errors import SettingError
    from rnnlab.panel import ETS, GlobalForecaster, Naive, SeasonalNaive

    text = _flat("docs/panels.md")
    said = text[text.index("Quantile levels are fractions"):][:400]
    calls = re.findall(r"`(\w+\(quantiles=[^`]*\))`", said)
    assert calls, said
    names = {"Naive": Naive, "SeasonalNaive": SeasonalNaive, "ETS": ETS,
             "GlobalForecaster": GlobalForecaster}
    for call in calls:
        model = eval(call, names)
        levels = model.config.quantiles if hasattr(model, "config") else model.quantiles
        assert tuple(levels) == (0.9,), call
    assert "`quantiles=0.9` is refused" in said
    with pytest.raises(SettingError, match="add 0.5"):
        GlobalForecaster(quantiles=0.9)


def test_the_backtest_commands_table_is_a_file_the_checkout_holds_with_those_columns():
    # it read --data us_employment.csv, "the built-in panel's own file": no such file (the
    # package holds us_employment.csv.gz), so the command stopped at reading it
    import gzip

    [*_, (argv, path)] = _backtest_block_commands()  # the last: "your own CSV"
    path = ROOT / path
    assert path.is_file(), path
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as fh:
        header = fh.readline().strip().split(",")
    for option in ("--id-column", "--date-column", "--column"):
        assert argv[argv.index(option) + 1] in header, (option, header)


def test_the_backtest_block_leads_with_a_command_a_pip_install_runs():
    # its one command read src/rnnlab/data/builtin/us_employment.csv.gz, a path only a
    # source checkout has: the first now reads the built-in panel by name, the same table
    # and backtest as the file form beside it
    from rnnlab.cli import build_parser
    from rnnlab.panel.datasets import PANEL_DATASETS, builtin_path

    (first, name), (own, path) = _backtest_block_commands()
    assert name in PANEL_DATASETS and "/" not in name, name
    d = PANEL_DATASETS[name]
    assert ROOT / path == builtin_path(d.file)  # (the file the name reads)
    given = {o: own[own.index(o) + 1] for o in ("--id-column", "--date-column", "--column")}
    assert given == {"--id-column": d.id_column, "--date-column": d.date_column,
                     "--column": d.target}
    parse = build_parser().parse_args
    a, b = vars(parse(first[1:])), vars(parse(own[1:]))
    differ = {k for k in a if a[k] != b[k]}
    assert differ == {"data", "id_column", "date_column", "column", "out"}, differ


def _backtest_block_commands():
    """[(argv, its --data), ...] of the `rnnlab backtest` section's first block."""
    import shlex

    text = (ROOT / "docs/panels.md").read_text(encoding="utf-8")
    block = text[text.index("## `rnnlab backtest`"):]
    block = block[block.index("```\n") + 4:]
    block = block[:block.index("```")].replace("\\\n", " ")
    argvs = [shlex.split(line) for line in block.splitlines() if line.startswith("rnnlab backtest")]
    return [(argv, argv[argv.index("--data") + 1]) for argv in argvs]


def test_every_results_file_the_panels_benchmarks_name_is_in_benchmarks_results():
    # it named `...-global-20261206T0314Z.json` (panel_us_employment-global-...): the
    # run of 6 December wrote panel_us_employment-20261206T0314Z.json, without -global
    text = _flat("docs/panels.md")
    said = text[text.index("### us_employment"):]
    names = re.findall(r"`((?:\.\.\.|[\w/-]+)[\w-]*\d{8}T\d{4}Z\.json)`", said)
    assert len(names) >= 5, names
    results = ROOT / "benchmarks" / "results"
    missing = [n for n in names if not (results / n.replace("...", "panel_us_employment")).is_file()
               and not (ROOT / n).is_file()]
    assert not missing, missing
