#!/usr/bin/env bash
# Writes a sparse trace (issue 13): N packets with gaps uniform in 0.2..2 s at C Mbit/s, sizes
# uniform in 60..1400 bytes, each crossing an empty drop-tail queue as an ideal link would carry it
# (latency = its own serialization, size x 8 / C; nothing dropped). Replay it through a model with
# `lemurnn evaluate -m MODEL --dag_data FILE` or `lemurnn forward --replay FILE`.
#   tools/fidelity/sparse-trace.sh OUT_DIR [C_MBPS] [PACKETS] [SEED]
set -euo pipefail
out=${1:?output folder}; c=${2:-10}; n=${3:-300}; seed=${4:-1}
mkdir -p "$out"
file="$out/mgtrace_C${c}_L0_Q20000_1796000000_sparse.csv"
awk -v c="$c" -v n="$n" -v seed="$seed" 'BEGIN {
  srand(seed); t = 1796000000
  print "packet_number\tsize\ttransmit_time\treceive_time\tlatency\tdropped_status"
  for (i = 1; i <= n; i++) {
    t += 0.2 + 1.8 * rand(); size = int(60 + 1341 * rand()); lat = size * 8 / (c * 1e6)
    printf "%d\t%d\t%.9f\t%.9f\t%.9f\t0\n", i, size, t, t + lat, lat
  }
}' > "$file"
echo "$file"
