#!/usr/bin/env bash
# Runs fuzz targets, seeded with our own scripts (corpus/ and examples/).
#
# usage: fuzz/run.sh TARGET [SECONDS]     one target (default 600 s), libFuzzer's output as is
#        fuzz/run.sh all [SECONDS [TARGET...]]
#                                         every target (or those named) in turn, one
#                                         summary line each: runs, exec/s, coverage at
#                                         start and end, crashes
# targets: parse, lint, sim, fmt, lsp, fmt_paths, dnsmasq, dhcpd, dhcp_wire (every file in fuzz_targets/)
# Needs cargo-fuzz (`cargo install cargo-fuzz`). The toolchain here is stable,
# so RUSTC_BOOTSTRAP lets cargo-fuzz pass its -Z flags. Crashes are saved in
# fuzz/artifacts/TARGET/; logs of `all` runs in fuzz/logs/.
set -euo pipefail
cd "$(dirname "$0")"
export RUSTC_BOOTSTRAP=1

seed() {
    local target=$1
    mkdir -p "corpus/$target"
    case $target in
        dnsmasq)
            cp ../examples/tutorial/*.conf ../crates/ipxe-dhcp-wire/tests/dnsmasq_configs/*.conf \
                "corpus/$target/" 2>/dev/null || true ;;
        dhcpd)
            cp ../crates/ipxe-dhcp-wire/tests/dhcpd_configs/*.conf "corpus/$target/" 2>/dev/null || true ;;
        dhcp_wire) ;; # packets: libFuzzer starts from nothing
        *)
            cp ../corpus/*.ipxe ../examples/*.ipxe "corpus/$target/" 2>/dev/null || true ;;
    esac
    if [ "$target" = fmt_paths ]; then
        # Its input may start with a config line.
        for f in ../examples/*.ipxe; do
            { printf '#cfgindent = 2\n'; cat "$f"; } > "corpus/$target/cfg-$(basename "$f")"
        done
    fi
}

flags() {
    local extra=
    # The language server's reader and lint threads are detached (a process
    # exit ends them): one still exiting when LeakSanitizer looks is
    # reported as a leak of its thread handle.
    if [ "$2" = lsp ]; then extra=-detect_leaks=0; fi
    echo -max_total_time="$1" -max_len=65536 -rss_limit_mb=2048 -timeout=20 $extra
}

run_one() {
    local target=$1 seconds=$2
    seed "$target"
    # shellcheck disable=SC2046
    cargo fuzz run "$target" "corpus/$target" -- $(flags "$seconds" "$target")
}

# One line from a libFuzzer log: runs, exec/s, coverage at start and end, crashes.
# exec/s is libFuzzer's (wall clock); per CPU second divides the runs by the
# CPU time the run used, which says more on a shared machine.
summary() {
    local target=$1 log=$2 crashes=$3 cpu=$4
    local runs execs start end per_cpu
    runs=$(grep -oE '^(Done [0-9]+ runs|#[0-9]+)' "$log" | tail -1 | grep -oE '[0-9]+' || echo 0)
    execs=$(grep -oE 'exec/s: [0-9]+' "$log" | tail -1 | grep -oE '[0-9]+' || echo 0)
    start=$(grep -m1 -E 'INITED' "$log" | grep -oE 'cov: [0-9]+' | grep -oE '[0-9]+' || echo '?')
    end=$(grep -oE 'cov: [0-9]+' "$log" | tail -1 | grep -oE '[0-9]+' || echo '?')
    per_cpu=$(awk -v r="$runs" -v c="$cpu" 'BEGIN { if (c > 0) printf "%d", r / c; else print "?" }')
    printf '%-10s runs %-10s exec/s %-7s per CPU second %-7s cov %s -> %-6s crashes %s\n' \
        "$target" "$runs" "$execs" "$per_cpu" "$start" "$end" "$crashes"
}

run_all() {
    local seconds=$1 target log before after
    shift
    mkdir -p logs
    local targets=("$@")
    if [ ${#targets[@]} -eq 0 ]; then
        for f in fuzz_targets/*.rs; do targets+=("$(basename "$f" .rs)"); done
    fi
    for target in "${targets[@]}"; do
        cargo fuzz build "$target" >/dev/null 2>&1 || { echo "$target: build failed"; continue; }
    done
    for target in "${targets[@]}"; do
        seed "$target"
        log=logs/$target.log
        mkdir -p "artifacts/$target"
        before=$(find "artifacts/$target" -name "crash-*" -o -name "timeout-*" -o -name "oom-*" -o -name "leak-*" | wc -l)
        # shellcheck disable=SC2046
        local TIMEFORMAT='%U %S'
        { time cargo fuzz run "$target" "corpus/$target" -- $(flags "$seconds" "$target") >"$log" 2>&1 || true; } 2>"$log.cpu"
        after=$(find "artifacts/$target" -name "crash-*" -o -name "timeout-*" -o -name "oom-*" -o -name "leak-*" | wc -l)
        summary "$target" "$log" $((after - before)) "$(awk '{ print $1 + $2 }' "$log.cpu")"
    done
}

target=$1
seconds=${2:-600}
if [ "$target" = all ]; then
    run_all "$seconds" "${@:3}"
else
    run_one "$target" "$seconds"
fi
