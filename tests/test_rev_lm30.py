"""Review of lm30 (lm generate without --prefix, lm eval without --text): the lm command
line back under the house limit, and what the review mended."""

from pathlib import Path


def _lines(module) -> int:
    return len(Path(module.__file__).read_text().splitlines())


def test_the_lm_command_line_stays_under_the_house_limit():
    """cli.py was 301 lines: lm eval lives in eval_command.py, where a command finds a
    run's model in run_model.py; the old names stay importable from cli."""
    from rnnlab.lm import cli, eval_command, run_model

    assert _lines(cli) < 300
    assert cli.cmd_eval is eval_command.cmd_eval
    assert cli._prepared_ids is eval_command._prepared_ids
    assert cli.model_dir is run_model.model_dir
