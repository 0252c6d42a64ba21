package comm

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/gorun-dev/gorun/comm/jobenv"
	"github.com/gorun-dev/gorun/comm/transport"
)

// Topology says how collectives use the hosts (nodes) a communicator spans.
type Topology uint8

const (
	// TopologyAuto runs Bcast, Reduce, Allreduce, Gather(v), Allgather(v),
	// Barrier and Alltoall(v) in stages (within each node, among one
	// leader per node, within each node again) when the communicator spans
	// more than one node and some node holds more than one of its ranks;
	// otherwise the flat algorithms. It is the default.
	TopologyAuto Topology = iota
	// TopologyFlat always runs the flat algorithms, as on one host.
	TopologyFlat
)

func (t Topology) String() string {
	if t == TopologyFlat {
		return "flat"
	}
	return "auto"
}

// SetTopology sets how the collectives of c use nodes and, when nodes is
// not nil, the node of each rank of c (len(nodes) == Size, any
// non-negative labels), in place of where the launcher placed the ranks:
// a job on one machine can then run the staged algorithms as if spread
// over hosts. A nil nodes keeps the placement. Every rank of c must call
// it with the same arguments, between collectives (with no non-blocking
// one outstanding). Communicators split from c later inherit both, and so
// do the non-blocking collectives started on c later.
func (c *Comm) SetTopology(t Topology, nodes []int) error {
	if t > TopologyFlat {
		return fmt.Errorf("comm: SetTopology: unknown topology %d", t)
	}
	if nodes != nil {
		if len(nodes) != c.size {
			return fmt.Errorf("comm: SetTopology: %d nodes for %d ranks", len(nodes), c.size)
		}
		for r, n := range nodes {
			if n < 0 {
				return fmt.Errorf("comm: SetTopology: rank %d on node %d < 0", r, n)
			}
		}
		c.nodes, c.hier, c.hierKnown = slices.Clone(nodes), nil, false
		c.placeTransport()
	}
	c.topo = t
	return nil
}

// ParseNodeMap reads a node map for n ranks, as GORUN_NODE_MAP gives it:
// "K" spreads the ranks over K nodes in consecutive blocks (as a launcher
// places them by slot), "0,0,1,1" names the node of every rank.
func ParseNodeMap(s string, n int) ([]int, error) {
	if !strings.Contains(s, ",") {
		k, err := strconv.Atoi(s)
		if err != nil || k < 1 {
			return nil, fmt.Errorf("node map %q: want a node count >= 1 or a comma-separated node per rank", s)
		}
		nodes := make([]int, n)
		for r := range nodes {
			nodes[r] = r * k / n
		}
		return nodes, nil
	}
	fields := strings.Split(s, ",")
	if len(fields) != n {
		return nil, fmt.Errorf("node map %q: %d nodes for %d ranks", s, len(fields), n)
	}
	nodes := make([]int, n)
	for r, f := range fields {
		v, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || v < 0 {
			return nil, fmt.Errorf("node map %q: rank %d: %q is not a node number", s, r, f)
		}
		nodes[r] = v
	}
	return nodes, nil
}

// hierarchy is a communicator's ranks grouped by node, with the two
// communicators its staged collectives run on.
type hierarchy struct {
	members    [][]int // ranks of each node in rank order; nodes ordered by their first rank
	nodeOf     []int   // index in members of each rank's node
	localOf    []int   // index of each rank within its node's members
	contiguous bool    // every node's ranks are consecutive: node order is rank order
	local      *Comm   // this rank's node
	leaders    *Comm   // the first rank of every node, by node index; nil off leaders
	// peers are the ranks of this rank's local index on every node, by
	// node index (the leaders for local index 0), when every node holds
	// equally many ranks; else nil.
	peers *Comm
}

// leader is the rank of c that leads node i.
func (h *hierarchy) leader(i int) int { return h.members[i][0] }

// hierarchyFor returns c's hierarchy, finding it on the first call (every
// rank must call it at the same collective: it may run one Allgather), or
// nil when the collectives of c run flat.
func (c *Comm) hierarchyFor(ctx context.Context) (*hierarchy, error) {
	switch {
	case c.topo == TopologyFlat || c.size < 3:
		return nil, nil
	case c.hierKnown:
		return c.hier, nil
	}
	node, spread := c.ownNode()
	if !spread {
		c.hierKnown = true
		return nil, nil
	}
	k, err := c.begin(callAllgather, 0)
	if err != nil {
		return nil, err
	}
	all, err := allgather(ctx, &k, [2]int{node, int(c.nextCid())})
	if err != nil {
		return nil, k.fail(err)
	}
	nodes := make([]int, len(all))
	base := firstCid
	for r, a := range all {
		nodes[r] = a[0]
		base = max(base, uint32(a[1]))
	}
	c.nodes, c.hierKnown = nodes, true
	c.placeTransport()
	c.hier = c.newHierarchy(nodes, base)
	return c.hier, nil
}

// learnPlacement learns the node of every rank of a world spread over
// hosts, by one Allgather, and tells the transport (transport.Placed). It
// is a collective; Main runs it before the user's code.
func (c *Comm) learnPlacement(ctx context.Context) error {
	node, spread := c.ownNode()
	if !spread || c.nodes != nil || c.group != nil {
		return nil
	}
	nodes, err := Allgather(ctx, c, node)
	if err != nil {
		return err
	}
	if c.nodes == nil {
		c.nodes = nodes
	}
	c.placeTransport()
	return nil
}

