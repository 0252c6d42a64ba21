package commtest_test

import (
	"testing"

	"github.com/gorun-dev/gorun/comm/commtest"
)

func TestConformanceGoroutines(t *testing.T) { commtest.Run(t, commtest.LocalWorld) }

func TestConformanceNATS(t *testing.T) { commtest.Run(t, commtest.NATSWorld(t)) }

// The suite with ranks spread over three servers joined by routes, as the
// ranks of a multi-host job are.
func TestConformanceNATSMesh(t *testing.T) {
	if testing.Short() {
		t.Skip("the whole suite again, across routes: not in -short")
	}
	commtest.RunAcrossServers(t, commtest.MeshWorld(t, 3))
}

// The suite over hybrid worlds: ranks spread over two processes, each
// holding its ranks as goroutines. Messages of different senders take
// different paths (memory or the bus), so causally ordered ones may
// arrive out of that order, as across servers.
func TestConformanceHybrid(t *testing.T) {
	commtest.RunAcrossServers(t, commtest.HybridWorld(t, 2))
}

// The suite with the collectives in stages over nodes: two nodes of
// consecutive ranks, and three nodes dealt round robin (where a
// reduction that does not commute must still fold in rank order).
func TestConformanceGoroutinesStaged(t *testing.T) {
	commtest.Run(t, commtest.OnNodes(commtest.LocalWorld, commtest.Blocks(2)))
}

func TestConformanceGoroutinesStagedRoundRobin(t *testing.T) {
	commtest.Run(t, commtest.OnNodes(commtest.LocalWorld, commtest.RoundRobin(3)))
}

func TestConformanceNATSStaged(t *testing.T) {
	if testing.Short() {
		t.Skip("the collectives again, in stages over NATS: not in -short")
	}
	commtest.RunCollectives(t, commtest.OnNodes(commtest.NATSWorld(t), commtest.Blocks(2)))
}
