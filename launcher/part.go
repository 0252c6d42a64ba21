package launcher

import (
	"fmt"
	"strconv"

	"github.com/gorun-dev/gorun/comm/jobenv"
	"github.com/nats-io/nats.go"
)

// hostPart makes a job one host's part of a multi-host job, run by that
// host's agent: it starts only the host's ranks, on the agent's server
// (no bus of its own, no ready barrier: the launcher holds it), and
// reports every rank's exit.
type hostPart struct {
	ranks   []int
	node    int
	nodes   int
	url     string
	token   string
	host    string // shown in tags when tagHost
	tagHost bool
	exited  func(r *rank, ee *ExitError)

	// conn, when set, is a connection of the part's own to the bus, on
	// which it tells the job's ranks of a failure here itself (a direct
	// launch, with no launcher to do it); the job closes it.
	conn *nats.Conn
	// local and localSize, when localSize > 0, are the rank's place among
	// its host's ranks, where the part does not hold them all.
	local, localSize int
}

// rankIDs lists the processes to start (-1: the goroutine-mode process)
// and how many ranks take the ready barrier.
func (j *job) rankIDs() ([]int, int) {
	switch {
	case j.part != nil:
		return j.part.ranks, 0
	case j.mode == ModeGoroutines:
		return []int{-1}, 0
	}
	ids := make([]int, j.size)
	for i := range ids {
		ids[i] = i
	}
	return ids, j.size
}

// openBus opens the job's bus; a host's part uses its agent's server.
func (j *job) openBus(readyN int) (*bus, error) {
	if p := j.part; p != nil {
		return &bus{url: p.url, token: p.token, job: j.id, nc: p.conn}, nil
	}
	return openBus(j.cfg, j.id, readyN, j.log)
}

// placeEnv is where rank id runs: its place among its host's ranks, and
// its host's among the job's.
func (j *job) placeEnv(id int) []string {
	local, localSize, node, nodes := id, j.size, 0, 1
	if p := j.part; p != nil {
		for i, r := range p.ranks {
			if r == id {
				local = i
			}
		}
		localSize, node, nodes = len(p.ranks), p.node, p.nodes
		if p.localSize > 0 {
			local, localSize = p.local, p.localSize
		}
	}
	return []string{
		jobenv.EnvLocalRank + "=" + strconv.Itoa(local),
		jobenv.EnvLocalSize + "=" + strconv.Itoa(localSize),
		jobenv.EnvNode + "=" + strconv.Itoa(node),
		jobenv.EnvNodes + "=" + strconv.Itoa(nodes),
	}
}

// tagPrefix is what starts each output line of rank id.
func (j *job) tagPrefix(id int) string {
	if p := j.part; p != nil && p.tagHost {
		return fmt.Sprintf("[rank %d %s] ", id, p.host)
	}
	return fmt.Sprintf("[rank %d] ", id)
}
