package comm

import (
	"os"
	"strconv"

	"github.com/gorun-dev/gorun/comm/jobenv"
)

// Place is where a rank runs in a multi-host job: its index among the
// ranks on its host and their number, and its host's index among the
// job's hosts and their number. On one host LocalRank is Rank, LocalSize
// is Size, Node 0 and Nodes 1.
type Place struct {
	LocalRank, LocalSize int
	Node, Nodes          int
}

// Place reports where this rank runs, from the launcher's environment
// (GORUN_LOCAL_RANK, GORUN_LOCAL_SIZE, GORUN_NODE, GORUN_NODES) when this
// process is that rank, else as on one host.
func (c *Comm) Place() Place {
	if c.place != nil {
		return *c.place
	}
	one := Place{LocalRank: c.rank, LocalSize: c.size, Node: 0, Nodes: 1}
	if c.sharedMemory || os.Getenv(jobenv.EnvRank) != strconv.Itoa(c.rank) {
		return one
	}
	var p Place
	for _, f := range []struct {
		name string
		v    *int
	}{
		{jobenv.EnvLocalRank, &p.LocalRank}, {jobenv.EnvLocalSize, &p.LocalSize},
		{jobenv.EnvNode, &p.Node}, {jobenv.EnvNodes, &p.Nodes},
	} {
		n, err := strconv.Atoi(os.Getenv(f.name))
		if err != nil || n < 0 {
			return one // a launcher that does not say
		}
		*f.v = n
	}
	if p.LocalRank >= p.LocalSize || p.Node >= p.Nodes {
		return one
	}
	return p
}

// LocalRank is this rank's index among the ranks on its host.
func (c *Comm) LocalRank() int { return c.Place().LocalRank }

// LocalSize is the number of ranks on this rank's host.
func (c *Comm) LocalSize() int { return c.Place().LocalSize }

// Node is the index of this rank's host among the job's hosts.
func (c *Comm) Node() int { return c.Place().Node }

// Nodes is the number of hosts the job runs on.
func (c *Comm) Nodes() int { return c.Place().Nodes }
