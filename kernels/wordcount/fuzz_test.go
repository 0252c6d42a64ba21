package wordcount

import (
	"errors"
	"maps"
	"testing"
)

// FuzzDecode feeds arbitrary bytes, as a peer's shuffle part, to the three
// decoders: none panics, all accept or all reject, and what they accept is
// the same multiset of counts, none negative.
func FuzzDecode(f *testing.F) {
	var c Counts
	_ = Tokenize(&c, []byte("the quick brown fox jumps over the lazy dog naïve Guaidó 42"))
	parts := c.AppendParts(nil, 3)
	for _, p := range parts {
		f.Add(p)
	}
	f.Add(AppendEncoded(nil, []Entry{{Word: "a", Count: 1 << 62}, {Word: "a", Count: 1 << 62}}))
	f.Add([]byte{0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01})
	f.Fuzz(func(t *testing.T, b []byte) {
		var dec Counts
		errDecode := Decode(&dec, b)
		entries, errEntries := DecodeEntries(nil, b)
		sh := NewShuffle(make([][]byte, 1), &Counts{}, 0, 1)
		errShuffle := sh.Add(b)
		if (errDecode == nil) != (errEntries == nil) || (errDecode == nil) != (errShuffle == nil) {
			t.Fatalf("Decode: %v, DecodeEntries: %v, Shuffle.Add: %v", errDecode, errEntries, errShuffle)
		}
		if errDecode != nil {
			for _, err := range []error{errDecode, errEntries, errShuffle} {
				if !errors.Is(err, ErrCorrupt) {
					t.Fatalf("error %v does not wrap ErrCorrupt", err)
				}
			}
			return
		}
		sum := make(map[string]int64)
		for _, e := range entries {
			if e.Count < 0 {
				t.Fatalf("entry %q has count %d", e.Word, e.Count)
			}
			sum[e.Word] += e.Count
		}
		shuffled := make(map[string]int64)
		for _, e := range sh.AppendEntries(nil) {
			shuffled[e.Word] = e.Count
		}
		if got := toMap(&dec); !maps.Equal(got, sum) || !maps.Equal(shuffled, sum) {
			t.Fatalf("Decode %v, Shuffle.Add %v, DecodeEntries summed %v", got, shuffled, sum)
		}
	})
}
