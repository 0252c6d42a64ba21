#!/usr/bin/env bash
# Every Fuzz target in the tree (func FuzzXxx in a _test.go file), each for
# FUZZTIME (a duration, or a count such as 5000x); seed corpora live in each
# package's testdata/fuzz/FuzzXxx/, and a failing input is written there
# too, where plain 'go test' replays it.
#   scripts/fuzz.sh [FUZZTIME]
#
# Go up to 1.26 can end a duration-bounded run with a bare "context
# deadline exceeded" failure as the time runs out, while a worker is mid-
# input (go.dev/issue/75804, fixed in Go 1.27). Such a run found nothing:
# a failure counts when the target wrote a failing input, or failed any
# other way.
set -euo pipefail
cd "$(dirname "$0")/.."
FUZZTIME=${1:-30s}
GO=${GO:-go}
# inputs prints how many inputs the corpus directory $1 holds.
inputs() { if [ -d "$1" ]; then find "$1" -type f | wc -l; else echo 0; fi; }
log=$(mktemp)
trap 'rm -f "$log"' EXIT
for f in $(grep -rl --include='*_test.go' '^func Fuzz' .); do
	dir=$(dirname "$f")
	for fn in $(sed -n 's/^func \(Fuzz[A-Za-z0-9_]*\)(.*/\1/p' "$f"); do
		echo "fuzz: $dir $fn for $FUZZTIME"
		corpus=$dir/testdata/fuzz/$fn
		before=$(inputs "$corpus")
		if "$GO" test -run '^$' -fuzz "^$fn\$" -fuzztime "$FUZZTIME" "$dir" >"$log" 2>&1; then
			tail -1 "$log"
			continue
		fi
		if [ "$(inputs "$corpus")" = "$before" ] &&
			grep -q '^    context deadline exceeded$' "$log" && [ "$(grep -c '^--- FAIL' "$log")" = 1 ]; then
			echo "fuzz: $fn: no failing input; the run ended on Go's fuzztime deadline race (go.dev/issue/75804)"
			continue
		fi
		cat "$log"
		exit 1
	done
done
