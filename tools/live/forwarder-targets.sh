#!/usr/bin/env bash
# Issue 22's forwarder targets: bench-forward at 50,000 pps with both default models, five runs; then
# the release error at 10,000 and 50,000 pps without and with one CPU-bound job beside it, three
# runs each, alternating. Run as root (TX and RX real-time) from a clone: tools/live/forwarder-targets.sh OUT
set -euo pipefail
out=${1:?usage: tools/live/forwarder-targets.sh OUT_DIR}
cd "$(dirname "$0")/../.."
mkdir -p "$out"
export LEMURNN_JAVA_OPTS=${LEMURNN_JAVA_OPTS:--Xmx2g}
hog=
trap '[ -n "$hog" ] && kill "$hog" 2>/dev/null || true' EXIT # an interrupted run leaves no busy loop behind
for i in 1 2 3 4 5; do
  echo "== run $i: ./lemurnn bench-forward --rates 50000"; uptime
  ./lemurnn bench-forward --rates 50000 2>&1
done > "$out/bench-50k.txt"
for i in 1 2 3; do
  for job in none one; do
    echo "== $job CPU-bound job, run $i: ./lemurnn bench-forward --rates 10000,50000"; uptime
    if [ $job = one ]; then nice -n 0 sh -c 'while :; do :; done' & hog=$!; fi
    ./lemurnn bench-forward --rates 10000,50000 2>&1
    if [ $job = one ]; then kill $hog; wait $hog 2>/dev/null || true; hog=; fi
  done
done > "$out/bench-hog.txt"
# one row per model and rate: run, load, model, offered pps, sender pps, release error median/p99/max us, held
grep -hE '^==|load average|^(relurnn|lstm)[^	]*	' "$out/bench-50k.txt" "$out/bench-hog.txt" | cut -f1-4,10-12,18
