package wordcount

import (
	"fmt"
	"slices"
)

// Shuffle is one rank's side of a hash shuffle among p parts, built from the
// rank's own table in one pass: the words of the other parts encoded for
// sending, and the words of its own part as entries, to which the parts that
// arrive are added.
//
// It takes over the table it is built from: the counts of the own part's
// words there are replaced by their positions in the entries, so that an
// arriving word is found with one table lookup and no hashing for its part.
// Words the rank had not counted are indexed in a table of their own, so
// the large one never grows (a growth rehashes every word).
// AppendParts, Decode and AppendPartEntries instead encode every part, own
// included, and scan the table and hash every word twice (BenchmarkShuffle
// compares the two).
type Shuffle struct {
	part, p int
	table   *Counts
	fresh   Counts  // own mark of each word this rank had not counted
	text    []byte  // the own part's words back to back
	ends    []int   // end of entry i's word in text
	counts  []int64 // entry i's count
}

// ownMark turns an entry position into the value kept in the table's count,
// and back: negative, where counts are positive, so a received word that
// belongs to another part is noticed.
func ownMark(i int) int64    { return -int64(i) - 1 }
func ownIndex(v int64) int   { return int(-v - 1) }
func isOwnMark(v int64) bool { return v < 0 }

// NewShuffle appends the encoding (as AppendParts's) of every entry of c
// whose PartOf(word, p) is not part to dst[that part] (dst of length p;
// dst[part] is left alone), keeps part's entries, and returns the rank's
// side of the shuffle. c must not be used afterwards but through the
// Shuffle, or after Reset.
func NewShuffle(dst [][]byte, c *Counts, part, p int) *Shuffle {
	if part < 0 || part >= p || len(dst) != p {
		panic(fmt.Sprintf("wordcount: NewShuffle of part %d of %d into %d parts", part, p, len(dst)))
	}
	s := &Shuffle{part: part, p: p, table: c}
	guess := c.Len()/p + 1
	s.text = make([]byte, 0, 8*guess)
	s.ends = make([]int, 0, guess)
	s.counts = make([]int64, 0, guess)
	var buf [16]byte
	for i := range c.short {
		if sl := &c.short[i]; sl.key != 0 {
			k := partOfKeys(sl.key, 0, p)
			sl.count = s.route(dst, k, unpack(buf[:0], sl.key), sl.count)
		}
	}
	for i := range c.medium {
		if sl := &c.medium[i]; sl.k1 != 0 {
			k := partOfKeys(sl.k1, sl.k2, p)
			sl.count = s.route(dst, k, unpack(unpack(buf[:0], sl.k1), sl.k2), sl.count)
		}
	}
	for i, w := range c.longWords {
		c.longCounts[i] = s.route(dst, partOf([]byte(w), p), []byte(w), c.longCounts[i])
	}
	return s
}

// route encodes (w, n) into dst[k], or keeps it as an own entry when k is
// this part; it returns what the table keeps for w: n, or w's own mark.
func (s *Shuffle) route(dst [][]byte, k int, w []byte, n int64) int64 {
	if k != s.part {
		dst[k] = appendEntry(dst[k], w, n)
		return n
	}
	return s.keep(w, n)
}

// keep appends (w, n) to the own entries and returns w's own mark.
func (s *Shuffle) keep(w []byte, n int64) int64 {
	s.text = append(s.text, w...)
	s.ends = append(s.ends, len(s.text))
	s.counts = append(s.counts, n)
	return ownMark(len(s.counts) - 1)
}

// Add adds every entry encoded in b (a part another rank built for this
// one) to the own entries. A corrupt encoding, or a word of another part, is
// an error wrapping ErrCorrupt.
func (s *Shuffle) Add(b []byte) error {
	for len(b) > 0 {
		lo, hi, count, size, ok := entryAt(b)
		if !ok {
			return ErrCorrupt
		}
		if err := s.add(b[lo:hi], count); err != nil {
			return err
		}
		b = b[size:]
	}
	return nil
}

// add adds n to the own entry of word, appending one if word is new here.
func (s *Shuffle) add(word []byte, n int64) error {
	slot := countOf(s.table, word)
	if slot == nil {
		slot = countOf(&s.fresh, word)
	}
	switch {
	case slot == nil:
		s.fresh.Add(word, s.keep(word, n))
	case isOwnMark(*slot):
		s.counts[ownIndex(*slot)] += n
	default: // a word this rank counted for another part
		return fmt.Errorf("%w: %q does not belong to part %d of %d", ErrCorrupt, word, s.part, s.p)
	}
	return nil
}

// AppendEntries appends the own part's entries, in no particular order, to
// dst and returns the extended slice. Their words share one string.
func (s *Shuffle) AppendEntries(dst []Entry) []Entry {
	dst = slices.Grow(dst, len(s.counts))
	all := string(s.text)
	lo := 0
	for i, hi := range s.ends {
		dst = append(dst, Entry{Word: all[lo:hi], Count: s.counts[i]})
		lo = hi
	}
	return dst
}
