#!/usr/bin/env bash
# The runs of make costmodel-hosts, inside scripts/cluster.sh run:
# commbench --fit on the namespace hosts at RANKS ranks a host, in process
# and hybrid mode, collectives flat and staged, with the links unshaped and
# shaped to each rate in LINKS (tc tbf); for each, OUT/costmodel_MODE_LINK
# .csv (the rows), .json (the fitted links and predictions) and .png/.svg
# (gorun-plot --commbench). SIZES and REPEATS set commbench's --sizes and
# --repeats.
#   scripts/cluster.sh run scripts/costmodel-hosts.sh BIN OUT
set -euo pipefail
BIN=$(cd "${1:-bin}" && pwd)
OUT=${2:-docs/plots}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
LINKS=${LINKS:-off 1gbit}
RANKS=${RANKS:-2}
SIZES=${SIZES:-8,64,512,4K,32K,256K,1M}
REPEATS=${REPEATS:-5}
hosts=$(sed "s/\$/:$RANKS/" "$GORUN_CLUSTER/hostfile" | paste -sd, -)
mkdir -p "$OUT"
for link in $LINKS; do
	"$ROOT/scripts/cluster.sh" link "$link"
	for mode in processes hybrid; do
		name=$OUT/costmodel_${mode}_$link
		"$BIN/gorun" -H "$hosts" --mode "$mode" --launch-agent "$ROOT/scripts/cluster.sh exec {host}" --no-tag --timeout 10m \
			"$BIN/commbench" --mode processes --raw=false --topology both --sizes "$SIZES" --repeats "$REPEATS" --format csv --fit "$name.json" >"$name.csv"
		label=$link
		[ "$link" = off ] && label=
		"$BIN/gorun-plot" --commbench "$name.json" ${label:+--link "$label"}
	done
done
"$ROOT/scripts/cluster.sh" link off
