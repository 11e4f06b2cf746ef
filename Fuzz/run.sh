#!/usr/bin/env bash
# Builds the fuzz targets (libFuzzer + AddressSanitizer) and runs each for a fixed number of executions.
#
#   Fuzz/run.sh [RUNS] [TARGET...]      RUNS defaults to 1000000; TARGETs default to all:
#                                       safetensors npy ts csv checkpoint
#   FUZZ_BUILD_ONLY=1 Fuzz/run.sh       build only
#
# How it builds (what works with SwiftPM 6.3 on Linux): SwiftPM compiles the Phasor library targets with the
# sanitizer instrumentation into their own build folder (.build-fuzz, so the normal .build is untouched) and with
# -enable-testing so a target can `@testable import` the internal .ts/CSV parsers; `swift build` of a library
# target does not link, so libFuzzer's main() does not clash with anything. Each target is then compiled and linked
# by swiftc against those object files. Nothing here is part of `swift test` or CI.
#
# Each run: -runs=RUNS executions, -detect_leaks=1, -timeout=10 (a single input taking > 10 s is a hang),
# -rss_limit_mb=2048, one job at a time (the machine's 2 cores are shared). Crashing inputs land in
# Fuzz/Artifacts/<target>/; logs in Fuzz/Logs/<target>.log (both ignored by git). The working corpus is
# Fuzz/Work/<target>/ (seeded from the committed Fuzz/Corpus/<target>/ each run; ignored by git).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
RUNS="${1:-1000000}"
shift || true
TARGETS=("$@")
[ ${#TARGETS[@]} -eq 0 ] && TARGETS=(safetensors npy ts csv checkpoint)

BUILD="$ROOT/.build-fuzz"
SAN="-sanitize=fuzzer,address"
swift build -c release --build-path "$BUILD" --target PhasorModels -Xswiftc "$SAN" -Xswiftc -enable-testing
REL="$BUILD/release"
OBJECTS=()
for module in _NumericsShims RealModule ComplexModule Numerics PhasorNumerics PhasorData PhasorModels; do
    while IFS= read -r o; do OBJECTS+=("$o"); done < <(find "$REL/$module.build" -name '*.o' | sort)
done

declare -A SOURCE=([safetensors]=SafeTensorsFuzz [npy]=NpyFuzz [ts]=TSFuzz [csv]=CSVFuzz [checkpoint]=CheckpointFuzz)
mkdir -p "$ROOT/Fuzz/Bin" "$ROOT/Fuzz/Logs"
for t in "${TARGETS[@]}"; do
    src="${SOURCE[$t]:?unknown target $t}"
    swiftc -O "$SAN" -parse-as-library \
        -I "$REL/Modules" -I "$ROOT/Sources/CLapack" \
        -Xcc -fmodule-map-file="$(find "$BUILD/checkouts/swift-numerics/Sources/_NumericsShims" -name module.modulemap | head -1)" \
        "$ROOT/Fuzz/Targets/FuzzSupport.swift" "$ROOT/Fuzz/Targets/$src.swift" "${OBJECTS[@]}" \
        -llapacke -lopenblas -o "$ROOT/Fuzz/Bin/fuzz-$t" 2> >(grep -v 'Cannot export local symbol' >&2)
done
[ -n "${FUZZ_BUILD_ONLY:-}" ] && exit 0

for t in "${TARGETS[@]}"; do
    mkdir -p "$ROOT/Fuzz/Work/$t" "$ROOT/Fuzz/Artifacts/$t"
    echo "== $t: $RUNS executions" | tee "$ROOT/Fuzz/Logs/$t.log"
    "$ROOT/Fuzz/Bin/fuzz-$t" -runs="$RUNS" -detect_leaks=1 -timeout=10 -rss_limit_mb=2048 -max_len=16384 \
        -print_final_stats=1 -artifact_prefix="$ROOT/Fuzz/Artifacts/$t/" \
        "$ROOT/Fuzz/Work/$t" "$ROOT/Fuzz/Corpus/$t" >> "$ROOT/Fuzz/Logs/$t.log" 2>&1 \
        && echo "   $t: done" || echo "   $t: FAILED (see Fuzz/Logs/$t.log)"
    tail -n 12 "$ROOT/Fuzz/Logs/$t.log" | grep -E 'stat::|Done|ERROR|SUMMARY' || true
done
