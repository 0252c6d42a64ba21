package wordcount

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// corpus returns the benchmark text: the full SOTU corpus when present, the
// testdata speeches otherwise.
func corpus(b *testing.B) []byte {
	b.Helper()
	dir := sotuDir
	if _, err := os.Stat(dir); err != nil {
		dir = testText
	}
	names, err := filepath.Glob(filepath.Join(dir, "*.txt"))
	if err != nil || len(names) == 0 {
		b.Fatalf("no text in %s: %v", dir, err)
	}
	var all []byte
	for _, n := range names {
		t, err := os.ReadFile(n)
		if err != nil {
			b.Fatal(err)
		}
		all = append(append(all, t...), '\n')
	}
	return all
}

// BenchmarkTokenize is tokenizing and counting into a warm table (MB/s).
func BenchmarkTokenize(b *testing.B) {
	text := corpus(b)
	var c Counts
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		c.Reset()
		if err := Tokenize(&c, text); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCountReader adds reading through a 4 MiB buffer with carries.
func BenchmarkCountReader(b *testing.B) {
	text := corpus(b)
	buf := make([]byte, DefaultBufferSize)
	var c Counts
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		c.Reset()
		if err := CountReader(&c, bytes.NewReader(text), buf); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkShuffleEncode is encoding a corpus table into 4 parts and
// decoding them back.
func BenchmarkShuffleEncode(b *testing.B) {
	var c Counts
	if err := Tokenize(&c, corpus(b)); err != nil {
		b.Fatal(err)
	}
	parts := make([][]byte, 4)
	b.ReportMetric(float64(c.Len()), "words")
	for b.Loop() {
		for i := range parts {
			parts[i] = parts[i][:0]
		}
		parts = c.AppendParts(parts, 4)
		var m Counts
		for _, p := range parts {
			if err := Decode(&m, p); err != nil {
				b.Fatal(err)
			}
		}
	}
}

func BenchmarkTop(b *testing.B) {
	var c Counts
	if err := Tokenize(&c, corpus(b)); err != nil {
		b.Fatal(err)
	}
	es := c.AppendEntries(nil)
	for _, bc := range []struct {
		name string
		k    int
	}{{"k=10", 10}, {"all", 0}} {
		b.Run(bc.name, func(b *testing.B) {
			var dst []Entry
			for b.Loop() {
				dst = Top(dst[:0], es, bc.k)
			}
		})
	}
}

// BenchmarkShuffle is one rank's side of a 2-rank shuffle of the corpus
// counted in two halves (alternate lines, so that each holds most words, as
// each rank's share of a large input does), from its counted table to its
// partition's entries: NewShuffle, Add and AppendEntries ("shuffle"),
// against AppendParts, Decode and AppendPartEntries ("parts"), which encode
// every part and scan the table twice. The table is copied outside the
// timer.
func BenchmarkShuffle(b *testing.B) {
	var halves [2][]byte
	for i, line := range bytes.SplitAfter(corpus(b), []byte("\n")) {
		halves[i%2] = append(halves[i%2], line...)
	}
	var mine, peer Counts
	if err := Tokenize(&mine, halves[0]); err != nil {
		b.Fatal(err)
	}
	if err := Tokenize(&peer, halves[1]); err != nil {
		b.Fatal(err)
	}
	fromPeer := peer.AppendParts(nil, 2)[0]
	b.ReportMetric(float64(mine.Len()), "words")
	run := func(b *testing.B, side func(c *Counts) []Entry) {
		for b.Loop() {
			b.StopTimer()
			var c Counts
			c.Merge(&mine)
			b.StartTimer()
			if got := side(&c); len(got) == 0 {
				b.Fatal("no entries")
			}
		}
	}
	b.Run("shuffle", func(b *testing.B) {
		run(b, func(c *Counts) []Entry {
			parts := make([][]byte, 2)
			sh := NewShuffle(parts, c, 0, 2)
			if err := sh.Add(fromPeer); err != nil {
				b.Fatal(err)
			}
			return sh.AppendEntries(nil)
		})
	})
	b.Run("parts", func(b *testing.B) {
		run(b, func(c *Counts) []Entry {
			c.AppendParts(make([][]byte, 2), 2)
			if err := Decode(c, fromPeer); err != nil {
				b.Fatal(err)
			}
			return c.AppendPartEntries(nil, 0, 2)
		})
	})
}
