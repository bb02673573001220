#!/usr/bin/env bash
# Spark's per-trial overhead against a plain loop of train commands (issue 19): the same N trials
# (train -e EPOCHS with learning rates 0.001 x 1..N on the traces under DATA, then evaluate --run on
# the files each run held out), once as `lemurnn sweep --parallel 1` (one JVM, Spark's local mode)
# and once as a bash loop of `lemurnn train` and `lemurnn evaluate` commands (two JVMs per trial),
# one at a time both. Prints both wall times, the sweep's own breakdown (wall time against the
# trials' own seconds) and the difference per trial.
#   tools/sweep/overhead.sh DATA OUT [N] [EPOCHS]     e.g. tools/sweep/overhead.sh testdata/kernel-tbf/train overhead 4 2
set -euo pipefail
command -v jq >/dev/null || { echo "overhead.sh needs jq" >&2; exit 1; }
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
data=${1:?usage: overhead.sh DATA OUT [N] [EPOCHS]}; out=${2:?usage: overhead.sh DATA OUT [N] [EPOCHS]}
n=${3:-4}; epochs=${4:-2}
data=$(cd "$data" && pwd)
mkdir -p "$out"; out=$(cd "$out" && pwd)
rates=$(seq 1 "$n" | awk '{printf "%s%s", (NR > 1 ? ", " : ""), $1 / 1000}')
base=(--num_epochs "$epochs" --hidden_size 8 --seq_len 256 --data_seed 1 --torch_seed 1 --threads 1)
cat > "$out/spec.json" <<SPEC
{"data": {"dag_data": ["$data"]},
 "base": {"num_epochs": $epochs, "hidden_size": 8, "seq_len": 256, "data_seed": 1, "torch_seed": 1, "threads": 1},
 "grid": {"learning_rate": [$rates]}}
SPEC
"$root/lemurnn" --version >/dev/null # build first, outside the timing
"$root/lemurnn" sweep --help >/dev/null
rm -rf "$out/sweep" "$out/loop"
start=$(date +%s.%N)
"$root/lemurnn" sweep --spec "$out/spec.json" --out "$out/sweep" --parallel 1 > "$out/sweep.txt"
sweep_wall=$(echo "$(date +%s.%N) - $start" | bc)
trial_seconds=$(jq '[.trials[].seconds] | add' "$out/sweep/results.json")
start=$(date +%s.%N)
for k in $(seq 1 "$n"); do
  rate=$(echo "$k / 1000" | bc -l)
  "$root/lemurnn" train --dag_data "$data" "${base[@]}" --learning_rate "$rate" --out "$out/loop/$k" > "$out/loop-$k.txt"
  "$root/lemurnn" evaluate --run "$(ls -d "$out/loop/$k"/*/ | head -n 1)" --json "$out/loop/$k/evaluation.json" >> "$out/loop-$k.txt" 2>&1
done
loop_wall=$(echo "$(date +%s.%N) - $start" | bc)
printf 'trials %d (train -e %d, then evaluate --run), one at a time\n' "$n" "$epochs"
printf 'sweep (one JVM, Spark local mode): %.1f s wall, the trials their own %.1f s: %.1f s besides them\n' \
  "$sweep_wall" "$trial_seconds" "$(echo "$sweep_wall - $trial_seconds" | bc)"
printf 'loop of train + evaluate commands: %.1f s wall\n' "$loop_wall"
printf 'sweep - loop: %.2f s per trial\n' "$(echo "($sweep_wall - $loop_wall) / $n" | bc -l)"
