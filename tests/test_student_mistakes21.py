"""A student's first mistakes with the layers, as rnnlab answers them (the teacher's sweep of
session 21): each message says what was expected, what was found and what to do. Only
what tests/test_shape_errors18.py, test_user_sweep_nn*.py and test_usage_errors18.py
leave out."""

import pytest
import torch

import rnnlab
from rnnlab.nn import (GRU, LSTM, Bidirectional, DeepOutput, GRUCell, LSTMCell, MismatchError,
                       Recurrent, ShapeError, Stacked)


@pytest.mark.parametrize("make", [lambda: LSTM(1, 8, batch_first=True), lambda: GRU(1, 8),
                                  lambda: rnnlab.build_model("gru", input_size=1, hidden_size=8)],
                         ids=["lstm-batch-first", "gru", "build_model"])
def test_a_batch_of_one_feature_series_without_its_feature_dimension_is_told_to_unsqueeze(make):
    # (B, T) = (4, 10) for input_size=1 said only "expected input with 1 features
    # (input_size), got 10; check the input's last dimension": it is read as one sequence
    with pytest.raises(ShapeError, match=r"expected input with 1 features \(input_size\), got "
                                         r"10;.*read as one unbatched sequence \(T, I\) = "
                                         r"\(4, 10\).*x\.unsqueeze\(-1\)"):
        make()(torch.randn(4, 10))
    assert make()(torch.randn(4, 10).unsqueeze(-1))[0].shape[-1] == 8


def test_recurrent_given_one_feature_series_without_features_is_not_told_to_add_a_batch():
    # Recurrent(GRUCell(1, 8), batch_first=True) on (B, T) = (4, 10) advised x.unsqueeze(0),
    # a batch of one sequence of 10 features, which input_size=1 refuses again
    rec = Recurrent(GRUCell(1, 8), batch_first=True)
    with pytest.raises(ShapeError) as err:
        rec(torch.randn(4, 10))
    assert "x.unsqueeze(-1)" in str(err.value) and "unsqueeze(0)" not in str(err.value)
    assert rec(torch.randn(4, 10).unsqueeze(-1))[0].shape == (4, 10, 8)
    with pytest.raises(ShapeError, match=r"for one unbatched sequence \(T, I\) pass "
                                         r"x\.unsqueeze\(1\)"):  # (T, I) itself: as before
        Recurrent(GRUCell(3, 8))(torch.randn(10, 3))


def test_a_2d_input_of_several_features_says_how_a_2d_input_is_read():
    with pytest.raises(ShapeError, match=r"got 4;.*read as one unbatched sequence \(T, I\) = "
                                         r"\(10, 4\); a batch has three dimensions"):
        LSTM(3, 8)(torch.randn(10, 4))


@pytest.mark.parametrize("structure", ["recurrent", "stacked", "model"])
def test_an_integer_state_of_a_states_shape_is_a_dtype_error_not_lengths(structure):
    # a (B, H) int64 state was called "lengths ... go by keyword": lengths are (B,)
    x = torch.randn(10, 4, 3)
    if structure == "recurrent":
        call = lambda: Recurrent(GRUCell(3, 8))(x, torch.zeros(4, 8, dtype=torch.long))  # noqa: E731
    elif structure == "stacked":
        stack = Stacked([Recurrent(GRUCell(3, 8)), Recurrent(GRUCell(8, 8))])
        call = lambda: stack(x, torch.zeros(2, 4, 8, dtype=torch.long))  # noqa: E731
    else:
        model = rnnlab.build_model("dt-rnn", input_size=3, hidden_size=8)
        call = lambda: model(x.transpose(0, 1), torch.zeros(1, 4, 8, dtype=torch.long))  # noqa: E731
    with pytest.raises(MismatchError, match=r"the initial state is int64 on cpu but the "
                                            r"parameters are float32 on cpu; pass "
                                            r"floating-point values: h\.to\(torch\.float32\)"):
        call()


def test_lengths_or_a_padding_mask_given_as_the_state_still_say_lengths_go_by_keyword():
    rec, x = Recurrent(GRUCell(3, 8)), torch.randn(10, 4, 3)
    for wrong in (torch.tensor([10, 9, 8, 7]), torch.ones(4, 10, dtype=torch.bool)):
        with pytest.raises(ShapeError, match=r"as a tensor of (int64|bool).*lengths go by "
                                             r"keyword"):
            rec(x, wrong)


@pytest.mark.parametrize("dtype, fix", [(torch.long, r"pass floating-point values: "
                                                     r"x\.to\(torch\.float32\)"),
                                        (torch.float64, r"convert one to the other")])
