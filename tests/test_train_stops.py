"""TrainingInterrupted.with_resume_command (rnnlab.train.stops): the loop's closing hint is
replaced by the exact command, and only that hint."""

from rnnlab.train.stops import TrainingInterrupted


def test_the_closing_hint_becomes_the_command_and_the_code_is_kept():
    e = TrainingInterrupted(f"stopped by a signal at epoch 2, step 5; the checkpoint is "
                            f"written. {TrainingInterrupted.HINT}", 143)
    r = e.with_resume_command("rnnlab forecast --resume runs/a")
    assert str(r) == ("stopped by a signal at epoch 2, step 5; the checkpoint is written. "
                      "Resume with: rnnlab forecast --resume runs/a")
    assert r.exit_code == 143


def test_the_hint_inside_the_message_is_left_as_it_is():
    """str.replace took the hint out wherever it was (a run folder named so lost it)."""
    e = TrainingInterrupted(f"stopped in runs/{TrainingInterrupted.HINT}-dir; the checkpoint "
                            f"is written. {TrainingInterrupted.HINT}", 130)
    r = e.with_resume_command("X")
    assert str(r) == (f"stopped in runs/{TrainingInterrupted.HINT}-dir; the checkpoint is "
                      f"written. Resume with: X")
