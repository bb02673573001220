#!/usr/bin/env bash
# The sparse-traffic check of a model (issue 13): ping at one per second through `lemurnn forward
# --afpacket` between two network namespaces, against the link's own figure, 2 x (base latency +
# serialization of the echo frame). Root. Removes what it made, even on failure.
#   tools/fidelity/ping-rtt.sh MODEL [C_MBPS] [Q_KBYTE] [BASE_MS] [COUNT] [INTERVAL_S] [PAYLOAD_BYTES]
set -euo pipefail
model=${1:?model file}; c=${2:-10}; q=${3:-20}; base=${4:-10}; count=${5:-10}; interval=${6:-1}; payload=${7:-56}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
id=$$; a=lpa$id; b=lpb$id; xa=lpA$id; xb=lpB$id
cleanup() {
  [ -n "${fwd:-}" ] && kill "$fwd" 2>/dev/null && wait "$fwd" 2>/dev/null || true
  ip netns del "$a" 2>/dev/null || true; ip netns del "$b" 2>/dev/null || true
  ip link del "$xa" 2>/dev/null || true; ip link del "$xb" 2>/dev/null || true
}
trap cleanup EXIT
ip netns add "$a"; ip netns add "$b"
ip link add "$xa" type veth peer name "${a}i"; ip link add "$xb" type veth peer name "${b}i"
for side in "$a:$xa:10.201.0.1" "$b:$xb:10.201.0.2"; do
  IFS=: read -r ns out ip <<<"$side"
  ip link set dev "${ns}i" netns "$ns"
  ip -n "$ns" addr add "$ip/24" dev "${ns}i"; ip -n "$ns" link set dev "${ns}i" up; ip link set dev "$out" up
  echo 1 > "/proc/sys/net/ipv6/conf/$out/disable_ipv6"
done
"$root/lemurnn" forward --afpacket "$xa,$xb" -m "$model" -c "$c" -q "$q" --base_latency "$base" >/tmp/ping-rtt-fwd.$id 2>&1 &
fwd=$!
sleep 4 # the forwarder warms its model up before it forwards
ip netns exec "$a" ping -c 2 -W 2 10.201.0.2 >/dev/null || true # ARP both ways
out=$(ip netns exec "$a" ping -i "$interval" -c "$count" -s "$payload" 10.201.0.2)
echo "$out" | tail -2
frame=$((payload + 8 + 20 + 14))
awk -v c="$c" -v base="$base" -v frame="$frame" -v line="$(echo "$out" | tail -1)" 'BEGIN {
  split(line, f, "="); split(f[2], v, "/"); avg = v[2] + 0
  want = 2 * (base + frame * 8 / (c * 1000))
  printf "rtt avg %.3f ms, link 2 x (base + serialization) = %.3f ms, off by %.2f%%\n", avg, want, 100 * (avg - want) / want
}'
