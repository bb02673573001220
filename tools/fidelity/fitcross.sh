#!/usr/bin/env bash
# The fitted link alone, without training a network (tools/fidelity/FitCross.java): fits the links of all
# of TRAIN's files but two (MeasuredData.load with LinkFitting.ALWAYS, as train --fit_links always does),
# then scores the fitted link alone (PriorOnly, DropRule.link(seed)) on HELDOUT's files with Fidelity, as
# evaluate --drop_rule link scores a model. Prints per-file drop rates and p99s and the means.
#   tools/fidelity/fitcross.sh TRAIN_DIR HELDOUT_DIR   (env: SEEDS=N: also the means over drop seeds 1..N)
#   e.g. SEEDS=8 tools/fidelity/fitcross.sh /work/data/links/cross/train /work/data/links/cross/heldout
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
[ $# -eq 2 ] || { echo "usage: fitcross.sh TRAIN_DIR HELDOUT_DIR" >&2; exit 2; }
"$root/lemurnn" --version >/dev/null # builds the application when its sources changed
. "$root/tools/jdk.sh"
app="$root/lemurnn-cli/target"
exec "$JAVA_HOME/bin/java" "@$root/jvm-options" ${LEMURNN_JAVA_OPTS:-} -Dseeds="${SEEDS:-1}" \
  -cp "$app/lemurnn-cli.jar:$app/lib/*" "$root/tools/fidelity/FitCross.java" "$1" "$2"
