#!/usr/bin/env bash
# Closed-loop fidelity (issue 22): the same real programs over a real kernel link and over the learned
# model of such links, side by side. Per run: iperf3 TCP for SECONDS with ping -i 0.02 beside it (RTT
# under load), then iperf3 UDP at 1.2 x C with 1,400-byte payloads.
#   real:    sender and receiver namespaces joined through a router namespace whose egress to the
#            receiver is shaped by 'tc qdisc ... tbf rate C mbit burst 1600 limit Q' (Q in bytes)
#   lemurnn: 'lemurnn shell -m MODEL -c C -q Q --base_latency 0', the iperf3 server inside it, the
#            client and ping on the host, so the data and the pings cross the -m (downlink) model
# Both: IPv6 off, gso_max_segs 1 on the veth ends (frames of one MTU, as with TSO/GSO off: ethtool is
# not needed). Prints the mean of RUNS runs per link (TCP goodput and retransmits, UDP loss, ping RTT
# p50/p99 under TCP load, the most either iperf3 server received in any one second, and for lemurnn
# the most its downlink sent in one of the shell's per-second lines, in frames as C counts them, the
# largest of the runs) and each run's row.
# Root; needs iperf3, ping (iputils) and python3. Removes what it made, also on failure and Ctrl-C.
#   tools/fidelity/closed-loop.sh MODEL [C_MBPS] [Q_KBYTE] [RUNS] [SECONDS] [OUT_DIR] [SHELL_FLAGS...]
# SHELL_FLAGS go to lemurnn shell as they are (e.g. --drop_rule queue, --burst_bytes 1600).
set -euo pipefail
model=${1:?model file}; c=${2:-10}; q=${3:-20}; runs=${4:-3}; seconds=${5:-10}
out=${6:-closed-loop-C${c}-Q${q}}
shellFlags=("${@:7}")
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
for tool in iperf3 ping python3 tc; do
  command -v "$tool" >/dev/null || { echo "closed-loop: needs $tool" >&2; exit 1; }
done
mkdir -p "$out"
qBytes=$(awk -v q="$q" 'BEGIN { printf "%d", q * 1000 }')
udpRate=$(awk -v c="$c" 'BEGIN { printf "%.3fM", 1.2 * c }')
id=$$; tx=lcl-tx$id; via=lcl-via$id; rx=lcl-rx$id; txIf=lct$id; viaInIf=lca$id; viaOutIf=lcb$id; rxIf=lcr$id
txIp=10.214.0.1; rxIp=10.214.1.2
shellPid=
cleanup() {
  [ -n "$shellPid" ] && kill "$shellPid" 2>/dev/null && wait "$shellPid" 2>/dev/null || true
  for ns in "$tx" "$via" "$rx"; do ip netns del "$ns" 2>/dev/null || true; done
}
trap cleanup EXIT

# programs TAG RUN CLIENT_PREFIX SERVER_IP: the three programs from the client's side, JSON and ping
# output into $out; CLIENT_PREFIX runs a command where the client sits (empty: this namespace)
programs() {
  local tag=$1 run=$2 prefix=$3 server=$4
  $prefix iperf3 -c "$server" -t "$seconds" -J --get-server-output >"$out/$tag-$run-tcp.json" &
  local tcp=$!
  sleep 1 # the window opens first: RTT under load
  $prefix ping -i 0.02 -w $((seconds - 2)) -n "$server" >"$out/$tag-$run-ping.txt" || true
  wait "$tcp"
  sleep 1
  $prefix iperf3 -c "$server" -u -b "$udpRate" -l 1400 -t "$seconds" -J --get-server-output \
    >"$out/$tag-$run-udp.json"
}

# the real link: sender, router, receiver; the router's egress to the receiver is shaped, so that the
# queue holds forwarded packets, as on a path (a tbf on the sender's own interface would hold its
# socket's packets, and TCP small queues would keep it nearly empty)
real_link() {
  ip netns add "$tx"; ip netns add "$via"; ip netns add "$rx"
  ip link add "$txIf" netns "$tx" type veth peer name "$viaInIf" netns "$via"
  ip link add "$viaOutIf" netns "$via" type veth peer name "$rxIf" netns "$rx"
  for side in "$tx:$txIf:$txIp/24" "$via:$viaInIf:10.214.0.254/24" "$via:$viaOutIf:10.214.1.254/24" \
      "$rx:$rxIf:$rxIp/24"; do
    IFS=: read -r ns dev ip <<<"$side"
    ip netns exec "$ns" sysctl -q -w "net.ipv6.conf.$dev.disable_ipv6=1"
    ip -n "$ns" link set dev "$dev" gso_max_segs 1
    ip -n "$ns" addr add "$ip" dev "$dev"
    ip -n "$ns" link set dev "$dev" up; ip -n "$ns" link set dev lo up
  done
  ip netns exec "$via" sysctl -q -w net.ipv4.ip_forward=1
  ip -n "$tx" route add default via 10.214.0.254
  ip -n "$rx" route add default via 10.214.1.254
  ip netns exec "$via" tc qdisc add dev "$viaOutIf" root tbf rate "${c}mbit" burst 1600 limit "$qBytes"
}