def test_deep_output_names_an_input_of_another_dtype(dtype, fix):
    # torch's "mat1 and mat2 must have the same dtype, but got Long and Float"
    with pytest.raises(MismatchError, match=rf"DeepOutput: the input is "
                                            rf"{str(dtype)[6:]} on cpu but .*; {fix}"):
        DeepOutput(4)(torch.ones(2, 4, dtype=dtype))
    assert DeepOutput(4).double()(torch.ones(2, 4, dtype=torch.float64)).dtype == torch.float64


def test_a_state_of_the_wrong_structure_says_what_to_pass():
    x = torch.randn(4, 3)
    with pytest.raises(ShapeError, match=r"got one tensor of shape \(4, 8\); pass the pair "
                                         r"\(h, c\), e\.g\. \(h, torch\.zeros_like\(h\)\)"):
        LSTMCell(3, 8)(x, torch.zeros(4, 8))
    with pytest.raises(ShapeError, match=r"got a tuple of 1 \(one tensor of shape \(4, 8\)\); "
                                         r"pass the tensor itself, h, not \(h,\)"):
        GRUCell(3, 8)(x, (torch.zeros(4, 8),))
    with pytest.raises(ShapeError, match=r"got a tuple of 2 \(NoneType, NoneType\); pass None "
                                         r"to start the whole state from zeros"):
        LSTMCell(3, 8)(x, (None, None))
    h = torch.zeros(4, 8)  # what the messages say to pass, taken
    assert LSTMCell(3, 8)(x, (h, torch.zeros_like(h)))[0].shape == (4, 8)
    assert GRUCell(3, 8)(x, h).shape == (4, 8)


def test_a_bidirectional_layers_int_state_is_not_called_lengths():
    bi = Bidirectional(Recurrent(GRUCell(3, 8)), Recurrent(GRUCell(3, 8), reverse=True))
    with pytest.raises(ShapeError, match=r"one state per direction"):
        bi(torch.randn(10, 4, 3), torch.zeros(4, 8, dtype=torch.long))


def _swapped(read: str, other: str) -> str:
    return (rf"the input is read as \{read[:-1]}\) \(batch_first=(True|False)\): 10 sequences "
            rf"of 4 steps; if it is \{other[:-1]}\), pass x\.transpose\(0, 1\)")


@pytest.mark.parametrize("make, x, state, read", [
    (lambda: GRU(3, 8), torch.randn(4, 10, 3), torch.zeros(1, 4, 8), "(T, B, I)"),
    (lambda: rnnlab.build_model("gru", input_size=3, hidden_size=8), torch.randn(10, 4, 3),
     torch.zeros(1, 4, 8), "(B, T, I)"),
    (lambda: Recurrent(GRUCell(3, 8), batch_first=True), torch.randn(10, 4, 3),
     torch.zeros(4, 8), "(B, T, I)"),
    (lambda: Recurrent(LSTMCell(3, 8)), torch.randn(4, 10, 3),
     (torch.zeros(4, 8), torch.zeros(4, 8)), "(T, B, I)"),
    (lambda: Stacked([Recurrent(GRUCell(3, 8)), Recurrent(GRUCell(8, 8))]),
     torch.randn(4, 10, 3), [torch.zeros(4, 8), torch.zeros(4, 8)], "(T, B, I)"),
], ids=["gru", "build_model", "recurrent-batch-first", "recurrent-lstm", "stacked"])
def test_an_input_with_time_and_batch_swapped_is_told_so_by_its_states_batch(make, x, state,
                                                                              read):
    # the state's batch is the input's steps: the message said only "expected state of
    # shape (1, 10, 8) ..., got (1, 4, 8)", 10 being the steps read as the batch
    other = "(B, T, I)" if read == "(T, B, I)" else "(T, B, I)"
    with pytest.raises(ShapeError, match=_swapped(read, other)):
        make()(x, state)
    assert make()(x.transpose(0, 1), state)[0].shape[-1] == 8  # what it says to do, done


def test_a_state_of_another_batch_than_the_steps_is_not_called_swapped():
    with pytest.raises(ShapeError) as err:
        GRU(3, 8)(torch.randn(10, 4, 3), torch.zeros(1, 5, 8))
    assert "transpose" not in str(err.value)


