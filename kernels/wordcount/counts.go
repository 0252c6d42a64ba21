package wordcount

import "slices"

// Entry is one word and its count.
type Entry struct {
	Word  string
	Count int64
}

// Counts maps words to counts. The zero value is an empty table ready to use.
//
// It has three parts. A word of at most 8 bytes, none of them 0 (most words
// of any text), is packed little-endian into a uint64 key and counted in an
// open-addressing table of (key, count) slots, at most half full: one
// multiply and usually one cache line per word, no string hashing, comparison
// or allocation. A word of 9 to 16 bytes, none of them 0, is packed the same
// way into two uint64 keys and counted in a second such table. Longer words go
// through a Go map to an index into parallel word and count slices; its lookup
// m[string(b)] does not allocate either. Most words of a text fit the first
// two tables (BenchmarkTokenize; figures in docs/performance.md).
type Counts struct {
	short      []shortSlot // len 0 or a power of two
	nshort     int         // used slots of short
	medium     []mediumSlot
	nmedium    int
	long       map[string]int // index into longWords and longCounts
	longWords  []string
	longCounts []int64
	total      int64
	lower      []byte // scratch for lower-casing one word
}

// Add adds n to the count of word. It does not allocate when word is already
// present.
func (c *Counts) Add(word []byte, n int64) {
	switch k1, k2, size := pack(word); size {
	case 1:
		c.addShort(k1, n)
	case 2:
		c.addMedium(k1, k2, n)
	default:
		if i, ok := c.long[string(word)]; ok { // no allocation: compiler-optimised lookup
			c.longCounts[i] += n
			c.total += n
			return
		}
		c.insertLong(string(word), n)
	}
}

// AddString is Add for a string key.
func (c *Counts) AddString(word string, n int64) {
	switch k1, k2, size := pack(word); size {
	case 1:
		c.addShort(k1, n)
	case 2:
		c.addMedium(k1, k2, n)
	default:
		if i, ok := c.long[word]; ok {
			c.longCounts[i] += n
			c.total += n
			return
		}
		c.insertLong(word, n)
	}
}

func (c *Counts) insertLong(word string, n int64) {
	if c.long == nil {
		c.long = make(map[string]int)
	}
	c.long[word] = len(c.longWords)
	c.longWords = append(c.longWords, word)
	c.longCounts = append(c.longCounts, n)
	c.total += n
}

// Get returns the count of word (0 when absent).
func (c *Counts) Get(word string) int64 {
	if p := countOf(c, word); p != nil {
		return *p
	}
	return 0
}

// countOf is where c keeps the count of word, or nil when word is absent.
func countOf[T string | []byte](c *Counts, word T) *int64 {
	switch k1, k2, size := pack(word); size {
	case 1:
		return c.shortCount(k1)
	case 2:
		return c.mediumCount(k1, k2)
	}
	if i, ok := c.long[string(word)]; ok { // no allocation for a []byte word
		return &c.longCounts[i]
	}
	return nil
}

// Len is the number of distinct words.
func (c *Counts) Len() int { return c.nshort + c.nmedium + len(c.longWords) }

// Total is the sum of all counts (the number of words counted).
func (c *Counts) Total() int64 { return c.total }

// Merge adds every count of o to c.
func (c *Counts) Merge(o *Counts) {
	for _, s := range o.short {
		if s.key != 0 {
			c.addShort(s.key, s.count)
		}
	}
	for _, s := range o.medium {
		if s.k1 != 0 {
			c.addMedium(s.k1, s.k2, s.count)
		}
	}
	for i, w := range o.longWords {
		c.AddString(w, o.longCounts[i])
	}
}

// Reset empties c, keeping its storage.
func (c *Counts) Reset() {
	clear(c.short)
	c.nshort = 0
	clear(c.medium)
	c.nmedium = 0
	clear(c.long)
	clear(c.longWords) // let the strings go
	c.longWords = c.longWords[:0]
	c.longCounts = c.longCounts[:0]
	c.total = 0
}

// each calls fn on every (word, count) of c, in no particular order. word is
// only valid during the call.
func (c *Counts) each(fn func(word []byte, count int64)) {
	var buf [16]byte
	for _, s := range c.short {
		if s.key != 0 {
			fn(unpack(buf[:0], s.key), s.count)
		}
	}
	for _, s := range c.medium {
		if s.k1 != 0 {
			fn(unpack(unpack(buf[:0], s.k1), s.k2), s.count)
		}
	}
	for i, w := range c.longWords {
		fn([]byte(w), c.longCounts[i])
	}
}

// AppendEntries appends every (word, count) of c to dst, in no particular
// order, and returns the extended slice.
func (c *Counts) AppendEntries(dst []Entry) []Entry { return c.appendEntries(dst, 0, 1) }

// AppendPartEntries appends the (word, count) of c whose PartOf(word, p) is
// part to dst, in no particular order, and returns the extended slice.
func (c *Counts) AppendPartEntries(dst []Entry, part, p int) []Entry {
	if part < 0 || part >= p {
		panic("wordcount: AppendPartEntries of a part outside [0, p)")
	}
	return c.appendEntries(dst, part, p)
}

// appendEntries is AppendPartEntries. The words it appends share one string:
// one allocation instead of one per word.
func (c *Counts) appendEntries(dst []Entry, part, p int) []Entry {
	start := len(dst)
	dst = slices.Grow(dst, c.Len()/p+1)
	text := make([]byte, 0, 8*(c.Len()/p+1))
	ends := make([]int, 0, c.Len()/p+1)
	c.each(func(w []byte, n int64) {
		if p > 1 && partOf(w, p) != part {
			return
		}
		text = append(text, w...)
		ends = append(ends, len(text))
		dst = append(dst, Entry{Count: n})
	})
	all := string(text)
	lo := 0
	for i, hi := range ends {
		dst[start+i].Word = all[lo:hi]
		lo = hi
	}
	return dst
}
