#!/usr/bin/env bash
# The sweep of make scaling-hosts, run inside scripts/cluster.sh run:
# tracts (brute force) and wordcount on 1-3 namespace hosts at 1 and 2
# ranks per host, in process and hybrid mode, with the hosts' links shaped
# to each rate in LINKS (tc tbf): CSVs and plots into OUT, named by rate.
#   scripts/cluster.sh run scripts/scaling-hosts.sh BIN OUT
set -euo pipefail
BIN=$(cd "${1:-bin}" && pwd)
OUT=${2:-docs/plots}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
LINKS=${LINKS:-1gbit 10gbit}
REPEAT=${REPEAT:-3}
for link in $LINKS; do
	"$ROOT/scripts/cluster.sh" link "$link"
	"$BIN/scaling" --hosts "$GORUN_CLUSTER/hostfile" --link "$link" --ranks-per-host 1,2 --scaling strong --strong-factor 2 \
		--launch-agent "$ROOT/scripts/cluster.sh exec {host}" --out "$OUT" --repeat "$REPEAT" --timeout 5m \
		--workload "tracts=$BIN/tracts --tracts $ROOT/testdata/geo/il_2018.geojson --filter COUNTYFP=031 --points $ROOT/testdata/geo/zips_il.csv --method brute --dup {n} --out {tmp}/tracts.csv" \
		--workload "wordcount=$BIN/wordcount --out {tmp}/wordcount.tsv {rep*300:$ROOT/testdata/text}"
done
"$ROOT/scripts/cluster.sh" link off
