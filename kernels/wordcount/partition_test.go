package wordcount

import (
	"errors"
	"fmt"
	"maps"
	"testing"
)

func TestPartitionRoundTrip(t *testing.T) {
	var c Counts
	if err := Tokenize(&c, []byte(sample+" "+sample+" the the the")); err != nil {
		t.Fatal(err)
	}
	want := toMap(&c)
	for _, p := range []int{1, 2, 3, 7} {
		t.Run(fmt.Sprint("parts=", p), func(t *testing.T) {
			parts := c.AppendParts(nil, p)
			if len(parts) != p {
				t.Fatalf("%d parts, want %d", len(parts), p)
			}
			var all Counts
			for i, b := range parts {
				var part Counts
				if err := Decode(&part, b); err != nil {
					t.Fatal(err)
				}
				for _, e := range part.AppendEntries(nil) {
					if got := PartOf(e.Word, p); p > 1 && got != i {
						t.Errorf("%q in part %d, PartOf says %d", e.Word, i, got)
					}
				}
				all.Merge(&part)
			}
			if got := toMap(&all); !maps.Equal(got, want) {
				t.Errorf("decoded %v, want %v", got, want)
			}
			if all.Total() != c.Total() {
				t.Errorf("Total = %d, want %d", all.Total(), c.Total())
			}
		})
	}
}

// TestPartOfSpread checks the spread of words of each packing: short (up to
// 8 bytes), medium (9 to 16) and long.
func TestPartOfSpread(t *testing.T) {
	for _, prefix := range []string{"w", "medium-w", "a-rather-long-word-"} {
		t.Run(prefix, func(t *testing.T) { testPartOfSpread(t, prefix) })
	}
}

func testPartOfSpread(t *testing.T, prefix string) {
	const p, n = 4, 4000
	var hist [p]int
	for i := range n {
		k := PartOf(fmt.Sprint(prefix, i), p)
		if k < 0 || k >= p {
			t.Fatalf("PartOf = %d, outside [0, %d)", k, p)
		}
		hist[k]++
	}
	for k, h := range hist {
		if h < n/p*8/10 || h > n/p*12/10 {
			t.Errorf("part %d has %d of %d words: hash spreads badly %v", k, h, n, hist)
		}
	}
}

func TestDecodeCorrupt(t *testing.T) {
	good := AppendEntry(nil, "word", 300)
	tests := map[string][]byte{
		"truncated word":  good[:3],
		"missing count":   good[:5],
		"length too long": {0xff, 0xff, 0xff, 0x7f, 'a'},
	}
	for name, b := range tests {
		t.Run(name, func(t *testing.T) {
			var c Counts
			if err := Decode(&c, b); !errors.Is(err, ErrCorrupt) {
				t.Errorf("Decode(%x) = %v, want ErrCorrupt", b, err)
			}
		})
	}
}
