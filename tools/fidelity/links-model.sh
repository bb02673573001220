#!/usr/bin/env bash
# Held-out fidelity of the budget recipe on the measured link kinds of issue 16 (plain tbf, tbf with
# a pfifo child, cross traffic, varying rate), with the fitted prior (the default) and with the
# names trusted (--trust_names, the recipe before it), beside the ideal queue told the names' C and
# Q. Data: DATA/<kind>/{train,heldout}/ as the measure engineer's probes wrote them.
#   tools/fidelity/links-model.sh DATA OUT [BUDGET_MINUTES] [TORCH_SEED] [KINDS...]
# Prints, per kind and variant, evaluate's mean line (drop-rate error in points, p99 error, W1)
# beside the ideal queue's; the tables and JSON are under OUT.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
data=${1:?DATA}; out=${2:?OUT}; minutes=${3:-12}; seed=${4:-1}; shift $(( $# < 4 ? $# : 4 ))
kinds=("$@"); [ ${#kinds[@]} -gt 0 ] || kinds=(tbf pfifo cross varying)
mkdir -p "$out"
for kind in "${kinds[@]}"; do
  for variant in fitted named; do
    flags=(); [ "$variant" = fitted ] && flags=(--fit_links)
    runs="$out/$kind-$variant-s$seed"
    "$root/lemurnn" train --dag_data "$data/$kind/train" --budget_minutes "$minutes" --data_seed 1 \
      --torch_seed "$seed" "${flags[@]}" --out "$runs" > "$runs.train.log" 2>&1
    model=$(ls -d "$runs"/budget-*/ | tail -1)model-best.safetensors
    "$root/lemurnn" evaluate -m "$model" --dag_data "$data/$kind/heldout" --json "$runs.json" \
      > "$runs.eval.txt" 2>&1
    echo "$kind $variant seed $seed: $(grep '^mean of' "$runs.eval.txt")"
  done
done
