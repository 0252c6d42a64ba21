package geo

// Repeat returns the points of p concatenated dup times, as the lecture's
// pd.concat([points] * dup) (IDs are not copied).
func Repeat(p *Points, dup int) *Points {
	q := &Points{XY: make([]float64, 0, len(p.XY)*dup)}
	for range dup {
		q.XY = append(q.XY, p.XY...)
	}
	return q
}

// KthBrute is the lecture's algorithm: for every polygon i in [lo, hi) it
// computes the distance to every facility copy in fac (already repeated,
// see Repeat), then selects the k-th smallest (quickselect, no sort) into
// dst[i-lo]. Each distance is a full polygon-point distance (one pass over
// the rings tests containment and finds the nearest segment); nothing is
// pruned or deduplicated, so the cost is len(fac) distances per polygon.
func KthBrute(dst []float64, polys *Polygons, lo, hi int, fac *Points, k int) error {
	n := fac.Len()
	if err := CheckK(k, int64(n)); err != nil {
		return err
	}
	if len(dst) < hi-lo {
		panic("geo: KthBrute: dst too short")
	}
	d := make([]float64, n)
	var sv segView
	for i := lo; i < hi; i++ {
		sv.load(polys, i)
		sv.distances(d, fac.XY[:2*n])
		dst[i-lo] = Select(d, k-1)
	}
	return nil
}

// Select returns the value that would be at index k if v were sorted
// ascending, reordering v (Hoare quickselect with a median-of-three pivot;
// runs of equal values, as duplicated facilities give, stay linear).
func Select(v []float64, k int) float64 {
	if k < 0 || k >= len(v) {
		panic("geo: Select: index out of range")
	}
	lo, hi := 0, len(v)-1
	for lo < hi {
		m := lo + (hi-lo)/2
		if v[m] < v[lo] {
			v[m], v[lo] = v[lo], v[m]
		}
		if v[hi] < v[lo] {
			v[hi], v[lo] = v[lo], v[hi]
		}
		if v[hi] < v[m] {
			v[hi], v[m] = v[m], v[hi]
		}
		pivot := v[m]
		i, j := lo, hi
		for i <= j {
			for v[i] < pivot {
				i++
			}
			for v[j] > pivot {
				j--
			}
			if i <= j {
				v[i], v[j] = v[j], v[i]
				i++
				j--
			}
		}
		switch {
		case k <= j:
			hi = j
		case k >= i:
			lo = i
		default:
			return v[k]
		}
	}
	return v[k]
}
