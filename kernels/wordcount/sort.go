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

// Sort sorts entries by Compare. Past a few hundred entries it radix-sorts
// keys of (count, first 8 bytes of the word) instead of comparing, and
// compares whole words only among keys that tie (see radixSort).
func Sort(entries []Entry) {
	if len(entries) < 256 {
		slices.SortFunc(entries, Compare)
		return
	}
	keys := make([]sortKey, len(entries))
	for i, e := range entries {
		keys[i] = sortKey{hi: ^(uint64(e.Count) ^ 1<<63), lo: prefix8(e.Word), i: i}
	}
	keys = radixSort(keys)
	for a := 0; a < len(keys); { // runs of equal keys: order by the whole word
		b := a + 1
		for b < len(keys) && keys[b].hi == keys[a].hi && keys[b].lo == keys[a].lo {
			b++
		}
		if b-a > 1 {
			slices.SortFunc(keys[a:b], func(x, y sortKey) int { return strings.Compare(entries[x.i].Word, entries[y.i].Word) })
		}
		a = b
	}
	sorted := make([]Entry, len(entries))
	for j, k := range keys {
		sorted[j] = entries[k.i]
	}
	copy(entries, sorted)
}

// sortKey orders an entry as Compare does, up to ties: hi ascending is count
// descending (sign bit flipped, then all bits), lo the first 8 bytes of the
// word, big-endian, padded with 0 bytes (which sort first).
type sortKey struct {
	hi, lo uint64
	i      int // index of the entry
}

// prefix8 returns the first 8 bytes of w as a big-endian number, padded with
// 0 bytes.
func prefix8(w string) uint64 {
	var p uint64
	for i := range 8 {
		p <<= 8
		if i < len(w) {
			p |= uint64(w[i])
		}
	}
	return p
}

// radixSort sorts keys by (hi, lo), least significant byte first, skipping
// the bytes where all keys agree (the high bytes of most counts), and returns
// the sorted slice (keys or a buffer of the same length).
func radixSort(keys []sortKey) []sortKey {
	var hist [16][256]int
	for _, k := range keys {
		for d := range 8 {
			hist[d][byte(k.lo>>(8*d))]++
			hist[8+d][byte(k.hi>>(8*d))]++
		}
	}
	buf := make([]sortKey, len(keys))
	for d := range 16 {
		h := &hist[d]
		if h[digit(keys[0], d)] == len(keys) {
			continue // one value: this pass would not move anything
		}
		var pos [256]int
		sum := 0
		for v, n := range h {
			pos[v] = sum
			sum += n
		}
		for _, k := range keys {
			v := digit(k, d)
			buf[pos[v]] = k
			pos[v]++
		}
		keys, buf = buf, keys
	}
	return keys
}

// digit is byte d of (hi, lo), 0 the least significant of lo.
func digit(k sortKey, d int) byte {
	if d < 8 {
		return byte(k.lo >> (8 * d))
	}
	return byte(k.hi >> (8 * (d - 8)))
}

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
		line = appendTSVLine(line[:0], e)
		if _, err := bw.Write(line); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// appendTSVLine appends e as "word<TAB>count\n" to line.
func appendTSVLine(line []byte, e Entry) []byte {
	line = append(line, e.Word...)
	line = append(line, '\t')
	line = strconv.AppendInt(line, e.Count, 10)
	return append(line, '\n')
}
