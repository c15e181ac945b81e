"""README's way in for a newcomer (session 31): a short "Start here" section after the
opening lines, whose examples run as written (its Python blocks, and its command lines
through rnnlab's main() in this process), a table of contents of the top-level sections,
and every `](#anchor)` link in README.md pointing at a heading that exists."""

import re
import shlex
from pathlib import Path

import pytest
from test_docs_runnable30 import _quick_forecaster, section_blocks
from test_docs_snippets import _one_epoch_global_forecaster

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
FENCE = re.compile(r"^ *```\w*\n.*?^ *```", flags=re.M | re.S)


def _section(heading: str) -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index(f"\n{heading}\n")
    end = text.find("\n## ", start + len(heading) + 2)
    return text[start + 1:end if end > 0 else len(text)]


def _headings(text: str) -> list:
    """The Markdown headings of ``text``, those inside fenced code left out (a `# comment`
    in a bash or Python block is not a heading)."""
    return re.findall(r"^(#{1,6}) (.+?)\s*$", FENCE.sub("", text), flags=re.M)


def _slug(title: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation but '-' and '_' dropped,
    each space a '-'."""
    return re.sub(r"[^\w\- ]", "", title.strip().lower()).replace(" ", "-")


def _anchors(text: str) -> set:
    seen: dict = {}
    out = set()
    for _, title in _headings(text):
        slug = _slug(title)
        n = seen.get(slug, 0)
        out.add(slug if n == 0 else f"{slug}-{n}")  # a repeated heading: -1, -2, ...
        seen[slug] = n + 1
    return out


def _start_here_steps() -> list:
    """(title, text) of each ### step of the Start here section."""
    parts = re.split(r"^### (.+)$", _section("## Start here"), flags=re.M)
    return list(zip(parts[1::2], parts[2::2]))


def test_slug_is_githubs():
    assert _slug("Several processes, GPUs and machines") == "several-processes-gpus-and-machines"
    assert _slug("Variable lengths, classification and sequence to sequence") == \
        "variable-lengths-classification-and-sequence-to-sequence"
    assert _slug("Backtest, and score against baselines") == "backtest-and-score-against-baselines"
    assert _anchors("# a\n## a\n```bash\n# b\n```\n") == {"a", "a-1"}


def test_every_anchor_link_in_the_readme_resolves_to_a_heading():
    text = README.read_text(encoding="utf-8")
    links = re.findall(r"\]\(#([^)\s]+)\)", FENCE.sub("", text))
    assert len(links) >= 20, links  # the contents and the Start here steps at least
    missing = sorted(set(links) - _anchors(text))
    assert not missing, f"README.md links to anchors no heading makes: {missing}"


def test_contents_lists_every_top_level_section_in_order():
    text = README.read_text(encoding="utf-8")
    top = [title for level, title in _headings(text) if level == "##" and title != "Contents"]
    listed = re.findall(r"^[-*] \[([^\]]+)\]\(#([^)]+)\)", _section("## Contents"), flags=re.M)
    assert [title for title, _ in listed] == top
    assert [anchor for _, anchor in listed] == [_slug(t) for t in top]


def test_the_readme_opens_with_make_run_and_make_test_then_start_here():
    # .ci/run and tests read the opening lines; the way in comes right after the opening
    text = README.read_text(encoding="utf-8")
    lines = text.splitlines()
    assert lines[:5] == ["# rnnlab", "", "```bash", lines[3], lines[4]]
    assert lines[3].startswith("make run ") and lines[4].startswith("make test ")
    first = [title for level, title in _headings(text) if level == "##"][:2]
    assert first == ["Start here", "Contents"]


def test_start_here_is_short_and_each_step_has_a_command_an_example_and_a_link():
    # a cap per step, not on the section's exact length: a step may gain a line or a
    # sixth step may come without this test failing, a page of text in a step may not
    steps = _start_here_steps()
    assert 3 <= len(steps) <= 8, [t for t, _ in steps]
    for title, body in steps:
        assert len(body.strip().splitlines()) <= 24, title
        assert "```bash\nrnnlab " in body, title
        assert body.count("```python\n") == 1, title
        assert re.search(r"\]\(#[\w-]+\)", body), title  # more about it: a section


def _bash_lines(body: str) -> list:
    out = []
    for block in re.findall(r"^```bash\n(.*?)^```", body, flags=re.M | re.S):
        for line in block.replace("\\\n", " ").splitlines():
            out.append(line.split("#")[0].strip())
    return [line for line in out if line]


# what each command adds to run in seconds: a tiny network, one short epoch, no bar
QUICK = {
    ("forecast",): ["--epochs", "1", "--hidden-size", "4", "--ensemble", "1", "--no-progress"],
    ("backtest",): ["--epochs", "1", "--batches-per-epoch", "2", "--no-progress"],
    ("lm", "train"): ["--minutes", "0.01", "--hidden-size", "16", "--no-progress"],
}


def _quick(argv: list) -> list:
    if argv[0] == "forecast" and "--run" in argv:
        return argv  # a saved run: nothing trained
    if argv[0] == "forecast" and ("--future-covariates" in argv or "--calendar" in argv):
        # a panel: the panel model
        return argv + ["--epochs", "1", "--batches-per-epoch", "2", "--no-progress"]
    for head, extra in QUICK.items():
        if tuple(argv[:len(head)]) == head:
            return argv + extra
    return argv


@pytest.mark.slow
def test_start_here_commands_run_as_written(tmp_path, monkeypatch, capsys):
    # each command in order, in a fresh folder (runs/airline is read by --run afterwards)
    from rnnlab.cli import main

    monkeypatch.chdir(tmp_path)
    ran = 0
    for title, body in _start_here_steps():
        for line in _bash_lines(body):
            argv = shlex.split(line)
            assert argv[0] == "rnnlab", line
            code = main(_quick(argv[1:]))
            assert code in (0, None), f"{title}: `{line}` exited {code}: {capsys.readouterr().err}"
            ran += 1
    assert ran >= 6
    assert (tmp_path / "next24.csv").is_file()
    assert (tmp_path / "runs" / "tm").is_dir() and (tmp_path / "runs" / "vis").is_dir()


def _quick_charlm(monkeypatch):
    import rnnlab.lm
    from rnnlab.lm import CharLM

    class Quick(CharLM):
        def __init__(self, **kwargs):
            super().__init__(**{**kwargs, "hidden_size": 16})

        def fit(self, text, *args, **kwargs):
            return super().fit(text, *args, **{**kwargs, "minutes": 0.01, "progress": False})

    monkeypatch.setattr(rnnlab.lm, "CharLM", Quick)


@pytest.mark.parametrize("step", range(len(_start_here_steps())))  # each in about a second
def test_start_here_python_blocks_run_as_written(step, tmp_path, monkeypatch, capsys):
    _quick_forecaster(monkeypatch)
    _one_epoch_global_forecaster(monkeypatch)
    _quick_charlm(monkeypatch)
    monkeypatch.chdir(tmp_path)  # the save step writes airline-model here
    title, _ = _start_here_steps()[step]
    [code] = [c for c in section_blocks("README.md", "## Start here")
              if c in _start_here_steps()[step][1]]
    ns: dict = {}
    exec(code, ns)
    printed = capsys.readouterr().out
    assert printed.strip(), title
    if "quantiles=" in code and "Forecaster(" in code and "Global" not in code:
        assert "q0.1" in printed and "q0.9" in printed
    # a printed table's columns, as a print's comment lists them ("# unique_id, ds, step, ...")
    for names in re.findall(r"^print\(.*#\s*((?:[\w.]+, ){2,}[\w.]+)", code, flags=re.M):
        missing = [n for n in names.split(", ") if n not in printed]
        assert not missing, (title, names, printed[:500])
    if ".save(" in code:
        assert (tmp_path / "airline-model" / "model.json").is_file()


def test_the_forecasting_section_gives_its_basics_before_how_dates_are_read():
    # a newcomer met ~40 lines on date formats, calendars and outliers before the commands
    section = _section("## Forecasting")
    dates = section.index("`fit` takes a dataset name, a CSV path")
    assert section.index("```python\n") < section.index("```bash\n") < dates
    assert section.rindex("\n### What `fit` reads") < dates
    assert "](#what-fit-reads-dates-calendars-and-odd-values)" in section[:section.index("```")]


def test_each_long_section_opens_with_a_short_paragraph_or_an_example():
    # "Files and safety" opened with a 29-line paragraph on error classes
    text = README.read_text(encoding="utf-8")
    long_ones = 0
    for level, title in _headings(text):
        section = _section(f"{level} {title}") if level == "##" else ""
        if len(section.splitlines()) < 100:
            continue
        long_ones += 1
        first = section.split("\n\n")[1]
        assert first.startswith("```") or len(first.splitlines()) <= 6, (title, first[:200])
    assert long_ones >= 5


def test_the_forecasting_python_example_is_followed_by_its_command_line():
    # session 31 review: the max_seconds paragraph, merged after readme31, sat between the
    # Python example and "From the command line": an option's detail before the basics
    section = _section("## Forecasting")
    python_end = section.index("```\n", section.index("```python\n") + 10) + 4
    between = section[python_end:section.index("```bash\n")].strip()
    assert between.startswith("From the command line") and len(between.splitlines()) <= 2, \
        between[:300]


def test_each_start_here_command_says_what_it_prints_or_writes():
    # session 31 review: the commands said nothing of their output, and the panel one, which
    # forecasts nothing past the data without --future, read as if it did
    for title, body in _start_here_steps():
        for block in re.findall(r"^```bash\n(.*?)^```", body, flags=re.M | re.S):
            # a command, its continuation lines joined, and the comment lines right after it
            joined = block.replace("\\\n", " ")
            for command in re.findall(r"^rnnlab .*(?:\n#.*)*", joined, flags=re.M):
                assert re.search(r"#.*\b(prints?|writes?)\b", command), (title, command)
    # a command with future covariates but no --future file forecasts nothing past the data
    commands = [body.split("```python")[0] for _, body in _start_here_steps()]
    with_covariates = [c for c in commands if "--future-covariates" in c]
    assert with_covariates and all("--future " in c for c in with_covariates)


def test_files_and_safety_in_short_names_every_exit_status_the_section_names():
    # session 31 review: the short paragraph listed 0, 2 and 1, not 3 (diverged) nor
    # 130 / 143 (interrupted), which a script reading the status meets too
    section = _section("## Files and safety")
    short = section.split("\n\n")[1]
    rest = section[len(short):]
    codes = set(re.findall(r"exit status (\d+)", rest))
    codes |= set(re.findall(r"exits with (\d+)(?: / (\d+))?", rest)[0])
    every = rest[rest.index("Every `rnnlab` command exits"):][:700]  # 0 when ...; 2 for ...
    codes |= set(re.findall(r"\b(\d) (?:for|when) ", every))
    codes.discard("")
    assert {"0", "1", "2", "3", "130", "143"} <= codes, codes
    named = set(re.findall(r"\b\d+\b", short[short.index("Exit status"):]))
    assert codes <= named, sorted(codes - named)
