#!/usr/bin/env bash
# Runs one fuzz target, seeded with our own scripts (corpus/ and examples/).
#
# usage: fuzz/run.sh TARGET [SECONDS]     targets: parse, lint, sim, fmt
# Needs cargo-fuzz (`cargo install cargo-fuzz`). The toolchain here is stable,
# so RUSTC_BOOTSTRAP lets cargo-fuzz pass its -Z flags.
set -euo pipefail
cd "$(dirname "$0")"
target=$1
seconds=${2:-600}
mkdir -p "corpus/$target"
cp ../corpus/*.ipxe ../examples/*.ipxe "corpus/$target/" 2>/dev/null || true
RUSTC_BOOTSTRAP=1 cargo fuzz run "$target" "corpus/$target" -- -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=2048
