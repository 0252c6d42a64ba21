package wordcount

import (
	"bufio"
	"cmp"
	"container/heap"
	"io"
	"slices"
	"strconv"
	"strings"
)

// Compare orders entries by count descending, then word ascending in byte
// order: the order of the output.
func Compare(a, b Entry) int {
	if c := cmp.Compare(b.Count, a.Count); c != 0 {
		return c
	}
	return strings.Compare(a.Word, b.Word)
}

// Sort sorts entries by Compare.
func Sort(entries []Entry) { slices.SortFunc(entries, Compare) }

// Top appends to dst the best k entries of src by Compare, in order, and
// returns the extended slice; k <= 0 or k >= len(src) appends all of src,
// sorted. src is not modified. Selection uses a k-entry heap: O(n log k).
func Top(dst, src []Entry, k int) []Entry {
	if k <= 0 || k >= len(src) {
		start := len(dst)
		dst = append(dst, src...)
		Sort(dst[start:])
		return dst
	}
	h := worstFirst(slices.Clone(src[:k]))
	heap.Init(&h)
	for _, e := range src[k:] {
		if Compare(e, h[0]) < 0 { // better than the worst kept
			h[0] = e
			heap.Fix(&h, 0)
		}
	}
	Sort(h)
	return append(dst, h...)
}

// worstFirst is a heap whose root is the worst entry by Compare.
type worstFirst []Entry

func (h worstFirst) Len() int           { return len(h) }
func (h worstFirst) Less(i, j int) bool { return Compare(h[i], h[j]) > 0 }
func (h worstFirst) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *worstFirst) Push(x any)        { *h = append(*h, x.(Entry)) }
func (h *worstFirst) Pop() any {
	old := *h
	e := old[len(old)-1]
	*h = old[:len(old)-1]
	return e
}

// WriteTSV writes entries as lines "word<TAB>count\n".
func WriteTSV(w io.Writer, entries []Entry) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	var line []byte
	for _, e := range entries {
		line = append(line[:0], e.Word...)
		line = append(line, '\t')
		line = strconv.AppendInt(line, e.Count, 10)
		line = append(line, '\n')
		if _, err := bw.Write(line); err != nil {
			return err
		}
	}
	return bw.Flush()
}
