package wordcount

import "slices"

// DecodeEntries appends the entries encoded in b (by AppendEncoded), in
// their order, to dst and returns the extended slice. The words share one
// string holding a copy of b: one allocation, not one per entry.
func DecodeEntries(dst []Entry, b []byte) ([]Entry, error) {
	s := string(b)
	for off := 0; off < len(s); {
		lo, hi, count, size, ok := entryAt(b[off:])
		if !ok {
			return dst, ErrCorrupt
		}
		dst = append(dst, Entry{Word: s[off+lo : off+hi], Count: count})
		off += size
	}
	return dst, nil
}

// MergeSorted appends to dst the entries of runs, each sorted by Compare, in
// Compare order, and returns the extended slice; k > 0 keeps only the first
// k. Runs holding the same word twice keep both. It is a heap merge:
// O(n log len(runs)).
func MergeSorted(dst []Entry, runs [][]Entry, k int) []Entry {
	var h runHeap
	n := 0
	for _, r := range runs {
		if len(r) > 0 {
			h = append(h, r)
			n += len(r)
		}
	}
	if k > 0 {
		n = min(n, k)
	}
	dst = slices.Grow(dst, n)
	for i := len(h)/2 - 1; i >= 0; i-- {
		h.down(i)
	}
	for n := 0; len(h) > 0 && (k <= 0 || n < k); n++ {
		dst = append(dst, h[0][0])
		if h[0] = h[0][1:]; len(h[0]) == 0 {
			h[0] = h[len(h)-1]
			h = h[:len(h)-1]
		}
		h.down(0)
	}
	return dst
}

// runHeap is a min-heap of non-empty sorted runs, by their first entries.
type runHeap [][]Entry

func (h runHeap) down(i int) {
	for {
		least := i
		for _, c := range [2]int{2*i + 1, 2*i + 2} {
			if c < len(h) && Compare(h[c][0], h[least][0]) < 0 {
				least = c
			}
		}
		if least == i {
			return
		}
		h[i], h[least] = h[least], h[i]
		i = least
	}
}
