package wordcount

import (
	"bufio"
	"fmt"
	"io"
)

// WriteMergedTSV writes what WriteTSV(w, MergeSorted(nil, runs, k)) writes,
// where runs are own and the decoded encoded runs (each AppendEncoded of
// entries sorted by Compare), without decoding them into entries or
// building the merged slice: entries go from the runs to the output one by
// one. A run that does not decode is an error wrapping ErrCorrupt that
// names its index in encoded (the output is then cut short).
func WriteMergedTSV(w io.Writer, own []Entry, encoded [][]byte, k int) error {
	h := make(cursorHeap, 0, 1+len(encoded))
	for i := -1; i < len(encoded); i++ {
		c := &cursor{run: i, own: own}
		if i >= 0 {
			c = &cursor{run: i, enc: encoded[i], text: string(encoded[i])}
		}
		ok, err := c.advance()
		if err != nil {
			return err
		}
		if ok {
			h = append(h, c)
		}
	}
	for i := len(h)/2 - 1; i >= 0; i-- {
		h.down(i)
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	var line []byte
	for n := 0; len(h) > 0 && (k <= 0 || n < k); n++ {
		line = appendTSVLine(line[:0], h[0].e)
		if _, err := bw.Write(line); err != nil {
			return err
		}
		ok, err := h[0].advance()
		if err != nil {
			return err
		}
		if !ok {
			h[0] = h[len(h)-1]
			h = h[:len(h)-1]
		}
		h.down(0)
	}
	return bw.Flush()
}

// cursor is a sorted run being merged: the rest of own, or of an encoded
// run whose words are cut from text, a copy of enc; e is its first entry.
type cursor struct {
	run  int // index in encoded; -1 for own
	e    Entry
	own  []Entry
	enc  []byte
	text string
	off  int
}

// advance moves e to the run's next entry, reporting false at its end.
func (c *cursor) advance() (bool, error) {
	if c.enc == nil {
		if len(c.own) == 0 {
			return false, nil
		}
		c.e, c.own = c.own[0], c.own[1:]
		return true, nil
	}
	if c.off == len(c.enc) {
		return false, nil
	}
	lo, hi, count, size, ok := entryAt(c.enc[c.off:])
	if !ok {
		return false, fmt.Errorf("wordcount: encoded run %d: %w", c.run, ErrCorrupt)
	}
	c.e = Entry{Word: c.text[c.off+lo : c.off+hi], Count: count}
	c.off += size
	return true, nil
}

// cursorHeap is a min-heap of runs by their first entries.
type cursorHeap []*cursor

func (h cursorHeap) down(i int) {
	for {
		least := i
		for _, c := range [2]int{2*i + 1, 2*i + 2} {
			if c < len(h) && Compare(h[c].e, h[least].e) < 0 {
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