// placeTransport gives the world's transport the node map.
func (c *Comm) placeTransport() {
	if p, ok := c.t.(transport.Placed); ok && c.group == nil && c.nodes != nil {
		p.SetNodes(c.nodes)
	}
}

// routeWindowFromEnv applies GORUN_ROUTE_WINDOW to a transport that
// budgets routes.
func routeWindowFromEnv(t transport.Transport) error {
	s := os.Getenv(jobenv.EnvRouteWindow)
	rw, ok := t.(interface{ SetRouteWindow(int64) })
	if s == "" || s == "auto" || !ok {
		return nil
	}
	if s == "0" || s == "off" {
		rw.SetRouteWindow(-1)
		return nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 1 {
		return fmt.Errorf("comm: bad %s=%q: want a byte count, auto (measured) or 0 for off", jobenv.EnvRouteWindow, s)
	}
	rw.SetRouteWindow(n)
	return nil
}

// ownNode is this rank's node, and whether c spans more than one node.
func (c *Comm) ownNode() (node int, spread bool) {
	if c.nodes != nil {
		return c.nodes[c.rank], slices.ContainsFunc(c.nodes, func(n int) bool { return n != c.nodes[0] })
	}
	if c.group != nil {
		return 0, false // a sub-communicator of a flat world
	}
	p := c.Place()
	return p.Node, p.Nodes > 1
}

// newHierarchy groups c's ranks by nodes and makes the node and leader
// communicators, with ids from base up (every rank computes the same), or
// returns nil when staging cannot help: one node, or one rank per node.
func (c *Comm) newHierarchy(nodes []int, base uint32) *hierarchy {
	h := groupNodes(nodes)
	if h == nil {
		return nil
	}
	// Ids: one per node, then one per local index for the peers (index 0,
	// the leaders, whatever the nodes' sizes).
	n := uint32(len(h.members))
	c.cids.Store(base + 2*(n+uint32(h.perNode())))
	c.makeStages(h, base+2*uint32(h.nodeOf[c.rank]), func(j int) uint32 { return base + 2*(n+uint32(j)) })
	return h
}

// groupNodes groups ranks by nodes[rank], or returns nil when staging
// cannot help: one node, or one rank per node.
func groupNodes(nodes []int) *hierarchy {
	h := &hierarchy{nodeOf: make([]int, len(nodes)), localOf: make([]int, len(nodes)), contiguous: true}
	index := map[int]int{}
	for r, n := range nodes {
		i, ok := index[n]
		if !ok {
			i = len(h.members)
			index[n] = i
			h.members = append(h.members, nil)
		} else if h.members[i][len(h.members[i])-1] != r-1 {
			h.contiguous = false
		}
		h.nodeOf[r], h.localOf[r] = i, len(h.members[i])
		h.members[i] = append(h.members[i], r)
	}
	if len(h.members) == 1 || len(h.members) == len(nodes) {
		return nil
	}
	return h
}

// perNode is the number of ranks on every node when the nodes hold
// equally many, else 1.
func (h *hierarchy) perNode() int {
	per := len(h.members[0])
	for _, m := range h.members {
		if len(m) != per {
			return 1
		}
	}
	return per
}

// makeStages makes h's communicators for c's rank: its node's, of id
// local, and that of the ranks of its local index j on every node, of id
// peer(j), on a leader (j == 0) or when the nodes hold equally many ranks.
func (c *Comm) makeStages(h *hierarchy, local uint32, peer func(j int) uint32) {
	per := h.perNode()
	me, j := h.nodeOf[c.rank], h.localOf[c.rank]
	h.local = c.sub(local, h.members[me])
	h.local.topo = TopologyFlat
	if j == 0 || per > 1 {
		peers := make([]int, len(h.members))
		for i, m := range h.members {
			peers[i] = m[j]
		}
		p := c.sub(peer(j), peers)
		p.topo = TopologyFlat
		if j == 0 {
			h.leaders = p
		}
		if per > 1 {
			h.peers = p
		}
	}
}

// subNodes is the node map of the members of a communicator split from c,
// or nil when c has none.
func (c *Comm) subNodes(members []int) []int {
	if c.nodes == nil {
		return nil
	}
	nodes := make([]int, len(members))
	for i, r := range members {
		nodes[i] = c.nodes[r]
	}
	return nodes
}

// topologyFromEnv applies GORUN_COLLECTIVES and GORUN_NODE_MAP to the
// ranks of a world that live in this process.
func topologyFromEnv(comms []*Comm) error {
	t := TopologyAuto
	switch s := os.Getenv(jobenv.EnvCollectives); s {
	case "", "auto":
	case "flat":
		t = TopologyFlat
	default:
		return fmt.Errorf("comm: bad %s=%q: want auto or flat", jobenv.EnvCollectives, s)
	}
	var nodes []int
	if s := os.Getenv(jobenv.EnvNodeMap); s != "" && len(comms) > 0 {
		var err error
		if nodes, err = ParseNodeMap(s, comms[0].size); err != nil {
			return fmt.Errorf("comm: bad %s: %w", jobenv.EnvNodeMap, err)
		}
	}
	for _, c := range comms {
		if err := c.SetTopology(t, nodes); err != nil {
			return err
		}
	}
	return nil
}
