#!/usr/bin/env bash
# Measures the four kinds of real kernel link of issue 16 into OUT/<kind>/{train,heldout}/, seeded, so
# anyone can remeasure them (the kernel's own timing differs from run to run; the draws do not):
#   tbf      tbf rate C burst 1600 limit Q                                   C 2..20 Mbit/s, Q 3..40 KB
#   varying  the same tbf, its rate changed every 100 ms after a Mahimahi cellular delivery trace
#            (../shared/reference/mahimahi/, each file one trace from a point drawn per file) scaled
#            to a mean of the name's C ('tc qdisc change' keeps the queue)
#   cross    the same tbf shared with on/off UDP cross traffic of 0.4 C on average (exponential on and
#            off periods of 250 ms mean, 0.8 C while on, 1,400-byte frames); the traces record only the
#            probes; probe load 0.3..1.2 C (the cross traffic adds 0.4 C on average)
#   pfifo    tbf with a pfifo child of P = 4..40 packets as its queue (name's Q = P x 730 bytes, the
#            mean probe frame)
# Poisson probes (frames 60..1400 bytes, load 0.3..1.6 C unless said), PACKETS probes per file, TRAIN
# files to train on and HELDOUT others held out (other seeds). After each kind, a line '<kind>' goes to
# OUT/READY. Needs root, iproute2 and tc; run one at a time (probing is timing-sensitive).
#   tools/fidelity/measure-links.sh OUT [KIND ...]      (default kinds: tbf varying cross pfifo)
#   env: PACKETS (3000), TRAIN (30), HELDOUT (10), MAHIMAHI (the traces' folder, default
#   ../shared/reference/mahimahi beside the repository)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
out=${1:?usage: measure-links.sh OUT [KIND ...]}; shift
kinds=${*:-tbf varying cross pfifo}
packets=${PACKETS:-3000}; train=${TRAIN:-30}; heldout=${HELDOUT:-10}
mahimahi=${MAHIMAHI:-"$root/../shared/reference/mahimahi"}
capacities=2,4,6,8,10,12,14,16,18,20

probe() { # DIR SEED FILES ARGS... (the queue 3..40 KB unless ARGS say otherwise)
  local dir=$1 seed=$2 files=$3; shift 3
  local queue=(--queue_kbyte 3..40)
  [[ " $* " == *" --queue_kbyte "* ]] && queue=()
  "$root/lemurnn" probe tbf --out "$dir" --files "$files" --packets "$packets" --data_seed "$seed" --traffic exponential \
    --capacities "$capacities" "${queue[@]}" "$@" | grep -v '%) after'
}

measure() { # KIND SEED FILES DIR
  local kind=$1 seed=$2 files=$3 dir=$4
  case $kind in
    tbf) probe "$dir" "$seed" "$files" ;;
    varying)
      [ -d "$mahimahi" ] || { echo "no $mahimahi: needs the shared reference data beside the repository" >&2; exit 1; }
      local traces=()
      for t in "$mahimahi"/*.down "$mahimahi"/*.up; do traces+=(--rate_schedule "$t"); done
      probe "$dir" "$seed" "$files" "${traces[@]}" --rate_interval_ms 100 ;;
    cross)
      probe "$dir" "$seed" "$files" --cross_traffic onoff --cross_share 0.4 --cross_period_ms 250 --load 0.3..1.2 ;;
    pfifo)
      # one run per file: the pfifo's packet limit is drawn here, from the seed
      local i p
      for i in $(seq 1 "$files"); do
        p=$(( 4 + $(printf '%s:%s' "$seed" "$i" | sha256sum | cut -c1-8 | xargs -I{} printf '%d' 0x{}) % 37 ))
        probe "$dir" "$((seed * 1000 + i))" 1 --pfifo_packets "$p" --queue_kbyte "$(awk -v p="$p" 'BEGIN{print p*0.73}')"
      done ;;
    *) echo "unknown kind '$kind': tbf, varying, cross or pfifo" >&2; exit 2 ;;
  esac
}

for kind in $kinds; do
  case $kind in tbf) n=1 ;; varying) n=2 ;; cross) n=3 ;; pfifo) n=4 ;; *) n=0 ;; esac
  rm -rf "$out/$kind"
  mkdir -p "$out/$kind/train" "$out/$kind/heldout"
  echo "== $kind: $train training files"
  measure "$kind" $((1600 + 10 * n)) "$train" "$out/$kind/train"
  echo "== $kind: $heldout held-out files"
  measure "$kind" $((1600 + 10 * n + 1)) "$heldout" "$out/$kind/heldout"
  echo "$kind $(ls "$out/$kind/train" | wc -l) train $(ls "$out/$kind/heldout" | wc -l) heldout $(date -u +%FT%TZ)" >> "$out/READY"
done