@pytest.mark.parametrize("cell", [GRUCell(3, 8), LSTMCell(3, 8)], ids=["gru", "lstm"])
def test_a_cell_called_on_a_sequence_says_how_to_run_one(cell):
    # it said only "expected input of shape (B, 3) or (3,), got (10, 4, 3)"
    x = torch.randn(10, 4, 3)
    with pytest.raises(ShapeError, match=r"got \(10, 4, 3\); a cell computes one step: run a "
                                         r"sequence \(T, B, I\) with Recurrent\(cell\)"):
        cell(x)
    assert Recurrent(cell)(x)[0].shape == (10, 4, 8)  # what it says to do, done
    with pytest.raises(ShapeError) as err:  # no sequence advice for a 4-D input
        cell(torch.randn(2, 10, 4, 3))
    assert "Recurrent" not in str(err.value)


def test_an_lstm_given_h_alone_says_what_pair_to_pass():
    x, h = torch.randn(5, 2, 3), torch.zeros(1, 2, 4)
    with pytest.raises(ShapeError, match=r"got one tensor of shape \(1, 2, 4\); pass \(h_0, "
                                         r"torch\.zeros_like\(h_0\)\) for a cell state of zeros"):
        LSTM(3, 4)(x, h)
    assert LSTM(3, 4)(x, (h, torch.zeros_like(h)))[0].shape == (5, 2, 4)
    with pytest.raises(ShapeError) as err:  # with proj_size, h and c differ: no zeros_like(h)
        LSTM(3, 4, proj_size=2)(x, torch.zeros(1, 2, 2))
    assert "zeros_like" not in str(err.value)


def test_a_layers_batch_by_features_state_given_to_a_drop_in_is_told_to_add_the_layer_row():
    # Recurrent's final (h, c), (B, H) each, into LSTM: "pass h_0.unsqueeze(1) for a batch of
    # one", which made it (4, 1, 8); the missing dimension is torch's first, the layers'
    x = torch.randn(10, 4, 3)
    _, (h, c) = Recurrent(LSTMCell(3, 8))(x)
    with pytest.raises(ShapeError, match=r"got \(4, 8\); a \(batch, features\) state lacks "
                                         r"torch\.nn's first dimension.*pass h_0\.unsqueeze\(0\)"):
        LSTM(3, 8)(x, (h, c))
    assert LSTM(3, 8)(x, (h.unsqueeze(0), c.unsqueeze(0)))[0].shape == (10, 4, 8)
    with pytest.raises(ShapeError, match=r"one layer's: stack one per layer and direction into "
                                         r"2 rows"):
        GRU(3, 8, num_layers=2)(x, h)
    with pytest.raises(ShapeError, match=r"pass h_0\.unsqueeze\(1\) for a batch of one"):
        GRU(3, 8, num_layers=2)(torch.randn(10, 1, 3), torch.zeros(2, 8))  # (L, H): as before


def test_a_several_layer_torch_state_given_to_one_layer_says_to_pick_one():
    # (2, B, H) from a 2-layer torch.nn.GRU into Recurrent(GRUCell): "one row per sequence of
    # the batch, with the number of features above", which it has
    h = torch.zeros(2, 4, 8)
    with pytest.raises(ShapeError, match=r"got \(2, 4, 8\); .*torch\.nn's layout, \(2, B, H\)"
                                         r".*pass one, h_0\[k\]"):
        Recurrent(GRUCell(3, 8))(torch.randn(10, 4, 3), h)
    assert Recurrent(GRUCell(3, 8))(torch.randn(10, 4, 3), h[1])[1].shape == (4, 8)


def test_a_stack_of_lstms_given_one_tensor_says_one_pair_per_layer():
    # each layer was given a (B, H) slice, and the cell asked for "the pair (h, c)"
    stack = Stacked([Recurrent(LSTMCell(3, 8)), Recurrent(LSTMCell(8, 8))])
    x, h = torch.randn(10, 4, 3), torch.zeros(2, 4, 8)
    with pytest.raises(ShapeError, match=r"^Stacked: expected one state per layer, an LSTM's "
                                         r"pair \(h, c\) each; got one tensor of shape "
                                         r"\(2, 4, 8\): pass \[\(h_0\[k\], c_0\[k\]\) for k in "
                                         r"range\(2\)\]"):
        stack(x, h)
    c = torch.zeros_like(h)
    assert stack(x, [(h[k], c[k]) for k in range(2)])[0].shape == (10, 4, 8)
    gru_stack = Stacked([Recurrent(GRUCell(3, 8)), Recurrent(GRUCell(8, 8))])
    assert gru_stack(x, h)[0].shape == (10, 4, 8)  # a one-tensor state: (layers, B, H) taken
