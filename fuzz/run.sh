#!/usr/bin/env bash
# Bounded fuzz run for CI: FUZZ_SECONDS (default 60) of atheris over the whole
# check, seeded from fixtures/ (copied: the fuzzer adds files to its corpus).
# Usage: fuzz/run.sh PYTHON   (an interpreter with the package installed)
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${1:-python3}"
SECONDS_BUDGET="${FUZZ_SECONDS:-60}"
"$PY" fuzz/fuzz_check.py --seeds  # no atheris needed: every seed through the check and every report
if ! "$PY" -m pip install -q atheris >/dev/null 2>&1 || ! "$PY" -c "import atheris" 2>/dev/null; then
    echo "fuzz: SKIPPED: atheris cannot be installed for $("$PY" --version 2>&1) on this machine (it needs a prebuilt wheel or clang/libFuzzer)"
    exit 0
fi
corpus="$(mktemp -d)"
trap 'rm -rf "$corpus"' EXIT
find fixtures -type f \( -name '*.json' -o -name '*.ndjson' -o -name '*.jsonl' \) -exec cp {} "$corpus"/ \;
echo "fuzz: ${SECONDS_BUDGET}s of atheris over the whole check ($(ls "$corpus" | wc -l) seeds)"
# -rss_limit_mb: a 2 GB balloon is a failure; -timeout: one input over 10 s is a hang.
"$PY" fuzz/fuzz_check.py -max_total_time="$SECONDS_BUDGET" -rss_limit_mb=2048 -timeout=10 \
    -max_len=65536 -dict=fuzz/json.dict -artifact_prefix="${TMPDIR:-/tmp}/lbx-fuzz-" "$corpus" 2>&1 | tail -n 25
exit "${PIPESTATUS[0]}"
