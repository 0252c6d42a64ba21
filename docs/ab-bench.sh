#!/bin/bash
# ab-bench.sh compares two builds of a package's benchmarks on a noisy machine:
# it alternates the two test binaries round by round and prints, per benchmark
# and binary, the best and the median ns/op. The best is the figure least
# disturbed by other load; compare the two binaries, not the absolute values.
#
#   git worktree add /tmp/old HEAD~1 && (cd /tmp/old && go test -c -o /tmp/old.test ./comm)
#   go test -c -o /tmp/new.test ./comm
#   docs/ab-bench.sh /tmp/old.test /tmp/new.test '^BenchmarkPingPong$/bytes=8$' 10 300000x
set -euo pipefail
old=$1 new=$2 bench=$3 rounds=${4:-10} benchtime=${5:-1s}
for _ in $(seq "$rounds"); do
  for v in old new; do
    bin=$old
    [ "$v" = new ] && bin=$new
    "$bin" -test.run '^$' -test.bench "$bench" -test.benchtime "$benchtime" | awk -v v="$v" '/^Benchmark/{print v, $1, $3}'
  done
done | sort -k1,2 -k3n | awk '{k=$1" "$2; a[k]=a[k]" "$3; n[k]++}
  END{for (k in a){split(substr(a[k],2),x," "); print k, "best", x[1], "median", x[int((n[k]+1)/2)], "rounds", n[k]}}' | sort -k2,2 -k1,1
