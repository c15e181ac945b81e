"""Fast paths for :class:`~rnnlab.nn.Recurrent`: whole-sequence kernels proven equal to its loop.

``Recurrent`` hoists the input projection and then, for each step, calls
``cell.recur`` (a dozen small autograd nodes per step). For the cells torch has no
fused kernel for, a kernel here replaces that loop by one ``torch.autograd.Function``
over the whole sequence: the forward loop writes into preallocated buffers with
``addmm``/in-place ops, and the backward through time is written by hand, with
the recurrent weights' gradients as one matrix product over all steps.

* :mod:`.gru_cho`: ``GRUCell(reset_after=False)`` (the ``gru-cho`` architecture);
* :mod:`.dt`: ``DTRNNCell`` (``dt-rnn``, ``dts-rnn``, ``dot-rnn``, ``dots-rnn``,
  ``stacked-dt-rnn``);
* :mod:`.dt_triton`, :mod:`.gru_cho_triton`: both loops as one Triton kernel each way
  (CUDA; Triton's interpreter on the CPU for tests);
* :mod:`.dt_resident`, :mod:`.gru_cho_resident`: the same with each program's share of
  the recurrent weights loaded once and kept on chip (small hidden sizes);
* :mod:`.fused`: the standard cells (``RNNCell``, ``GRUCell``, ``LSTMCell``) on torch's
  own kernel (path ``"fused"``);
* :mod:`.lowp_lstm`: torch's LSTM kernel in fp32 under a CPU autocast whose dtype oneDNN
  has no LSTM for (bf16 without AVX-512, fp16 without AVX-512-FP16).

Which of them runs is decided in one place, :mod:`rnnlab.nn.dispatch` (its tables
list every kernel). Autocast and ``torch.func`` transforms run the reference loop.
Double backward is not supported by the kernels: a backward with ``create_graph=True``
raises and says to use ``impl="reference"``.

Tests: ``tests/test_fast_paths.py`` and ``tests/test_triton_paths.py`` assert each
kernel equals the reference loop in float64, forward and backward (all parameters,
inputs and initial states).
"""
