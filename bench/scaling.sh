#!/usr/bin/env bash
# Shows that cost grows linearly: each hostile shape at 1x, 4x and 16x its
# base size, timed in one run. Linear means the 16x time is about 16x the 1x time.
#
# usage: bench/scaling.sh [TOOL...]    tools: ipxelint (default), ipxesim
set -euo pipefail
cd "$(dirname "$0")/.."
tools=("${@:-ipxelint}")
cargo build -q --release "${tools[@]/#/-p}"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
run() {
  case $1 in
    ipxelint) target/release/ipxelint --no-config --format json "$2" ;;
    ipxesim) target/release/ipxesim --format json "$2" ;;
  esac
}
printf '%-9s %-10s %6s %10s %10s %8s\n' tool shape scale bytes seconds ratio
for tool in "${tools[@]}"; do
  for shape in labels items long-line nested unclosed; do
    base=""
    for scale in 1 4 16; do
      file="$dir/$shape-$scale.ipxe"
      python3 bench/gen_hostile.py "$shape" "$scale" "$file"
      start=$(date +%s.%N)
      run "$tool" "$file" >/dev/null 2>&1 || true
      end=$(date +%s.%N)
      t=$(echo "$end - $start" | bc -l)
      [ -z "$base" ] && base=$t
      printf '%-9s %-10s %5sx %10s %10.3f %7.1fx\n' "$tool" "$shape" "$scale" "$(stat -c %s "$file")" "$t" "$(echo "$t / $base" | bc -l)"
    done
  done
done
