package comm

import (
	"context"
	"errors"
)

// Staged (hierarchical) collectives, for a communicator spread over nodes
// (topology.go): the ranks of each node combine at their node's leader,
// the leaders run the collective among themselves, and each leader fans
// the result out to its node. A route between nodes then carries one
// message per node and step instead of one per rank.
//
// Every stage is a collective call on the node's or the leaders'
// communicator whose frames carry the outer call's identity (operation,
// root, reduction), so a mismatch is still found and named; the error is
// told to every rank of the outer communicator.

// linearMax is the largest node for which a stage fans in or out directly
// between the leader and each rank, without acknowledgements (one step);
// larger nodes use the binomial trees.
const linearMax = 4

// stage starts the part of k that runs on sub (a node's or the leaders'
// communicator), rooted at root of sub.
func (k *coll) stage(sub *Comm, root int) coll {
	sub.seq++
	return coll{c: sub, call: k.call, root: int32(root), red: k.red, seq: sub.seq - 1, stageOf: k}
}

// lift makes an error of stage st an error of k: a mismatch st found names
// ranks and the call number of k's communicator, so that k.fail tells every
// rank of it.
func (h *hierarchy) lift(k, st *coll, err error) error {
	var me *MismatchError
	if err == nil || !errors.As(err, &me) || me.outer || me.Rank != st.c.rank || me.Seq != st.seq {
		return err
	}
	peer := me.Peer
	if peer >= 0 && peer < st.c.size {
		peer = h.outerRank(k.c.rank, st.c, peer)
	}
	return &MismatchError{Seq: k.seq, Rank: k.c.rank, Call: k.name(), Peer: peer, PeerCall: me.PeerCall, outer: true}
}

// outerRank is the rank in the outer communicator of rank r of sub, seen
// from outer rank me.
func (h *hierarchy) outerRank(me int, sub *Comm, r int) int {
	if sub == h.leaders {
		return h.leader(r)
	}
	if sub == h.peers {
		return h.members[r][h.localOf[me]]
	}
	return h.members[h.nodeOf[me]][r]
}

// fanIn folds the values of the ranks of st's communicator at its rank 0,
// in rank order; the others get the zero value.
func fanIn[T any](ctx context.Context, st *coll, v T, op Op) (T, error) {
	var zero T
	n, r := st.c.size, st.c.rank
	if n > linearMax {
		return reduceTree(ctx, st, v, op, 0)
	}
	if r != 0 {
		return zero, sendValue(ctx, st, 0, v)
	}
	acc, owned := v, false
	for src := 1; src < n; src++ {
		x, err := recvValue[T](ctx, st, src)
		if err != nil {
			return zero, err
		}
		if acc, err = combine(op, acc, x, owned, true); err != nil {
			return zero, st.fromPeer(src, err, true)
		}
		owned = true
	}
	return acc, nil
}

// fanOut gives *v of rank 0 of st's communicator to its other ranks.
func fanOut[T any](ctx context.Context, st *coll, v *T) error {
	n, r := st.c.size, st.c.rank
	if n > linearMax {
		return bcast(ctx, st, v)
	}
	if r != 0 {
		x, err := recvValue[T](ctx, st, 0)
		*v = x
		return err
	}
	if n == 1 {
		return nil
	}
	codec, payload, err := encodeValue(*v)
	if err != nil {
		return err
	}
	for dst := 1; dst < n; dst++ {
		if err := st.sendCopy(ctx, dst, codec, payload); err != nil {
			return err
		}
	}
	return nil
}

// hierBarrier: every node signals its leader, the leaders run a
// dissemination barrier, every leader releases its node.
func hierBarrier(ctx context.Context, k *coll, h *hierarchy) error {
	st := k.stage(h.local, 0)
	if err := notify(ctx, &st, true); err != nil {
		return h.lift(k, &st, err)
	}
	if h.leaders != nil {
		st := k.stage(h.leaders, 0)
		if err := st.barrier(ctx); err != nil {
			return h.lift(k, &st, err)
		}
	}
	st = k.stage(h.local, 0)
	return h.lift(k, &st, notify(ctx, &st, false))
}

// notify sends an empty frame from every rank of st's communicator to its
// rank 0 (in) or from rank 0 to every other rank (out).
func notify(ctx context.Context, st *coll, in bool) error {
	n, r := st.c.size, st.c.rank
	switch {
	case r != 0 && in:
		return st.ack(ctx, 0)
	case r != 0:
		return st.recvAck(ctx, 0)
	}
	for peer := 1; peer < n; peer++ {
		var err error
		if in {
			err = st.recvAck(ctx, peer)
		} else {
			err = st.ack(ctx, peer)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// hierBcast: root's node gets the value first, then the leaders, then the
// other nodes.
func hierBcast[T any](ctx context.Context, k *coll, h *hierarchy, v *T) error {
	root := int(k.root)
	rootNode := h.nodeOf[root]
	mine := h.nodeOf[k.c.rank] == rootNode
	if mine {
		st := k.stage(h.local, h.localOf[root])
		if err := bcast(ctx, &st, v); err != nil {
			return h.lift(k, &st, err)
		}
	}
	if h.leaders != nil {
		st := k.stage(h.leaders, rootNode)
		if err := bcast(ctx, &st, v); err != nil {
			return h.lift(k, &st, err)
		}
	}
	if !mine {
		st := k.stage(h.local, 0)
		return h.lift(k, &st, bcast(ctx, &st, v))
	}
	return nil
}

// certifyOn is k.certify, in stages over h when h is not nil: a staged
// barrier whose frames carry the call's identity, so that no rank returns
// before every rank's word reached it.
func (k *coll) certifyOn(ctx context.Context, h *hierarchy, err error) error {
	if h == nil {
		return k.certify(ctx, err)
	}
	if err == nil {
		err = hierBarrier(ctx, k, h)
	}
	return k.fail(err)
}
