package costmodel

import "fmt"

// staged prices comm's staged collectives on n nodes of q ranks: a stage
// within every node (Intra), one among the n leaders (Inter), a stage
// within every node again. equalNodes says every node holds q ranks.
func staged(op string, n, q, m int, equalNodes bool, net Net) (Prediction, error) {
	in := flat{p: q, q: q, n: 1, net: Net{Intra: net.Intra}}
	lead := flat{p: n, q: 1, n: 1, net: Net{Intra: net.Inter}}
	mf := float64(m)
	barrier := fan(q-1, 0, net.Intra) + lead.dissemination() + fan(q-1, 0, net.Intra)
	switch op {
	case Barrier:
		return Prediction{barrier, "staged: notify + dissemination + release"}, nil
	case Bcast:
		return Prediction{2*in.tree(mf) + lead.tree(mf) + barrier, "staged: binomial trees + barrier"}, nil
	case Allreduce:
		if m >= largeAllreduce && equalNodes {
			return segmented(n, q, mf, net), nil
		}
		node, nodeName := fan(q-1, mf, net.Intra), "fan-in"
		if q > linearMax {
			node, nodeName = in.tree(mf), "reduce tree"
		}
		var leaders float64
		var name string
		switch {
		case n >= 3 && m >= largeAllreduce:
			leaders, name = ring(n, mf, net.Inter), "ring"
		case n <= linearMax:
			leaders, name = fan(n-1, mf, net.Inter), "exchange"
		default:
			leaders, name = lead.recursiveDoubling(mf), "recursive doubling"
		}
		return Prediction{2*node + leaders, fmt.Sprintf("staged: %s + %s + fan-out", nodeName, name)}, nil
	case Alltoall:
		p := n * q
		rows := fan(q-1, float64(p)*mf, net.Intra)
		return Prediction{2*rows + float64(n-1)*net.Inter.Time(float64(q*q)*mf), "staged: gather + pairwise + scatter"}, nil
	}
	return Prediction{}, fmt.Errorf("costmodel: no model for %q (want %s, %s, %s or %s)", op, Barrier, Bcast, Allreduce, Alltoall)
}

// segmented prices the staged Allreduce of a large vector on nodes of
// equal size: a reduce-scatter within the node (each rank sends q-1
// segments of m/q at once), q rings across the nodes side by side on m/q
// each (an exchange when there are two nodes), and an allgather within the
// node.
func segmented(n, q int, m float64, net Net) Prediction {
	seg := m / float64(q)
	across, name := ring(n, seg, net.Inter), "rings"
	if n < 3 {
		across, name = (flat{p: n, q: 1, n: 1, net: Net{Intra: net.Inter}}).recursiveDoubling(seg), "exchange"
	}
	node := fan(q-1, seg, net.Intra)
	return Prediction{2*node + across, fmt.Sprintf("staged: reduce-scatter + %s + allgather", name)}
}
