#!/usr/bin/env bash
# The demo of make cluster-demo, run inside scripts/cluster.sh run: pi and
# word count on 5 ranks across the 3 namespace hosts (1, 2 and 2 ranks),
# first with agents started over ssh, then through a template.
set -euo pipefail
BIN=$(cd "${1:-bin}" && pwd)
ROOT=$(cd "$(dirname "$0")/.." && pwd)
H=$(awk 'NR==1{s=$1":1"} NR>1{s=s","$1":2"} END{print s}' "$GORUN_CLUSTER/hostfile")
SSH="ssh -F $GORUN_CLUSTER/ssh_config"
show() { echo "\$ $*"; "$@"; echo; }
show "$BIN/gorun" -v -H "$H" --ssh "$SSH" "$BIN/pi"
show "$BIN/gorun" -H "$H" --launch-agent "$ROOT/scripts/cluster.sh exec {host}" \
	"$BIN/wordcount" --out /tmp/gorun-cluster-demo.tsv "$ROOT/testdata/text"
head -5 /tmp/gorun-cluster-demo.tsv
rm -f /tmp/gorun-cluster-demo.tsv
