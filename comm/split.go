package comm

import (
	"context"
	"fmt"
	"slices"
	"sync/atomic"

	"github.com/gorun-dev/gorun/comm/transport"
)

// Undefined as Split's color leaves the rank out of every new
// communicator: Split returns nil there (MPI_UNDEFINED).
const Undefined = -32766

// firstCid is the first id of a sub-communicator; the ones below are the
// world's (commWorld, commMap, commAck). Ids go in pairs: a communicator's
// own, and the next for its task farm (Map).
const firstCid uint32 = 16

// Split partitions the ranks of c by color into new communicators, one per
// color, ranked by key (ties by rank in c), as MPI_Comm_split. Every rank
// of c must call it; a rank with color Undefined gets nil. Point-to-point
// messages and collectives on the new communicator never match those of
// any other, and ranks are numbered 0..Size-1 within it. Row and column
// communicators of a process grid are Split(row, col) and Split(col, row).
func (c *Comm) Split(ctx context.Context, color, key int) (*Comm, error) {
	if color < 0 && color != Undefined {
		return nil, fmt.Errorf("comm: Split: color %d is negative (and not Undefined)", color)
	}
	// The staged collectives' communicators take ids when first needed:
	// before this rank's next free id is read.
	if _, err := c.hierarchyFor(ctx); err != nil {
		return nil, fmt.Errorf("comm: Split: %w", err)
	}
	all, err := Allgather(ctx, c, []int{color, key, int(c.nextCid())})
	if err != nil {
		return nil, fmt.Errorf("comm: Split: %w", err)
	}
	// The new ids start above every member's next free id: no communicator
	// that shares a rank with the new ones can have their ids.
	base := firstCid
	var colors []int
	for _, a := range all {
		base = max(base, uint32(a[2]))
		if a[0] != Undefined && !slices.Contains(colors, a[0]) {
			colors = append(colors, a[0])
		}
	}
	slices.Sort(colors)
	c.cids.Store(base + 2*uint32(len(colors)))
	if color == Undefined {
		return nil, nil
	}
	var members []int
	for r, a := range all {
		if a[0] == color {
			members = append(members, r)
		}
	}
	slices.SortStableFunc(members, func(x, y int) int { return all[x][1] - all[y][1] })
	return c.sub(base+2*uint32(slices.Index(colors, color)), members), nil
}

// Dup is a communicator of the same ranks as c whose messages never match
// c's (MPI_Comm_dup), for a library that must not see its caller's
// traffic. Every rank of c must call it.
func (c *Comm) Dup(ctx context.Context) (*Comm, error) {
	return c.Split(ctx, 0, c.rank)
}

// Self is a communicator of this rank alone (MPI_COMM_SELF). It takes no
// communication.
func (c *Comm) Self() *Comm {
	cid := c.nextCid()
	c.cids.Store(cid + 2)
	return c.sub(cid, []int{c.rank})
}

// WorldRank is the rank in the world communicator of rank r of c.
func (c *Comm) WorldRank(r int) int {
	if c.group == nil {
		return r
	}
	return int(c.group[r])
}

// nextCid is this rank's next free communicator id.
func (c *Comm) nextCid() uint32 {
	if c.cids == nil { // the world, before its first Split
		c.cids = new(atomic.Uint32)
		c.cids.Store(firstCid)
	}
	return c.cids.Load()
}

// sub makes the communicator cid of c's ranks members (in their order).
func (c *Comm) sub(cid uint32, members []int) *Comm {
	group := make([]int32, len(members))
	me := -1
	for i, r := range members {
		group[i] = int32(c.WorldRank(r))
		if r == c.rank {
			me = i
		}
	}
	world := c.t
	if g, ok := world.(*groupTransport); ok {
		world = g.world
	}
	c.mb.setGroup(cid, group)
	gt := &groupTransport{world: world, rank: me, group: group}
	sub := &Comm{rank: me, size: len(group), t: gt,
		mb: c.mb, sendViews: c.sendViews, viewsTo: c.viewsTo, bus: c.bus, proc: newProcess(1), hybrid: c.hybrid,
		progress: c.progress, cid: cid, group: group, cids: c.cids, topo: c.topo, nodes: c.subNodes(members)}
	if c.bg != nil {
		sub.bg = gt
	}
	return sub
}

// groupTransport is the world's transport seen from a sub-communicator:
// ranks are the group's, translated to the world's on the way out. It
// neither starts nor closes the world's.
type groupTransport struct {
	world transport.Transport
	rank  int
	group []int32
}

var _ transport.Transport = (*groupTransport)(nil)

func (g *groupTransport) Rank() int                     { return g.rank }
func (g *groupTransport) Size() int                     { return len(g.group) }
func (g *groupTransport) Start(transport.Handler) error { return nil }
func (g *groupTransport) Close() error                  { return nil }

// Send sends f with its world source: the world's transport keys its
// per-sender state (reassembly, credit) on it; the receiving mailbox
// turns it back into a rank of the group.
func (g *groupTransport) Send(ctx context.Context, dst int, f transport.Frame) error {
	f.Src = g.group[g.rank]
	return g.world.Send(ctx, int(g.group[dst]), f)
}

// SendBackground is Send through the world's transport.BackgroundSender,
// or Send when the world's transport has none.
func (g *groupTransport) SendBackground(ctx context.Context, dst int, f transport.Frame, done func(error)) {
	f.Src = g.group[g.rank]
	if b, ok := g.world.(transport.BackgroundSender); ok {
		b.SendBackground(ctx, int(g.group[dst]), f, done)
		return
	}
	done(g.world.Send(ctx, int(g.group[dst]), f))
}

// SendsAtOnce is the world's transport.BackgroundSender's answer, true
// when it has none (its Send is the only way).
func (g *groupTransport) SendsAtOnce(dst, n int) bool {
	if b, ok := g.world.(transport.BackgroundSender); ok {
		return b.SendsAtOnce(int(g.group[dst]), n)
	}
	return true
}
