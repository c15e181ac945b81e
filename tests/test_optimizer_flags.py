"""The optimizer refusals name the command-line flags on the command line (``--eps``,
``--amsgrad yes``, ``--optimizer sgd``), Python's keywords in Python (``eps=``,
``amsgrad=True``): one message each (rnnlab.train.config), rewritten where a config is
built from options (rnnlab.train.optim_flags.as_flags). Was: `rnnlab forecast --optimizer
sgd --amsgrad yes` was told to "leave amsgrad at False"."""

import pytest

from rnnlab.cli import main
from rnnlab.forecast import ForecastConfig
from rnnlab.train.config import TrainConfig
from rnnlab.train.optim_flags import as_flags

CASES = [  # (settings, what Python says, what the command line says)
    (dict(eps=0.0), "eps must be > 0", "--eps must be > 0"),
    (dict(optimizer="sgd", amsgrad=True),
     "amsgrad=True applies to optimizer='adam' or 'adamw' only, and optimizer is 'sgd'; set "
     "optimizer='adam' or leave amsgrad at False",
     "--amsgrad yes applies to --optimizer adam or adamw only, and --optimizer is sgd; set "
     "--optimizer adam or leave --amsgrad at no"),
    (dict(optimizer="sgd", eps=1e-6), "eps=1e-06 applies", "--eps 1e-06 applies"),
    (dict(optimizer="sgd", betas=(0.8, 0.9)),
     "betas=(0.8, 0.9) apply to optimizer='adam' or 'adamw' only, and optimizer is 'sgd' "
     "(SGD's is momentum); set optimizer='adam' or leave betas at (0.9, 0.999)",
     "--betas 0.8 0.9 apply to --optimizer adam or adamw only, and --optimizer is sgd "
     "(SGD's is momentum); set --optimizer adam or leave --betas at 0.9 0.999"),
    (dict(momentum=0.9),
     "momentum=0.9 applies to optimizer='sgd' only, and optimizer is 'adam'",
     "--momentum 0.9 applies to --optimizer sgd only, and --optimizer is adam"),
    (dict(optimizer="sgd", dampening=0.5),
     "dampening=0.5 applies to optimizer='sgd' with a momentum > 0, and optimizer is 'sgd', "
     "momentum 0.0; set a momentum (0.9), or leave dampening at 0",
     "--dampening 0.5 applies to --optimizer sgd with a momentum > 0, and --optimizer is sgd, "
     "--momentum 0.0; set a momentum (0.9), or leave --dampening at 0"),
    (dict(optimizer="sgd", momentum=0.9, nesterov=True, dampening=0.5),
     "dampening=0.5 with nesterov=True: Nesterov momentum takes no dampening (torch.optim.SGD "
     "refuses the pair); leave dampening at 0 or set nesterov False",
     "--dampening 0.5 with --nesterov yes: Nesterov momentum takes no dampening "
     "(torch.optim.SGD refuses the pair); leave --dampening at 0 or set --nesterov no"),
    (dict(nesterov=True), "or leave nesterov False", "or leave --nesterov no"),
    (dict(weight_decay=-1.0), "weight_decay must be >= 0", "--weight-decay must be >= 0"),
    (dict(optimizer="sgd", momentum=1.5), "momentum must be below 1", "--momentum must be below 1"),
]


@pytest.mark.parametrize("settings, python, flags", CASES)
def test_each_refusal_reads_as_flags_and_python_keeps_its_words(settings, python, flags):
    with pytest.raises(ValueError) as e:
        TrainConfig(**settings)
    assert python in str(e.value)
    assert flags in as_flags(str(e.value))
    with pytest.raises(ValueError) as e:
        ForecastConfig(**settings)  # (the Python API: keywords, as before)
    assert str(e.value).startswith("ForecastConfig: ") and python in str(e.value)


def test_other_words_are_left_as_they_are():
    said = ("lookback must be an integer >= 1, got 0; Adam's step divides by sqrt(v) + eps; "
            "torch's default (0.9, 0.999)")
    assert as_flags(said) == said


@pytest.mark.parametrize("command", [["forecast", "--data", "airline"],
                                     ["lm", "train", "--corpus", "time-machine"]])
def test_the_command_line_names_the_flags(command, tmp_path, capsys):
    out = tmp_path / "o"
    assert main([*command, "--optimizer", "sgd", "--eps", "0.001", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert ("--eps 0.001 applies to --optimizer adam or adamw only, and --optimizer is sgd; "
            "set --optimizer adam or leave --eps at 1e-08") in err
    assert "eps=" not in err and not out.exists()


def test_compares_learning_rate_refusal_names_its_flag_once(tmp_path, capsys):
    # was: "--lr must be > 0 and finite (--lr; at most 3.403e+38)": its message named the
    # flag itself, and the rewrite named it again
    assert main(["compare", "--data", "airline", "--lr", "-2", "--out",
                 str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert "--lr must be > 0 and finite (at most 3.403e+38, float32's largest), got -2.0" \
        in err and err.count("--lr") == 1
