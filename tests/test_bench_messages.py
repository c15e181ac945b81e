"""rnnlab bench's messages: an error said with its prefix once ("rnnlab bench: error:
bench: ..." said it twice), and skip lines whole (they were cut at 200 characters,
mid-word: "...the fastest path that ru")."""

import pytest

from rnnlab.bench.measure import cut_at_word, describe_error
from rnnlab.cli import main


def test_a_bench_error_has_its_prefix_once(capsys):
    assert main(["bench", "--device", "tpu"]) == 2
    err = capsys.readouterr().err
    assert "rnnlab bench: error: unknown --device 'tpu'" in err, err
    assert "bench: bench:" not in err and "error: bench:" not in err


def test_a_skip_line_says_its_whole_reason(monkeypatch):
    """The reason a path has no rows (here: Triton without CUDA, said in 205 characters)."""
    import torch

    from rnnlab.bench import suite

    why = ("impl='triton' cannot run GRUCell here: Triton kernels need a CUDA device (got "
           "cpu; TRITON_INTERPRET=1 runs them on CPU, slowly, for testing). Use impl='auto' "
           "for the fastest path that runs here.")

    def refuse(*_):
        raise RuntimeError(why)

    monkeypatch.setattr(suite, "describe_path", refuse)
    said = []
    suite._fast_impls(torch.nn.GRU(1, 2), torch.float32, torch.device("cpu"), ["triton"],
                      on_skip=lambda impl, key, msg: said.append(msg))
    assert said == [f"no triton rows: RuntimeError: {why}"]


def test_a_table_cell_is_cut_at_a_word_with_an_ellipsis():
    text = "word " * 60  # 300 characters
    cut = cut_at_word(text.strip(), 200)
    assert len(cut) <= 200 and cut.endswith("word…") and "wor…" not in cut
    assert cut_at_word("short", 200) == "short"
    assert cut_at_word("x" * 300, 10) == "x" * 9 + "…"  # one long word: cut inside it
    said = describe_error(RuntimeError("a | b " + "long words " * 40))
    assert len(said) <= 200 and said.endswith("words…") and "|" not in said
    assert describe_error(RuntimeError("y " * 150), None).endswith("y")


@pytest.mark.parametrize("limit", [5, 12, 40])
def test_cut_never_exceeds_its_limit(limit):
    for text in ("a b c d e f g h i j k l m n o p q r s t u v w x y z " * 3, "ab cdefghij " * 9):
        assert len(cut_at_word(text, limit)) <= limit


@pytest.mark.parametrize("option", [["--depth", "3"], ["--paths", "fast"]])
def test_an_option_no_benched_model_reads_is_a_usage_error(option, capsys):
    # README: a usage error exits with 2, whichever check refuses it; `rnnlab forecast` and
    # `rnnlab compare` refuse --depth for an LSTM so, but `rnnlab bench` exited with 1
    assert main(["bench", "--quick", "--models", "lstm", *option]) == 2
    assert f"{option[0]} {option[1]} is read by" in capsys.readouterr().err
