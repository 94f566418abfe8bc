#!/usr/bin/env bash
# Parse and lint speed on a large generated script, side by side with `wc -w`
# on the same file in the same run (these machines are noisy: compare ratios).
#
# usage: bench/run.sh [SIZE_MB]   (default 50)
set -euo pipefail
cd "$(dirname "$0")/.."
size=${1:-50}
file=$(mktemp --suffix=.ipxe)
trap 'rm -f "$file"' EXIT
python3 bench/gen_script.py "$size" "$file"
cargo build -q --release -p ipxelint
cargo build -q --release -p ipxe-syntax --example parse_file
bytes=$(stat -c %s "$file")
best() { # best wall time of 3 runs, in seconds
  local best=999
  for _ in 1 2 3; do
    local start end t
    start=$(date +%s.%N); "$@" >/dev/null 2>&1 || true; end=$(date +%s.%N)
    t=$(echo "$end - $start" | bc -l)
    best=$(echo "if ($t < $best) $t else $best" | bc -l)
  done
  echo "$best"
}
wc_t=$(best wc -w "$file")
parse_t=$(best target/release/examples/parse_file "$file")
lint_t=$(best target/release/ipxelint --no-config --format json "$file")
peak_kb=$( { /usr/bin/time -f %M target/release/ipxelint --no-config --format json "$file" >/dev/null || true; } 2>&1 | tail -1)
mb=$(echo "$bytes / 1048576" | bc -l)
printf 'input: %.1f MB\n' "$mb"
printf 'wc -w:        %6.3f s  (%6.1f MB/s)\n' "$wc_t" "$(echo "$mb / $wc_t" | bc -l)"
printf 'parse:        %6.3f s  (%6.1f MB/s)  %.2fx wc -w\n' "$parse_t" "$(echo "$mb / $parse_t" | bc -l)" "$(echo "$parse_t / $wc_t" | bc -l)"
printf 'lint (json):  %6.3f s  (%6.1f MB/s)  %.2fx wc -w\n' "$lint_t" "$(echo "$mb / $lint_t" | bc -l)" "$(echo "$lint_t / $wc_t" | bc -l)"
printf 'lint peak memory: %.0f MB = %.2fx input\n' "$(echo "$peak_kb / 1024" | bc -l)" "$(echo "$peak_kb * 1024 / $bytes" | bc -l)"
