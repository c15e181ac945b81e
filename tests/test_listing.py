from rnnlab.listing import first_few


def test_first_few_names_the_first_ones_and_counts_the_rest():
    assert first_few(["a", "b"], 3) == "a, b"
    assert first_few(list("abcd"), 3) == "a, b, c and 1 more"
    assert first_few(["x"], 10, show=repr) == "'x'"
    assert first_few([], 3) == ""


def test_first_few_counts_from_the_total_when_given_only_the_first_ones():
    assert first_few(["1", "2"], 8, total=5) == "1, 2 and 3 more"
    assert first_few(list("abcdef"), 2, total=6) == "a, b and 4 more"
