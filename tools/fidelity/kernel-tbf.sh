#!/usr/bin/env bash
# Held-out fidelity on the real kernel link (issue 13): splits ../shared/reference/kernel-tbf by a
# seeded permutation into 36 training and 12 held-out files, trains with --budget_minutes (and, with
# --seed-recipe, the original's recipe for measured traces, scaled down), and evaluates each model on
# the 12 held-out files beside the ideal queue. Prints the held-out files and the evaluate tables.
#   tools/fidelity/kernel-tbf.sh [OUT_DIR] [BUDGET_MINUTES] [--seed-recipe]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
out=${1:-fidelity-kernel-tbf}; minutes=${2:-12}; seedRecipe=${3:-}
data="$root/../shared/reference/kernel-tbf"
[ -d "$data" ] || { echo "no $data: this needs the shared reference data beside the repository" >&2; exit 1; }
mkdir -p "$out/train" "$out/held-out"
# the permutation: files ordered by sha256 of "13:<name>"
for f in "$data"/*.csv; do n=$(basename "$f"); echo "$(printf '13:%s' "$n" | sha256sum | cut -c1-16) $n"; done \
  | sort | awk '{print $2}' > "$out/order.txt"
head -36 "$out/order.txt" | while read -r n; do ln -sf "$data/$n" "$out/train/$n"; done
tail -12 "$out/order.txt" | while read -r n; do ln -sf "$data/$n" "$out/held-out/$n"; done
echo "held-out files:"; tail -12 "$out/order.txt"

"$root/lemurnn" train --dag_data "$out/train" --budget_minutes "$minutes" --data_seed 1 --torch_seed 1 --out "$out/runs" \
  | grep -v '^epoch '
model=$(ls -d "$out"/runs/budget-*/ | tail -1)model-best.safetensors
"$root/lemurnn" evaluate -m "$model" --dag_data "$out/held-out" --json "$out/budget.json" --plot "$out/plots"

if [ "$seedRecipe" = --seed-recipe ]; then
  # the original's README for measured traces (2x32 LSTM here, not 4x64; fewer epochs), its argmax drops
  "$root/lemurnn" train --dag_data "$out/train" -l 2 -s 32 --lstm --multiloader --earthmover --drop_masking \
    --seq_len 1024 -e 60 --data_seed 1 --torch_seed 1 --out "$out/seed-runs" | grep -v '^epoch '
  run=$(ls -d "$out"/seed-runs/model-*/ | tail -1)
  best=$(ls "$run"/model-[0-9]*.safetensors | sed 's/.*model-\([0-9]*\).safetensors/\1/' | sort -n | tail -1)
  "$root/lemurnn" evaluate -m "$run/model-$best.safetensors" --dag_data "$out/held-out" --drop_rule argmax \
    --json "$out/seed-recipe.json"
fi
