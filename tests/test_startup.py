"""Start-up: `rnnlab --version` and `rnnlab --help` import no command module (torch takes
seconds to import); the command typed is the only one imported."""

import subprocess
import sys
from pathlib import Path

SRC = str(Path(__file__).parents[1] / "src")


def _modules_after(code: str) -> set:
    out = subprocess.run([sys.executable, "-c", f"{code}\nimport sys\n"
                          "print(' '.join(sorted(sys.modules)), file=sys.stderr)"],
                         env={"PYTHONPATH": SRC, "PATH": "/usr/bin:/bin"}, capture_output=True,
                         text=True, timeout=120)
    return set(out.stderr.split()), out


def test_version_and_help_import_neither_torch_nor_pandas():
    for argv in (["--version"], ["--help"], []):
        mods, out = _modules_after(
            "import rnnlab.cli\n"
            f"try:\n    rnnlab.cli.build_parser({argv!r}, lazy=True).parse_args({argv!r})\n"
            "except SystemExit:\n    pass")
        assert "rnnlab.cli" in mods, out.stderr[-2000:]
        assert not {"torch", "pandas", "numpy"} & mods, (argv, sorted({"torch", "pandas"} & mods))
        assert not any(m.startswith(("rnnlab.forecast", "rnnlab.lm", "rnnlab.io")) for m in mods)


def test_version_answers_through_main():
    out = subprocess.run([sys.executable, "-m", "rnnlab.cli", "--version"],
                         env={"PYTHONPATH": SRC, "PATH": "/usr/bin:/bin"}, capture_output=True,
                         text=True, timeout=120)
    assert out.returncode == 0 and out.stdout.startswith("rnnlab ")


def test_the_command_typed_is_registered_in_full_and_the_others_are_listed():
    from rnnlab.cli import COMMAND_MODULES, COMMANDS, build_parser

    assert {m for m, _ in COMMANDS.values()} == set(COMMAND_MODULES)
    p = build_parser(["datasets"], lazy=True)
    sub = next(a for a in p._actions if a.dest == "command")
    assert set(sub.choices) == set(COMMANDS)
    full = build_parser()
    full_sub = next(a for a in full._actions if a.dest == "command")
    assert set(full_sub.choices) == set(COMMANDS)  # the table lists every command
    for a in full_sub._choices_actions:
        assert COMMANDS[a.dest][1] == a.help  # and its help as the module registers it
    assert p.parse_args(["datasets"]).func is not None
