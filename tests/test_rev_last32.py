"""Review of session 32's smalls32 and e3seed32 merges: what README says of E3's two seeds
beside the trigram."""

import re

from test_article_long_runs31 import README_LONG, _e3_runs, _flat, _model


def test_readme_says_the_grus_two_seeds_fall_either_side_of_the_trigram():
    # README gave the GRU's mean, 2.8154, "beside a trigram's 2.8417": read alone, the GRU
    # beats the trigram, which docs/articles.md says these two seeds do not show (seed 0's
    # GRU is above the trigram, seed 1's below)
    runs = _e3_runs()  # (skips where no record is shipped)
    said = re.search(README_LONG + r": one seed of the GRU above it and one below, so two "
                     r"seeds do not say whether the GRU beats it\)", _flat("README.md"))
    assert said, "README.md: the E3 sentence does not say the GRU's seeds straddle the trigram"
    trigram = runs[0]["baselines"]["trigram"]["metrics"]["test_bpc"]
    gru = sorted(_model(r, "gru")["metrics"]["test_bpc"] for r in runs)
    assert gru[0] < trigram < gru[1]
