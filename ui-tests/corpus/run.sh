#!/usr/bin/env bash
# Compiles every misuse program of the corpus and measures the diagnostics:
# per case the number of errors, whether a message names generated internals
# (`__private`, `__ha_cover`, a const-eval panic), and the first error. Prints
# a table and the totals the macros are held to: >= 90% of the misuse cases
# with exactly one error; none with internals or three or more errors; every
# `expect: pass` case compiling.
#
#     bash ui-tests/corpus/run.sh            # table + totals
#     bash ui-tests/corpus/run.sh -v CASE    # the full rendered errors of CASE
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$here"
# Same versions as the workspace, and its build cache.
cp "$root/Cargo.lock" Cargo.lock
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"
mkdir -p "$CARGO_TARGET_DIR"
out="$CARGO_TARGET_DIR/corpus-messages.json"
# Touch the cases so that cargo compiles (and reports) every one again.
touch src/bin/*.rs renamed/src/bin/*.rs reexported/src/bin/*.rs
cargo check --workspace --bins --keep-going --message-format=json >"$out" 2>/dev/null || true
python3 "$here/measure.py" "$out" "$here" "$@"
