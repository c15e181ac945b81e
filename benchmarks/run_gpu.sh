#!/usr/bin/env bash
# Everything issue 18 needs from a CUDA machine (H100/H200), in ONE command of at most
# 8 minutes, writing 8 files into OUT_DIR:
#
#   bash benchmarks/run_gpu.sh OUT_DIR
#
#   env.txt        GPU, driver, torch/Triton/cuDNN versions, commit, the commands below
#   tests.txt      the GPU tests' summaries, two processes: first the variational dropout
#                  of session 31 (input_dropout / recurrent_dropout: masks on the device
#                  with no host sync, training = the float64 step equations given the
#                  masks, eval = cuDNN, kernel impls refused, seeds, bf16/fp16 autocast;
#                  a few seconds, no Triton compile), the dispatch (auto ->
#                  triton-split on this GPU, every custom architecture) and the Triton
#                  paths against the loop (triton-resident and the odd shapes included),
#                  then, apart, the CUDA graphs (capture equals eager, the whole training
#                  step captured = eager, its gradient norms with clipping and without): a device-side assert poisons its process, and
#                  in the first H200 run one graph failure failed every later test
#   bench.md       first, the latency regime: C3 and C0, dt-rnn d4 and gru-cho on
#                  triton-resident (weights on chip) and triton-split against cuDNN LSTM,
#                  eager only;
#   bench.json/.md then C4, C0, C3, C1: torch.nn (cuDNN) anchors, rnnlab.nn, build_model, the
#                  composed stacks, gru-cho and dt-rnn d4 on reference/fast/triton/
#                  triton-split/triton-resident, each fast path also in a CUDA graph; every
#                  (workload, model) in its own process (--isolate): a crash costs only
#                  its own rows, reported with the reason
#   c2.json/.md    C2 (T=1024): every custom architecture against its reference loop
#                  and cuDNN LSTM, per-row time cap, few repeats, no graph rows
#   lengths.json/.md  variable lengths at C1 and C3: torch.nn packed (as its users run
#                  it) against rnnlab (padded at full length on CUDA)
#
# Each stage is cut off by `timeout` (75 + 40 + 50 + 160 + 95 + 40 s); the bench rewrites its
# JSON after every row, so a stage cut short keeps what it measured; the tests get SIGINT,
# so pytest still prints which passed and failed (and SIGKILL 10 s later). Through the device tool:
# OUT_DIR=$OUT. Dry run on a CPU machine (tiny: C0 only, few rows, the CPU tests; the
# latency stage times the reference loop there, as the Triton paths cannot run):
#   RNNLAB_GPU_DRYRUN=1 bash benchmarks/run_gpu.sh /tmp/gpu-dry
set -uo pipefail
PY=${PYTHON:-python3}
export PYTHONPATH=${PYTHONPATH:-src} PYTHONUNBUFFERED=1
out=${1:?usage: bash benchmarks/run_gpu.sh OUT_DIR}
mkdir -p "$out"
bench="$PY -m rnnlab.bench"
if [ -n "${RNNLAB_GPU_DRYRUN:-}" ]; then  # a CPU check that the script runs end to end
    dev=cpu; main_cfg=C0; c2_cfg=C0; len_cfg=C0; models=lstm,dt-rnn; c2_models=gru-cho
    reps="--repeats 1 --warmup 1 --threads 1"; c2_reps=$reps; t_tests=300; t_main=300
    t_c2=200; t_len=200; res_cfg=C0; t_res=100; t_graphs=200; res_ref=""
    tests="tests/test_dropout_cuda31.py tests/test_dropout_cuda_kernels31.py"
    tests="$tests tests/test_dispatch.py tests/test_triton_resident.py"
else
    dev=cuda; main_cfg=C4,C0,C3,C1; c2_cfg=C2; len_cfg=C1,C3; models=lstm,gru,gru-cho,dt-rnn
    c2_models=dt-rnn,gru-cho,dts-rnn,dot-rnn,stacked-dt-rnn
    reps="--repeats 8 --warmup 2"; c2_reps="--repeats 3 --warmup 2"
    t_tests=75; t_graphs=40; t_main=160; t_c2=95; t_len=40; res_cfg=C3,C0; t_res=50
    res_ref=--no-reference
    tests="tests/test_dropout_cuda31.py tests/test_dropout_cuda_kernels31.py"
    tests="$tests tests/test_dispatch.py tests/test_triton_paths.py"
    tests="$tests tests/test_triton_resident.py tests/test_triton_edge_shapes.py"