for run in $(seq 1 "$runs"); do
  real_link
  ip netns exec "$rx" iperf3 -s -D -B "$rxIp" --pidfile "$out/iperf3-rx.pid"
  sleep 0.5
  programs real "$run" "ip netns exec $tx" "$rxIp"
  kill "$(cat "$out/iperf3-rx.pid")" 2>/dev/null || true
  cleanup

  # the shell runs the server until the host's programs are done
  rm -f "$out/inside" "$out/done"
  "$root/lemurnn" shell -m "$model" -c "$c" -q "$q" --base_latency 0 ${shellFlags[@]+"${shellFlags[@]}"} -- sh -c \
    'a=$(ip -o -4 addr show lemurnn0 | awk "{print \$4}" | cut -d/ -f1)
     iperf3 -s -D -B "$a" && echo "$a" > "$1/inside"
     while [ ! -e "$1/done" ]; do sleep 0.2; done' shell "$out" 2>"$out/lemurnn-$run-shell.txt" &
  shellPid=$!
  while [ ! -s "$out/inside" ]; do
    kill -0 "$shellPid" 2>/dev/null || { cat "$out/lemurnn-$run-shell.txt" >&2; exit 1; }
    sleep 0.2
  done
  sleep 0.5
  programs lemurnn "$run" "" "$(cat "$out/inside")"
  touch "$out/done"; wait "$shellPid"; shellPid=
done

python3 - "$out" "$c" "$q" "$runs" <<'EOF'
import json, re, statistics, sys
out, c, q, runs = sys.argv[1], float(sys.argv[2]), sys.argv[3], int(sys.argv[4])

UNIT = {"": 1e-6, "K": 1e-3, "M": 1, "G": 1e3}

def server_max_mbps(d):
    """The most the server received in one of its 1-s intervals (of its text report: iperf3 -s is not -J)."""
    best = float("nan")
    for start, end, rate, unit in re.findall(
            r"\[\s*\d+\]\s+([\d.]+)-([\d.]+)\s+sec\s+\S+\s+\S+\s+([\d.]+) ([KMG]?)bits/sec", d.get("server_output_text", "")):
        if 0.5 < float(end) - float(start) < 1.5:
            mbps = float(rate) * UNIT[unit]
            best = mbps if best != best else max(best, mbps)
    return best

def shell_max_mbps(run):
    """The most the shell's downlink sent in one of its per-second lines (Ethernet frames, as C counts
    them; the last line, a part second, left out): the emulated link's own count."""
    try:
        text = open(f"{out}/lemurnn-{run}-shell.txt").read()
    except OSError:
        return float("nan")
    rates = [float(m) for m in re.findall(r"^\s*[\d.]+ s downlink .*?([\d.]+) Mbit/s", text, re.M)]
    return max(rates[:-1]) if len(rates) > 1 else float("nan")

def quantile(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(p * len(xs)))] if xs else float("nan")

def run_row(tag, run):
    tcp = json.load(open(f"{out}/{tag}-{run}-tcp.json"))
    udp = json.load(open(f"{out}/{tag}-{run}-udp.json"))
    rtts = [float(m) for m in re.findall(r"time=([0-9.]+) ms", open(f"{out}/{tag}-{run}-ping.txt").read())]
    return {
        "goodput": tcp["end"]["sum_received"]["bits_per_second"] / 1e6,
        "retransmits": tcp["end"]["sum_sent"].get("retransmits", 0),
        "udp_loss": udp["end"]["sum"]["lost_percent"],
        "p50": quantile(rtts, 0.5), "p99": quantile(rtts, 0.99),
        "max_second": max(server_max_mbps(tcp), server_max_mbps(udp)),
        "link_max_second": shell_max_mbps(run) if tag == "lemurnn" else float("nan"),
    }

rows = {tag: [run_row(tag, r) for r in range(1, runs + 1)] for tag in ("real", "lemurnn")}
mean = {tag: {k: statistics.fmean(r[k] for r in rs) for k in rs[0]} for tag, rs in rows.items()}
print("| C, Q | link | TCP goodput | retransmits | UDP loss at 1.2 C | ping RTT p50 / p99 under load | max in any second | the link's own, frames |")
print("|---|---|---|---|---|---|---|---|")
for tag in ("real", "lemurnn"):
    m, r = mean[tag], mean["real"]
    first = f"{c:g} Mbit/s, {q} KB" if tag == "real" else ""
    name = "kernel `tbf`" if tag == "real" else "lemurnn shell"
    rel = lambda k: "" if tag == "real" else " (%+.1f%%)" % (100 * (m[k] - r[k]) / r[k])
    points = "" if tag == "real" else " (%+.1f pt)" % (m["udp_loss"] - r["udp_loss"])
    own = "" if tag == "real" else "%.2f Mbit/s" % max(x["link_max_second"] for x in rows[tag])
    print("| %s | %s | %.2f Mbit/s%s | %.0f | %.1f%%%s | %.2f%s / %.2f%s ms | %.2f Mbit/s | %s |" % (
        first, name, m["goodput"], rel("goodput"), m["retransmits"], m["udp_loss"], points,
        m["p50"], rel("p50"), m["p99"], rel("p99"), m["max_second"], own))
print()
print(f"means of {runs} runs; each run:")
for tag, rs in rows.items():
    for i, r in enumerate(rs, 1):
        print(f"  {tag} {i}: " + ", ".join(f"{k} {v:.2f}" for k, v in r.items()))
EOF
