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
	ranks []int
	node  int
	nodes int
	url   string
	token string
	// rankUsers: the server has a user for each of the part's ranks
	// (natsbus.Options Ranks).
	rankUsers bool
	host      string // shown in tags when tagHost
	tagHost   bool
	exited    func(r *rank, ee *ExitError)

	// conn, when set, is a connection of the part's own to the bus, on
	// which it tells the job's ranks of a failure here itself (a direct
	// launch, with no launcher to do it); the job closes it.
	conn *nats.Conn
	// local and localSize, when localSize > 0, are the rank's place among
	// its host's ranks, where the part does not hold them all.
	local, localSize int
}

// rankIDs lists the processes to start (-1: the goroutine-mode process;
// a hybrid process by the first rank it holds) and how many ranks take
// the ready barrier.
func (j *job) rankIDs() ([]int, int) {
	switch {
	case j.mode == ModeHybrid && j.part != nil:
		return j.part.ranks[:1], 0
	case j.mode == ModeHybrid:
		return []int{0}, j.size
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
		return &bus{url: p.url, token: p.token, job: j.id, nc: p.conn, rankUsers: p.rankUsers}, nil
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

// heldRanks lists the ranks a hybrid process holds: the host's part, or
// the whole world on one host.
func (j *job) heldRanks() []int {
	if j.part != nil {
		return j.part.ranks
	}
	ids := make([]int, j.size)
	for i := range ids {
		ids[i] = i
	}
	return ids
}

// hybridEnv is where a hybrid process runs: the ranks it holds, and its
// host among the job's.
func (j *job) hybridEnv(held []int) []string {
	node, nodes := 0, 1
	if p := j.part; p != nil {
		node, nodes = p.node, p.nodes
	}
	return []string{
		jobenv.EnvRanks + "=" + formatRanks(held),
		jobenv.EnvNode + "=" + strconv.Itoa(node),
		jobenv.EnvNodes + "=" + strconv.Itoa(nodes),
	}
}

// formatRanks writes ranks as comm.ParseRanks reads them, runs of
// consecutive ranks as ranges.
func formatRanks(ranks []int) string {
	var b []byte
	for i := 0; i < len(ranks); {
		k := i
		for k+1 < len(ranks) && ranks[k+1] == ranks[k]+1 {
			k++
		}
		if len(b) > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, int64(ranks[i]), 10)
		if k > i {
			b = append(b, '-')
			b = strconv.AppendInt(b, int64(ranks[k]), 10)
		}
		i = k + 1
	}
	return string(b)
}

// tagPrefix is what starts each output line of rank id.
func (j *job) tagPrefix(id int) string {
	if p := j.part; p != nil && p.tagHost {
		return fmt.Sprintf("[rank %d %s] ", id, p.host)
	}
	return fmt.Sprintf("[rank %d] ", id)
}
