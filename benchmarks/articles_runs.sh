# Sourced by benchmarks/articles.sh, benchmarks/articles_second_cpu.sh,
# benchmarks/articles_long.sh and benchmarks/recurrent_dropout_lm.sh (set out, the records'
# folder, and optionally run_options, options every run gets, before sourcing):
# run NAME ARGS... runs `rnnlab ARGS...` into "$out/NAME" and keeps its run record
# (config.json, results.json, report.md) without the plots; e3_clip_checks runs E3's
# one-epoch check at the article's clipping threshold, at 1.0 and unclipped (as its code
# ran), for the LSTM and the GRU.
export PYTHONPATH=${PYTHONPATH:-src}  # or pip install -e .
mkdir -p "$out"
run() {
  name=$1; shift
  # shellcheck disable=SC2086  # run_options is split into options on purpose
  "${PYTHON:-python}" -m rnnlab "$@" ${run_options:-} --no-progress --overwrite \
      --out "$out/$name"
  rm -f "$out/$name"/*.png "$out/$name"/report.html
}
e3_clip_checks() {
  for model in lstm gru; do
    for clip in 0.01 1.0 none; do
      run "e3-$model-clip$clip" compare --recipe e3-char-lm --epochs 1 --models "$model" \
          --clip-norm "$clip"
    done
  done
}
