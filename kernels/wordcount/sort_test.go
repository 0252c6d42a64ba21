package wordcount

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

func TestSortOrder(t *testing.T) {
	es := []Entry{{"b", 2}, {"a", 1}, {"é", 2}, {"z", 2}, {"a", 3}, {"B", 2}}
	Sort(es)
	want := []Entry{{"a", 3}, {"B", 2}, {"b", 2}, {"z", 2}, {"é", 2}, {"a", 1}}
	if !slices.Equal(es, want) {
		t.Errorf("Sort = %v, want %v", es, want)
	}
}

func TestTopMatchesSort(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	var src []Entry
	for i := range 500 {
		src = append(src, Entry{Word: fmt.Sprint("w", rng.IntN(1000), "_", i), Count: rng.Int64N(20)})
	}
	sorted := slices.Clone(src)
	Sort(sorted)
	for _, k := range []int{-1, 0, 1, 2, 10, 499, 500, 1000} {
		t.Run(fmt.Sprint("k=", k), func(t *testing.T) {
			orig := slices.Clone(src)
			got := Top([]Entry{{"keep", 9}}, src, k)
			want := sorted
			if k > 0 && k < len(sorted) {
				want = sorted[:k]
			}
			if got[0] != (Entry{"keep", 9}) || !slices.Equal(got[1:], want) {
				t.Errorf("Top(k=%d) differs from the sorted prefix", k)
			}
			if !slices.Equal(src, orig) {
				t.Errorf("Top modified src")
			}
		})
	}
}

func TestWriteTSV(t *testing.T) {
	var b bytes.Buffer
	if err := WriteTSV(&b, []Entry{{"the", 10}, {"naïve", 1}}); err != nil {
		t.Fatal(err)
	}
	if got, want := b.String(), "the\t10\nnaïve\t1\n"; got != want {
		t.Errorf("WriteTSV = %q, want %q", got, want)
	}
}

// TestSortMatchesCompare checks the radix path of Sort against a comparison
// sort by Compare: shared 8-byte prefixes, 0 bytes, empty words, negative
// and huge counts.
func TestSortMatchesCompare(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 14))
	words := []string{"", "a", "a\x00", "a\x00b", "governme", "governmen", "government", "governments", "naïve", "é", "zzzzzzzzzz", "\xff"}
	for _, n := range []int{255, 256, 3000} {
		var es []Entry
		for i := range n {
			w := words[rng.IntN(len(words))]
			if i%3 == 0 {
				w += fmt.Sprint(rng.IntN(50))
			}
			count := rng.Int64N(5)
			switch i % 17 {
			case 0:
				count = -count
			case 1:
				count = 1<<62 + count
			case 2:
				count = -1 << 63
			}
			es = append(es, Entry{w, count})
		}
		want := slices.Clone(es)
		slices.SortFunc(want, Compare)
		Sort(es)
		if !slices.Equal(es, want) {
			t.Errorf("n=%d: Sort differs from slices.SortFunc(Compare)", n)
		}
	}
}
