#!/usr/bin/env bash
# Held-out fidelity on the four kinds of kernel link of issue 16 (measured by measure-links.sh): per
# kind, trains with --budget_minutes on DATA/<kind>/train and evaluates the model on DATA/<kind>/heldout
# beside the ideal queue told the name's C and Q, then prints one table of the mean figures: drop-rate
# error (points), p99 error (%), latency W1 (ms), the W1 of the 100 ms window means (ms), the mean
# loss-burst length (true, model, ideal; packets) and the latency autocorrelation at lags 10 and 100
# (true, model, ideal). With MODEL=FILE it evaluates that model instead of training one per kind;
# EVALUATE_ARGS are added to evaluate's (e.g. "--overhead_bytes 24" for files generate wrote), TRAIN_ARGS
# to train's (e.g. "--fit_links"); with PRIOR_ONLY=1 each model is evaluated a second time with
# --prior_only (its fitted link alone, without the network: rows "prior").
#   tools/fidelity/links.sh DATA OUT [BUDGET_MINUTES] [KIND ...]     (default: 8; tbf varying cross pfifo)
#   e.g. tools/fidelity/links.sh /work/data/links fidelity-links 8
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
data=${1:?usage: links.sh DATA OUT [BUDGET_MINUTES] [KIND ...]}; out=${2:?usage: links.sh DATA OUT [BUDGET_MINUTES] [KIND ...]}
minutes=${3:-8}; shift $(( $# < 3 ? $# : 3 ))
kinds=${*:-tbf varying cross pfifo}
command -v jq >/dev/null || { echo "links.sh needs jq" >&2; exit 1; }
mkdir -p "$out"

for kind in $kinds; do
  [ -d "$data/$kind/train" ] && [ -d "$data/$kind/heldout" ] || { echo "no $data/$kind/{train,heldout}" >&2; exit 1; }
  model=${MODEL:-}
  if [ -z "$model" ]; then
    echo "== $kind: train --budget_minutes $minutes" >&2
    "$root/lemurnn" train --dag_data "$data/$kind/train" --budget_minutes "$minutes" --data_seed 1 --torch_seed 1 \
      ${TRAIN_ARGS:-} --out "$out/$kind/runs" | grep -v '^epoch ' >&2
    model=$(ls -d "$out/$kind"/runs/budget-*/ | tail -1)model-best.safetensors
  fi
  echo "== $kind: evaluate $model on $data/$kind/heldout" >&2
  "$root/lemurnn" evaluate -m "$model" --dag_data "$data/$kind/heldout" --json "$out/$kind/evaluate.json" \
    --plot "$out/$kind/plots" ${EVALUATE_ARGS:-} > "$out/$kind/evaluate.txt"
  if [ -n "${PRIOR_ONLY:-}" ]; then
    "$root/lemurnn" evaluate -m "$model" --dag_data "$data/$kind/heldout" --prior_only \
      --json "$out/$kind/evaluate-prior.json" ${EVALUATE_ARGS:-} > "$out/$kind/evaluate-prior.txt"
  fi
done

printf '%-8s %-6s %8s %8s %8s %8s %6s %6s %6s %6s %7s %7s\n' kind link "drop|err" "p99err%" "W1 ms" "winW1" \
  "burst" "true" "acf10" "true" "acf100" "true"
for kind in $kinds; do
  prior=null; [ -f "$out/$kind/evaluate-prior.json" ] && [ -n "${PRIOR_ONLY:-}" ] && prior=$(cat "$out/$kind/evaluate-prior.json")
  jq -r --arg kind "$kind" --argjson prior "$prior" '
    def f(x; d): if x == null then "-" else (x * pow(10; d) | round / pow(10; d) | tostring) end;
    .mean as $m
    | [["model", $m.model], ["ideal", $m.baseline], (if $prior == null then empty else ["prior", $prior.mean.model] end)][]
    | . as [$name, $e]
    | [$kind, $name,
       f($e.errors.drop_error_points; 2), f($e.errors.latency_p99_error_percent; 1), f($e.errors.latency_w1_ms; 3),
       f($e.temporal.window_mean_w1_ms; 3),
       f($e.figures.mean_burst_packets; 2), f($m.true.mean_burst_packets; 2),
       f($e.temporal.latency_acf10; 3), f($e.temporal.latency_acf10_true; 3),
       f($e.temporal.latency_acf100; 3), f($e.temporal.latency_acf100_true; 3)]
    | @tsv' "$out/$kind/evaluate.json" \
  | awk -F'\t' '{printf "%-8s %-6s %8s %8s %8s %8s %6s %6s %6s %6s %7s %7s\n", $1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12}'
done
