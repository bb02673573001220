#!/usr/bin/env bash
# A sweep of the --budget_minutes recipe's choices per kind of link (issue 19's report): for each
# KIND, the 2 x 2 grid of hidden size (16, the recipe's, or 32) and the backlog input (B, the
# recipe's, capped at the queue; or b, uncapped), each trial a budget of MINUTES trained on
# LINKS/KIND/train and ranked on the separate held-out files LINKS/KIND/heldout. Trial t001 is the
# recipe's defaults. One trial at a time (--parallel 1), one kind after the other; each kind's
# sweep goes to OUT/KIND (run again, it resumes: only the trials not finished run).
#   tools/sweep/recipe.sh LINKS OUT [MINUTES] [KIND...]
#   e.g. nice -n 5 tools/sweep/recipe.sh /work/data/links /work/sweeps/recipe 2 tbf pfifo cross varying
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
links=${1:?usage: recipe.sh LINKS OUT [MINUTES] [KIND...]}; out=${2:?usage: recipe.sh LINKS OUT [MINUTES] [KIND...]}
minutes=${3:-2}
shift $(($# < 3 ? $# : 3))
kinds=("$@")
[ ${#kinds[@]} -gt 0 ] || kinds=(tbf pfifo cross varying)
links=$(cd "$links" && pwd)
mkdir -p "$out"; out=$(cd "$out" && pwd)
for kind in "${kinds[@]}"; do
  spec="$out/$kind.json"
  cat > "$spec" <<SPEC
{"data": {"dag_data": ["$links/$kind/train"]},
 "heldout": ["$links/$kind/heldout"],
 "base": {"budget_minutes": $minutes, "data_seed": 1, "torch_seed": 1},
 "grid": {"hidden_size": [16, 32], "inputs": ["Bscqix", "bscqix"]}}
SPEC
  resume=()
  [ -f "$out/$kind/spec.json" ] && resume=(--resume)
  echo "== $kind: $(date -u +%H:%M:%S) UTC, uptime:$(uptime | sed 's/.*load average//')"
  "$root/lemurnn" sweep --spec "$spec" --out "$out/$kind" --parallel 1 "${resume[@]}"
done
echo "== done: $(date -u +%H:%M:%S) UTC, uptime:$(uptime | sed 's/.*load average//')"
