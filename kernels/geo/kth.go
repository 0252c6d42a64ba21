package geo

import (
	"fmt"
	"math"
)

// CheckK reports whether the k-th nearest exists in a multiset of total
// points.
func CheckK(k int, total int64) error {
	if k < 1 || int64(k) > total {
		return fmt.Errorf("geo: k = %d out of range 1..%d", k, total)
	}
	return nil
}

// KthIndex sets dst[i-lo], for polygons i in [lo, hi), to the distance
// from polygon i to its k-th nearest facility, duplicates counting. It
// searches fac best-first: tree nodes are keyed by the distance from the
// polygon's bounding box to the node's box, a lower bound of the distance
// to any point below; leaf points get their exact polygon distance and are
// counted, by weight, as they come off the queue. The first exact entry at
// which the count reaches k is the answer. dst must hold hi-lo values.
func KthIndex(dst []float64, polys *Polygons, lo, hi int, fac *Facilities, k int) error {
	if err := CheckK(k, fac.Total); err != nil {
		return err
	}
	if len(dst) < hi-lo {
		panic("geo: KthIndex: dst too short")
	}
	var q queue
	for i := lo; i < hi; i++ {
		dst[i-lo] = fac.kth(&q, polys, i, int64(k))
	}
	return nil
}

func (f *Facilities) kth(q *queue, polys *Polygons, i int, k int64) float64 {
	box := polys.Bounds(i)
	q.items = q.items[:0]
	q.push(item{key: boxDist2(box, f.nodes[0].box), id: 0})
	for len(q.items) > 0 {
		it := q.pop()
		if it.id < 0 {
			if k -= f.Weight[-it.id-1]; k <= 0 {
				return it.val
			}
			continue
		}
		n := &f.nodes[it.id]
		if n.left >= 0 {
			q.push(item{key: boxDist2(box, f.nodes[n.left].box), id: n.left})
			q.push(item{key: boxDist2(box, f.nodes[n.right].box), id: n.right})
			continue
		}
		for l := n.lo; l < n.hi; l++ {
			d := polys.Distance(i, f.XY[2*l], f.XY[2*l+1])
			q.push(item{key: d * d, val: d, id: -l - 1})
		}
	}
	return math.NaN() // unreachable when k <= Total
}

// item is a queue entry: a tree node (id >= 0, key a lower bound) or a
// location -id-1 with its exact distance val (key val²).
type item struct {
	key, val float64
	id       int32
}

// queue is a binary min-heap on key, reused across polygons.
type queue struct{ items []item }

func (q *queue) push(it item) {
	q.items = append(q.items, it)
	h := q.items
	j := len(h) - 1
	for j > 0 {
		p := (j - 1) / 2
		if h[p].key <= h[j].key {
			break
		}
		h[p], h[j] = h[j], h[p]
		j = p
	}
}

func (q *queue) pop() item {
	h := q.items
	top := h[0]
	last := len(h) - 1
	h[0] = h[last]
	h = h[:last]
	j := 0
	for {
		l := 2*j + 1
		if l >= len(h) {
			break
		}
		if r := l + 1; r < len(h) && h[r].key < h[l].key {
			l = r
		}
		if h[j].key <= h[l].key {
			break
		}
		h[j], h[l] = h[l], h[j]
		j = l
	}
	q.items = h
	return top
}
