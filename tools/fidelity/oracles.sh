#!/usr/bin/env bash
# What emulations that know more than a model can (or exactly as much) reach on the held-out files of
# measure-links.sh, scored as evaluate scores a model (tools/fidelity/Oracles.java): the kernel's tbf
# simulated and fed the probes' own send times and sizes, with what the measurement drew for each file
# replayed from its data seed (the rate schedule and where it started, the cross traffic's seed).
#   varying: the schedule at its true start (sees the fade), the file's own mean rate as a constant
#            (knows the file's mean), the file's schedule from a random start (the right process, blind);
#   cross:   the file's own cross traffic (sees it), the same generator with other seeds (blind), a
#            constant share of C;
#   tbf, pfifo: the tbf at the name with bucket, limit and rate varied.
# Every kind also prints the byte queue at the name (evaluate's baseline but for the head counted whole) and
# the best constant drop rate.
#   tools/fidelity/oracles.sh KIND DATA/KIND/heldout [MAHIMAHI_DIR]   (env: DRAWS=8, VERBOSE=1: per file,
#     CROSS_LOG=DIR: cross, the frames as 'probe tbf --cross_log DIR' logged them sent, beside as drawn)
#   e.g. tools/fidelity/oracles.sh cross /work/data/links/cross/heldout
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
[ $# -ge 2 ] || { echo "usage: oracles.sh KIND HELDOUT_DIR [MAHIMAHI_DIR]" >&2; exit 2; }
"$root/lemurnn" --version >/dev/null # builds the application when its sources changed
. "$root/tools/jdk.sh"
app="$root/lemurnn-cli/target"
exec "$JAVA_HOME/bin/java" "@$root/jvm-options" ${LEMURNN_JAVA_OPTS:-} -Ddraws="${DRAWS:-8}" -Dverbose="${VERBOSE:+true}" \
  -Dcross_log="${CROSS_LOG:-}" \
  -cp "$app/lemurnn-cli.jar:$app/lib/*" "$root/tools/fidelity/Oracles.java" "$1" "$2" \
  "${3:-$root/../shared/reference/mahimahi}"
