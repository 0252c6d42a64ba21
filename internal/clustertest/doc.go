// Package clustertest runs gorun jobs across real hosts: the network
// namespaces of scripts/cluster.sh, each with its own address and sshd.
// Its tests need root and run under `make cluster-test`, which brings the
// cluster up, sets GORUN_CLUSTER to its state directory and tears it down
// afterwards; without GORUN_CLUSTER they skip with one line saying so.
package clustertest
