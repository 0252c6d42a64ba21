package comm

import "context"

// Staged gathers and all-to-all: each node's values travel between nodes
// as one block, leader to leader.

// hierGather is Gather in stages: to every node's leader, to the leader of
// root's node, to root.
func hierGather[T any](ctx context.Context, k *coll, h *hierarchy, v T) ([]T, error) {
	root, me := int(k.root), k.c.rank
	st := k.stage(h.local, 0)
	rows, err := gather(ctx, &st, v)
	if err != nil {
		return nil, h.lift(k, &st, err)
	}
	top := h.nodeOf[root]
	var out []T
	if h.leaders != nil {
		st := k.stage(h.leaders, top)
		blocks, err := gather(ctx, &st, rows)
		if err != nil {
			return nil, h.lift(k, &st, err)
		}
		if blocks != nil {
			out = assemble(h, blocks)
		}
	}
	from := h.leader(top)
	switch {
	case from == root:
		return out, nil
	case me == from:
		return nil, sendValue(ctx, k, root, out)
	case me == root:
		return recvValue[[]T](ctx, k, from)
	}
	return nil, nil
}

// hierAllgather is Allgather in stages: to every node's leader, among the
// leaders, out to every node.
func hierAllgather[T any](ctx context.Context, k *coll, h *hierarchy, v T) ([]T, error) {
	st := k.stage(h.local, 0)
	rows, err := gather(ctx, &st, v)
	if err != nil {
		return nil, h.lift(k, &st, err)
	}
	var out []T
	if h.leaders != nil {
		st := k.stage(h.leaders, 0)
		var blocks [][]T
		if st.c.size > linearMax {
			blocks, err = allgather(ctx, &st, rows)
		} else {
			blocks, err = exchangeAll(ctx, &st, rows)
		}
		if err != nil {
			return nil, h.lift(k, &st, err)
		}
		out = assemble(h, blocks)
	}
	st = k.stage(h.local, 0)
	return out, h.lift(k, &st, fanOut(ctx, &st, &out))
}

// assemble orders the blocks of every node (by node, then local index) by
// rank.
func assemble[T any](h *hierarchy, blocks [][]T) []T {
	out := make([]T, len(h.nodeOf))
	for i, b := range blocks {
		for j, x := range b {
			out[h.members[i][j]] = x
		}
	}
	return out
}

// hierAlltoall is Alltoall in stages: every node's rows go to its leader;
// leader i sends leader j the block of what node i's ranks send node j's;
// every leader scatters to its node what each of its ranks receives.
func hierAlltoall[T any](ctx context.Context, k *coll, h *hierarchy, vs []T) ([]T, error) {
	st := k.stage(h.local, 0)
	rows, err := gather(ctx, &st, vs)
	if err != nil {
		return nil, h.lift(k, &st, err)
	}
	var cols [][]T // by local rank: what it receives, by source rank
	if h.leaders != nil {
		me := h.nodeOf[k.c.rank]
		out := make([][]T, len(h.members))
		for j, dsts := range h.members {
			b := make([]T, 0, len(rows)*len(dsts))
			for _, row := range rows {
				for _, d := range dsts {
					b = append(b, row[d])
				}
			}
			out[j] = b
		}
		st := k.stage(h.leaders, 0)
		in, err := alltoall(ctx, &st, out)
		if err != nil {
			return nil, h.lift(k, &st, err)
		}
		mine := len(h.members[me])
		cols = make([][]T, mine)
		for d := range cols {
			cols[d] = make([]T, k.c.size)
			for j, srcs := range h.members {
				for s, src := range srcs {
					cols[d][src] = in[j][s*mine+d]
				}
			}
		}
	}
	st = k.stage(h.local, 0)
	got, err := scatter(ctx, &st, cols)
	return got, h.lift(k, &st, err)
}
