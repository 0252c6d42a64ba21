package wordcount

import (
	"fmt"
	"maps"
	"testing"
)

// TestCountsTable checks the three parts of the table (packed words of up to
// 8 bytes, of 9 to 16, and the map) against a plain map, through growth and
// Reset.
func TestCountsTable(t *testing.T) {
	words := []string{"a", "ab", "abcdefgh", "abcdefghi", "a\x00b", "\x00", "naïve", "ü", "x",
		"abcdefghijklmnop", "abcdefghijklmnopq", "abcdefgh\x00", "abcdefghijk\x00m", "ABCDEFGHIJ", "abcdefghij",
		"abcdefghij\xff", "naïve-naïve"}
	for i := range 5000 { // forces several grows of the packed table
		words = append(words, fmt.Sprint("w", i), fmt.Sprint("long-word-", i))
	}
	var c Counts
	want := map[string]int64{}
	for round := range 3 {
		for i, w := range words {
			n := int64(i%7 + 1)
			if i%2 == 0 {
				c.Add([]byte(w), n)
			} else {
				c.AddString(w, n)
			}
			want[w] += n
		}
		t.Run(fmt.Sprint("round=", round), func(t *testing.T) {
			checkCounts(t, &c, want)
		})
	}
	t.Run("merge", func(t *testing.T) {
		var m Counts
		m.Add([]byte("a"), 100)
		m.Merge(&c)
		w2 := maps.Clone(want)
		w2["a"] += 100
		checkCounts(t, &m, w2)
	})
	t.Run("reset", func(t *testing.T) {
		c.Reset()
		checkCounts(t, &c, map[string]int64{})
		c.Add([]byte("again"), 2)
		checkCounts(t, &c, map[string]int64{"again": 2})
	})
}

func checkCounts(t *testing.T, c *Counts, want map[string]int64) {
	t.Helper()
	var total int64
	for w, n := range want {
		if got := c.Get(w); got != n {
			t.Errorf("Get(%q) = %d, want %d", w, got, n)
		}
		total += n
	}
	if got := c.Get("absent"); got != 0 {
		t.Errorf("Get(absent) = %d", got)
	}
	if c.Len() != len(want) || c.Total() != total {
		t.Errorf("Len, Total = %d, %d; want %d, %d", c.Len(), c.Total(), len(want), total)
	}
	if got := toMap(c); !maps.Equal(got, want) {
		t.Errorf("AppendEntries gives %d words, want %d", len(got), len(want))
	}
}

func TestCountsAddDoesNotAllocate(t *testing.T) {
	var c Counts
	short, medium, long := []byte("word"), []byte("a-longer-word"), []byte("a-much-longer-word")
	c.Add(short, 1)
	c.Add(medium, 1)
	c.Add(long, 1)
	if n := testing.AllocsPerRun(100, func() { c.Add(short, 1); c.Add(medium, 1); c.Add(long, 1) }); n != 0 {
		t.Errorf("Add of present words allocates %v times", n)
	}
}

// TestShortHomeUsesEveryByte checks that words differing only in their 7th
// and 8th bytes (a 6-letter word and its plural) get different home slots,
// as they did not when the hash ignored those bytes.
func TestShortHomeUsesEveryByte(t *testing.T) {
	var c Counts
	c.growShort()
	same, pairs := 0, 0
	for i := range 2000 {
		w := fmt.Sprintf("w%05d", i)
		k1, _, _ := pack(w)
		k2, _, _ := pack(w + "s")
		k3, _, _ := pack(w + "es")
		for _, k := range []uint64{k2, k3} {
			pairs++
			if c.shortHome(k1) == c.shortHome(k) {
				same++
			}
		}
	}
	if same > pairs/20 {
		t.Errorf("%d of %d word/plural pairs share a home slot of %d", same, pairs, len(c.short))
	}
}
