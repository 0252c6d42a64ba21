package wordcount

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

func TestDecodeEntriesRoundTrip(t *testing.T) {
	es := []Entry{{"the", 10}, {"naïve", 1}, {"supercalifragilisticexpialidocious", 3}, {"", 0}, {"a", 1 << 40}}
	got, err := DecodeEntries([]Entry{{"keep", 1}}, AppendEncoded(nil, es))
	if err != nil {
		t.Fatal(err)
	}
	if want := append([]Entry{{"keep", 1}}, es...); !slices.Equal(got, want) {
		t.Errorf("DecodeEntries = %v, want %v", got, want)
	}
	enc := AppendEncoded(nil, es)
	for _, bad := range [][]byte{enc[:len(enc)-1], {5, 'a'}, {0x80}, {1, 'a', 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01}} {
		if _, err := DecodeEntries(nil, bad); !errors.Is(err, ErrCorrupt) {
			t.Errorf("DecodeEntries(%q) error = %v, want ErrCorrupt", bad, err)
		}
	}
}

// TestMergeSortedMatchesSort splits a table into sorted runs and checks that
// merging them gives the sorted whole, and its first k with k > 0.
func TestMergeSortedMatchesSort(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	var all []Entry
	for i := range 3000 {
		all = append(all, Entry{Word: fmt.Sprint("w", rng.IntN(500), "_", i), Count: rng.Int64N(30)})
	}
	sorted := slices.Clone(all)
	Sort(sorted)
	for _, nruns := range []int{1, 2, 3, 7, 16} {
		runs := make([][]Entry, nruns)
		for _, e := range all {
			r := PartOf(e.Word, nruns)
			runs[r] = append(runs[r], e)
		}
		runs = append(runs, nil) // an empty run
		for _, r := range runs {
			Sort(r)
		}
		for _, k := range []int{0, 1, 10, 2999, 3000, 5000} {
			t.Run(fmt.Sprintf("runs=%d/k=%d", nruns, k), func(t *testing.T) {
				got := MergeSorted([]Entry{{"keep", 1}}, runs, k)
				want := sorted
				if k > 0 && k < len(want) {
					want = want[:k]
				}
				if got[0] != (Entry{"keep", 1}) || !slices.Equal(got[1:], want) {
					t.Errorf("MergeSorted differs from Sort (%d entries, want %d)", len(got)-1, len(want))
				}
			})
		}
	}
}

func TestAppendPartEntries(t *testing.T) {
	var c Counts
	if err := Tokenize(&c, []byte(blockText(rand.New(rand.NewPCG(11, 12)), 4000, 20, 9))); err != nil {
		t.Fatal(err)
	}
	whole := toMap(&c)
	for _, p := range []int{1, 2, 5} {
		got := make(map[string]int64)
		for part := range p {
			for _, e := range c.AppendPartEntries(nil, part, p) {
				if PartOf(e.Word, p) != part {
					t.Fatalf("p=%d: %q in part %d, PartOf says %d", p, e.Word, part, PartOf(e.Word, p))
				}
				if _, dup := got[e.Word]; dup {
					t.Fatalf("p=%d: %q twice", p, e.Word)
				}
				got[e.Word] = e.Count
			}
		}
		if !maps.Equal(got, whole) {
			t.Errorf("p=%d: the parts hold %d words, the table %d", p, len(got), len(whole))
		}
	}
}

// TestWriteMergedTSV checks that merging own entries with encoded runs
// straight into TSV writes what decoding, MergeSorted and WriteTSV write,
// and that a corrupt run is an error naming it.
func TestWriteMergedTSV(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	var all []Entry
	for i := range 2000 {
		all = append(all, Entry{Word: fmt.Sprint("w", rng.IntN(300), "_", i), Count: rng.Int64N(20)})
	}
	for _, nruns := range []int{1, 2, 3, 8} {
		runs := make([][]Entry, nruns+1) // the last one empty
		for _, e := range all {
			r := PartOf(e.Word, nruns)
			runs[r] = append(runs[r], e)
		}
		var enc [][]byte
		for i, r := range runs {
			Sort(r)
			if i > 0 {
				enc = append(enc, AppendEncoded(nil, r))
			}
		}
		for _, k := range []int{0, 1, 17, 1999, 2000, 3000} {
			t.Run(fmt.Sprintf("runs=%d/k=%d", nruns, k), func(t *testing.T) {
				var want, got bytes.Buffer
				if err := WriteTSV(&want, MergeSorted(nil, runs, k)); err != nil {
					t.Fatal(err)
				}
				if err := WriteMergedTSV(&got, runs[0], enc, k); err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(got.Bytes(), want.Bytes()) {
					t.Errorf("WriteMergedTSV wrote %d bytes, decode+MergeSorted+WriteTSV %d", got.Len(), want.Len())
				}
			})
		}
	}
	good := AppendEncoded(nil, []Entry{{"a", 2}, {"b", 1}})
	for _, bad := range [][]byte{good[:len(good)-1], {5, 'a'}, {0x80}} {
		err := WriteMergedTSV(io.Discard, nil, [][]byte{good, bad}, 0)
		if !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), "run 1") {
			t.Errorf("corrupt run %q: error %v, want ErrCorrupt naming run 1", bad, err)
		}
	}
}
