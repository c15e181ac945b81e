"""Settings given to the wrong place, and a saved model loaded onto a device this machine
lacks: each refused saying where the setting belongs or what to do instead."""

import pytest
import torch

from rnnlab.lm import CharLM


def test_a_training_setting_given_to_charlm_is_named_as_fits():
    with pytest.raises(TypeError, match=r"unknown setting 'epochs' \(a setting of fit\(\)\)"):
        CharLM(epochs=1)  # was LMConfig.__init__()'s bare 'unexpected keyword argument'
    with pytest.raises(TypeError, match=r"'hiden_size' \(did you mean hidden_size\?\)"):
        CharLM(hiden_size=8)


def test_a_model_setting_given_to_fit_is_named_as_charlms_before_training():
    lm = CharLM(hidden_size=8, num_layers=1, embedding=0)
    with pytest.raises(TypeError, match=r"CharLM.fit: unknown setting 'hidden_size' \(a "
                                        r"setting of CharLM\(\.\.\.\)\)"):
        lm.fit("abc " * 500, hidden_size=4)
    assert lm.net is None and lm.vocab is None  # nothing was trained or kept


@pytest.mark.skipif(torch.cuda.is_available(), reason="needs a machine without CUDA")
@pytest.mark.parametrize("loader", ["CharLM.load", "Forecaster.load"])
def test_loading_onto_cuda_without_it_says_to_load_on_the_cpu(loader):
    from rnnlab.train import resolve_device

    with pytest.raises(ValueError, match=rf"CUDA is not available here; load it on the CPU: "
                                         rf"{loader}\(path, device='cpu'\)"):
        resolve_device("cuda", loading=loader)
    with pytest.raises(ValueError, match=r"train on the CPU: --accelerator cpu"):
        resolve_device("cuda")  # training keeps its advice


@pytest.mark.skipif(torch.cuda.is_available(), reason="needs a machine without CUDA")
def test_a_saved_charlm_loaded_onto_cuda_without_it_is_refused_in_words(tmp_path):
    text = open_text()
    lm = CharLM(hidden_size=8, num_layers=1, embedding=0)
    lm.fit(text, epochs=1, batch_size=4, seq_len=16, progress=False)
    lm.save(tmp_path / "m")
    with pytest.raises(ValueError, match=r"load it on the CPU: CharLM.load\(path, device='cpu'\)"):
        CharLM.load(tmp_path / "m", device="cuda")
    assert CharLM.load(tmp_path / "m", device="cpu").net is not None


def open_text() -> str:
    return ("the time traveller, for so it will be convenient to speak of him, was "
            "expounding a recondite matter to us. ") * 40
