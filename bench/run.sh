#!/usr/bin/env bash
# Parse and lint speed on a large generated script, side by side with `wc -w`
# on the same file in the same run (these machines are noisy: compare ratios).
#
# usage: [ROUNDS=7] bench/run.sh [SIZE_MB]   (default 50 MB)
set -euo pipefail
cd "$(dirname "$0")/.."
size=${1:-50}
file=$(mktemp --suffix=.ipxe)
trap 'rm -f "$file"' EXIT
python3 bench/gen_script.py "$size" "$file"
cargo build -q --release -p ipxelint
cargo build -q --release -p ipxe-syntax --example parse_file
bytes=$(stat -c %s "$file")
secs() { # wall time of one run, in seconds
  local start end
  start=$(date +%s.%N); "$@" >/dev/null 2>&1 || true; end=$(date +%s.%N)
  echo "$end - $start" | bc -l
}
# Rounds of wc, parse and lint back to back: each round's ratios compare runs
# made within a second of each other, and the median round is reported (the
# machine's speed drifts between rounds, which blocks of runs would mix in).
rounds=${ROUNDS:-7}
rows=()
for _ in $(seq "$rounds"); do
  w=$(secs wc -w "$file")
  p=$(secs target/release/examples/parse_file "$file")
  l=$(secs target/release/ipxelint --no-config --format json "$file")
  rows+=("$(echo "$l / $w" | bc -l) $w $p $l")
done
median=$(printf '%s\n' "${rows[@]}" | sort -g | sed -n "$(( (rounds + 1) / 2 ))p")
read -r _ wc_t parse_t lint_t <<<"$median"
lint_ratios=$(printf '%s\n' "${rows[@]}" | sort -g | awk '{printf "%.2f ", $1}')
peak_kb=$( { /usr/bin/time -f %M target/release/ipxelint --no-config --format json "$file" >/dev/null || true; } 2>&1 | tail -1)
mb=$(echo "$bytes / 1048576" | bc -l)
printf 'input: %.1f MB; median of %d rounds\n' "$mb" "$rounds"
printf 'wc -w:        %6.3f s  (%6.1f MB/s)\n' "$wc_t" "$(echo "$mb / $wc_t" | bc -l)"
printf 'parse:        %6.3f s  (%6.1f MB/s)  %.2fx wc -w\n' "$parse_t" "$(echo "$mb / $parse_t" | bc -l)" "$(echo "$parse_t / $wc_t" | bc -l)"
printf 'lint (json):  %6.3f s  (%6.1f MB/s)  %.2fx wc -w\n' "$lint_t" "$(echo "$mb / $lint_t" | bc -l)" "$(echo "$lint_t / $wc_t" | bc -l)"
printf 'lint/wc -w ratio of each round: %s\n' "$lint_ratios"
printf 'lint peak memory: %.0f MB = %.2fx input\n' "$(echo "$peak_kb / 1024" | bc -l)" "$(echo "$peak_kb * 1024 / $bytes" | bc -l)"
