#!/usr/bin/env bash
# Prints the results of the last runs (Fuzz/Logs/<target>.log) as a Markdown table: executions, wall time, exec/s,
# edges (cov), features (ft), final corpus, peak RSS, and whether libFuzzer reported a crash, leak or timeout.
# Usage: Fuzz/summarise.sh [LOG_FOLDER]   (default Fuzz/Logs)
cd "${1:-$(dirname "$0")/Logs}" || exit 1
echo "| target | executions | seconds | exec/s | edges (cov) | features (ft) | corpus | peak RSS | findings |"
echo "|---|---|---|---|---|---|---|---|---|"
for t in safetensors npy ts csv checkpoint; do
    [ -f "$t.log" ] || continue
    runs=$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$t.log" | grep -oE '[0-9]+$')
    secs=$(grep -oE 'Done [0-9]+ runs in [0-9]+' "$t.log" | grep -oE '[0-9]+$')
    eps=$(grep -oE 'stat::average_exec_per_sec: *[0-9]+' "$t.log" | grep -oE '[0-9]+$')
    last=$(grep -E '^#[0-9]+' "$t.log" | tail -1)
    cov=$(echo "$last" | grep -oE 'cov: [0-9]+' | grep -oE '[0-9]+')
    ft=$(echo "$last" | grep -oE 'ft: [0-9]+' | grep -oE '[0-9]+')
    corp=$(echo "$last" | grep -oE 'corp: [0-9]+/[0-9]+[a-zA-Z]+' | cut -d' ' -f2)
    rss=$(grep -oE 'stat::peak_rss_mb: *[0-9]+' "$t.log" | grep -oE '[0-9]+$')
    if grep -qE 'ERROR: (libFuzzer|AddressSanitizer|LeakSanitizer)|SUMMARY:|untyped error' "$t.log"; then f="see log"; else f="none"; fi
    echo "| $t | ${runs:-—} | ${secs:-—} | ${eps:-—} | ${cov:-—} | ${ft:-—} | ${corp:-—} | ${rss:-—} MB | $f |"
done
