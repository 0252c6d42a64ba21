package comm_test

import (
	"testing"

	"github.com/gorun-dev/gorun/comm"
	"github.com/gorun-dev/gorun/comm/jobenv"
)

func TestPlace(t *testing.T) {
	t.Setenv(jobenv.EnvRank, "1")
	t.Setenv(jobenv.EnvLocalRank, "0")
	t.Setenv(jobenv.EnvLocalSize, "2")
	t.Setenv(jobenv.EnvNode, "1")
	t.Setenv(jobenv.EnvNodes, "3")
	comms, err := comm.NewWorld(3)
	if err != nil {
		t.Fatal(err)
	}
	// A goroutine world is on one host whatever the environment says.
	for _, c := range comms {
		want := comm.Place{LocalRank: c.Rank(), LocalSize: 3, Node: 0, Nodes: 1}
		if got := c.Place(); got != want {
			t.Errorf("rank %d: %+v, want %+v", c.Rank(), got, want)
		}
		c.Close()
	}
}