fi

{
    date -u +"%Y-%m-%dT%H:%MZ"
    nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>/dev/null \
        || echo "no nvidia-smi"
    $PY -c "import torch; print('torch', torch.__version__, 'cuda', torch.version.cuda, \
'cudnn', torch.backends.cudnn.version(), 'device', torch.cuda.get_device_name() \
if torch.cuda.is_available() else 'cpu')"
    $PY -c "import triton; print('triton', triton.__version__)" 2>/dev/null || echo "no triton"
    git rev-parse --short HEAD 2>/dev/null || echo "no git"
    echo "tests: pytest -q $tests; then pytest -q tests/test_cuda_graphs.py"
    echo "resident: $bench --device $dev --configs $res_cfg --models dt-rnn,gru-cho \
--paths triton-resident,triton-split --no-graphs $res_ref ..."
    echo "bench: $bench --device $dev --configs $main_cfg --models $models --isolate ..."
} > "$out/env.txt" 2>&1

# 1. the GPU tests: the dropout ones first (new, never run on a GPU before), dispatch
#    and Triton paths, then the CUDA graphs in a process of their
#    own (a device-side assert there cannot fail the others); a hang is cut off by SIGINT,
#    after which pytest names what ran (-rfE: each failure and error with its message)
pytests="$PY -m pytest -q -rfE -p no:cacheprovider -p no:randomly"
timeout -s INT -k 10 "$t_tests" $pytests $tests 2>&1 | tail -25 > "$out/tests.txt"
echo "tests: status ${PIPESTATUS[0]}" >> "$out/tests.txt"
timeout -s INT -k 10 "$t_graphs" $pytests tests/test_cuda_graphs.py 2>&1 | tail -25 \
    >> "$out/tests.txt"
echo "graph tests: status ${PIPESTATUS[0]}" >> "$out/tests.txt"

# 2a. the latency regime first (issue 18: dt-rnn d4 at <= 2x cuDNN LSTM on C3): the
#    resident-weights kernel against triton-split and the cuDNN anchor, eager, no
#    reference loop; one process; its table heads bench.md (no file of its own). (The dry
#    run keeps the reference loop: with no Triton on a CPU, the bench refuses
#    --no-reference with Triton paths alone, exit 2.)
timeout "$t_res" $bench --device "$dev" --configs "$res_cfg" --models dt-rnn,gru-cho $reps \
    --paths triton-resident,triton-split --no-graphs $res_ref --row-seconds 3 \
    > "$out/bench.md" 2>&1
echo "resident: status $?" >> "$out/env.txt"

# 2b. C4 (the crash of the first H200 run) first, then C0, C3, C1; each (workload, model)
#    isolated; rows capped at 3 s of timing
timeout "$t_main" $bench --device "$dev" --configs "$main_cfg" --models "$models" $reps \
    --isolate --process-seconds 45 --row-seconds 3 --json "$out/bench.json" --overwrite \
    >> "$out/bench.md" 2>&1
echo "bench: status $?" >> "$out/env.txt"

# 3. C2 (T=1024): every custom architecture on the Triton-split path (what auto runs on
#    CUDA) and on torch ops, against its reference loop and cuDNN LSTM (measured again in
#    each process); no CUDA-graph rows (they would not fit the 8 minutes); the reference
#    loop gets few runs, a row over 10 s none
timeout "$t_c2" $bench --device "$dev" --configs "$c2_cfg" --models "$c2_models" $c2_reps \
    --paths fast,triton-split --no-graphs --isolate --process-seconds 30 --row-seconds 10 \
    --json "$out/c2.json" --overwrite > "$out/c2.md" 2>&1
echo "c2: status $?" >> "$out/env.txt"

# 4. variable lengths: torch.nn packed against rnnlab (no graphs: packing reads lengths)
timeout "$t_len" $bench --device "$dev" --configs "$len_cfg" --models lstm,gru,bilstm \
    --lengths variable --no-graphs $reps --row-seconds 3 --json "$out/lengths.json" --overwrite \
    > "$out/lengths.md" 2>&1
echo "lengths: status $?" >> "$out/env.txt"
ls "$out"
