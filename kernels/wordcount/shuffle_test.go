package wordcount

import (
	"errors"
	"fmt"
	"maps"
	"strings"
	"testing"
)

// shuffleAll runs a p-rank shuffle of tables in one process: every rank
// builds its side, the parts are exchanged, and each rank's entries are
// returned.
func shuffleAll(t *testing.T, tables []*Counts) [][]Entry {
	t.Helper()
	p := len(tables)
	sent := make([][][]byte, p) // sent[from][to]
	sides := make([]*Shuffle, p)
	for r, c := range tables {
		sent[r] = make([][]byte, p)
		sides[r] = NewShuffle(sent[r], c, r, p)
		if sent[r][r] != nil {
			t.Fatalf("rank %d encoded its own part", r)
		}
	}
	got := make([][]Entry, p)
	for r, s := range sides {
		for from := range p {
			if from != r {
				if err := s.Add(sent[from][r]); err != nil {
					t.Fatalf("rank %d adding rank %d's part: %v", r, from, err)
				}
			}
		}
		got[r] = s.AppendEntries(nil)
	}
	return got
}

// TestShuffle checks that the parts together hold every word once with its
// global count, each in the part PartOf names, for words of every table
// (short, medium, long) and words only some ranks counted.
func TestShuffle(t *testing.T) {
	texts := []string{
		sample,
		"the the the naïve supercalifragilisticexpialidocious interdependence x",
		"only here and there: interdependence interdependence",
		"",
		sample + " " + sample + " unilaterally",
		"to be or not to be",
		"x y z",
	}
	for _, p := range []int{1, 2, 3, 4, 7} {
		t.Run(fmt.Sprint("ranks=", p), func(t *testing.T) {
			var want Counts
			tables := make([]*Counts, p)
			for r := range p {
				tables[r] = new(Counts)
				for i := r; i < len(texts); i += p {
					if err := Tokenize(tables[r], []byte(texts[i])); err != nil {
						t.Fatal(err)
					}
					if err := Tokenize(&want, []byte(texts[i])); err != nil {
						t.Fatal(err)
					}
				}
			}
			got := make(map[string]int64)
			for part, entries := range shuffleAll(t, tables) {
				for _, e := range entries {
					if _, dup := got[e.Word]; dup {
						t.Errorf("%q listed twice", e.Word)
					}
					got[e.Word] = e.Count
					if k := PartOf(e.Word, p); k != part {
						t.Errorf("%q on rank %d, PartOf says %d", e.Word, part, k)
					}
				}
			}
			if w := toMap(&want); !maps.Equal(got, w) {
				t.Errorf("shuffled counts %v, want %v", got, w)
			}
		})
	}
}

// TestShuffleAddCorrupt checks that a truncated encoding and a word of
// another part are errors, not silently wrong counts.
func TestShuffleAddCorrupt(t *testing.T) {
	newSide := func() *Shuffle {
		var c Counts
		Tokenize(&c, []byte(strings.Repeat("alpha beta gamma delta epsilon zeta eta theta ", 3)))
		return NewShuffle(make([][]byte, 2), &c, 0, 2)
	}
	for _, b := range [][]byte{{5, 'a'}, {1, 'a'}, {0x80}} {
		if err := newSide().Add(b); !errors.Is(err, ErrCorrupt) {
			t.Errorf("Add(%x) = %v, want ErrCorrupt", b, err)
		}
	}
	var foreign string // a word rank 0 counted that belongs to part 1
	for _, w := range strings.Fields("alpha beta gamma delta epsilon zeta eta theta") {
		if PartOf(w, 2) == 1 {
			foreign = w
			break
		}
	}
	if foreign == "" {
		t.Fatal("no word of part 1 in the sample")
	}
	err := newSide().Add(AppendEntry(nil, foreign, 1))
	if !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), foreign) {
		t.Errorf("Add(word of part 1) = %v, want ErrCorrupt naming %q", err, foreign)
	}
}

// TestPartOfKeysMatchesWords checks that partitioning a table's packed
// keys agrees with partitioning the words, for every word length.
func TestPartOfKeysMatchesWords(t *testing.T) {
	for n := 1; n <= 20; n++ {
		w := strings.Repeat("ab", 10)[:n]
		k1, k2, size := pack(w)
		for _, p := range []int{2, 3, 8} {
			want := PartOf(w, p)
			if size > 0 {
				if got := partOfKeys(k1, k2, p); got != want {
					t.Errorf("partOfKeys(%q, %d) = %d, PartOf %d", w, p, got, want)
				}
			}
			if got := partOf([]byte(w), p); got != want {
				t.Errorf("partOf(%q, %d) = %d, PartOf %d", w, p, got, want)
			}
		}
	}
}

func TestUnpack(t *testing.T) {
	for _, w := range []string{"a", "ab", "abcdefg", "abcdefgh", "naïve"} {
		k1, _, _ := pack(w)
		if got := string(unpack([]byte("x"), k1)); got != "x"+w {
			t.Errorf("unpack(pack(%q)) = %q", w, got)
		}
	}
}
