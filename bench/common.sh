# Helpers shared by bench/run, bench/lto and bench/ab-articles; sourced,
# not run. Messages name the script that sourced this file.
bench_name="bench/$(basename "$0")"

# The median of numbers read one per line.
median() { sort -g | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
# Waits until a URL answers 2xx, for at most 10 seconds.
wait_for() { for _ in $(seq 1 200); do curl -fsS -o /dev/null "$1" 2>/dev/null && return 0; sleep 0.05; done; echo "$bench_name: $1 never answered" >&2; exit 1; }
# Requests a second of wrk at 64 connections for DURATION seconds.
rps() { wrk -t2 -c64 -d"${DURATION}s" "$@" | awk '/Requests\/sec/ {print $2}'; }
# Starts `BINARY serve` on 127.0.0.1:PORT in the background (added to
# `pids`, so `$!` is its PID), with the rate limits lifted: the load is
# meant to measure the server, not its limiting.
serve_unlimited() {
  DIAGNOZA_RATE_LIMIT_BURST=1000000 DIAGNOZA_RATE_LIMIT_PER_MINUTE=100000000 DIAGNOZA_MAX_CONCURRENT=100000 \
    RUST_LOG=warn "$1" serve --addr "127.0.0.1:$2" >/dev/null 2>&1 & pids+=($!)
}
