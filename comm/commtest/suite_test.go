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
