package wordcount

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"maps"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

const sample = "Fellow-Citizens of the Senate and House: it’s naïve, Guaidó! " +
	"1,000 U.S. don't a_b supercalifragilisticexpialidocious—well‑being 54°40\n" +
	"ΣΟΦΊΑ 中文字 x²½ end"

// TestCountRangeCovers cuts one text at random places and checks that the
// ranges together count exactly what the whole text counts.
func TestCountRangeCovers(t *testing.T) {
	text := []byte(strings.Repeat(sample+" ", 5))
	want := words(t, string(text))
	rng := rand.New(rand.NewPCG(1, 2))
	for _, bufSize := range []int{1, 3, 7, 64, DefaultBufferSize} {
		for _, ncut := range []int{0, 1, 2, 5, 40, len(text) - 1} {
			t.Run(fmt.Sprintf("buf=%d/cuts=%d", bufSize, ncut), func(t *testing.T) {
				cuts := []int64{0, int64(len(text))}
				for range ncut {
					cuts = append(cuts, rng.Int64N(int64(len(text))))
				}
				slicesSort(cuts)
				var c Counts
				buf := make([]byte, bufSize)
				for i := 1; i < len(cuts); i++ {
					if err := CountRange(&c, bytes.NewReader(text), int64(len(text)), cuts[i-1], cuts[i], buf); err != nil {
						t.Fatal(err)
					}
				}
				if got := toMap(&c); !maps.Equal(got, want) {
					t.Errorf("ranges at %v counted %v, want %v", cuts, got, want)
				}
			})
		}
	}
}

func slicesSort(s []int64) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

func TestCountRangeBounds(t *testing.T) {
	text := []byte("hello world")
	tests := []struct {
		name   string
		lo, hi int64
		want   map[string]int64
		err    bool
	}{
		{"whole", 0, 11, map[string]int64{"hello": 1, "world": 1}, false},
		{"inside first word owns it", 0, 2, map[string]int64{"hello": 1}, false},
		{"starting inside a word skips it", 2, 11, map[string]int64{"world": 1}, false},
		{"empty range inside a word", 7, 7, map[string]int64{}, false},
		{"empty range at 0", 0, 0, map[string]int64{}, false},
		{"range within one word", 7, 9, map[string]int64{}, false},
		{"hi beyond size", 0, 12, nil, true},
		{"lo after hi", 5, 4, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var c Counts
			err := CountRange(&c, bytes.NewReader(text), int64(len(text)), tt.lo, tt.hi, nil)
			if (err != nil) != tt.err {
				t.Fatalf("err = %v, want error %v", err, tt.err)
			}
			if !tt.err && !maps.Equal(toMap(&c), tt.want) {
				t.Errorf("got %v, want %v", toMap(&c), tt.want)
			}
		})
	}
}

func TestCountReaderLongWord(t *testing.T) {
	long := strings.Repeat("Ab", 1000)
	var c Counts
	if err := CountReader(&c, strings.NewReader("x "+long+" y "+long), make([]byte, 16)); err != nil {
		t.Fatal(err)
	}
	want := map[string]int64{"x": 1, "y": 1, strings.ToLower(long): 2}
	if got := toMap(&c); !maps.Equal(got, want) {
		t.Errorf("got %d words, want %v", len(got), len(want))
	}
}

func TestCountPieceInvalidUTF8(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "bad.txt")
	text := "line one\nline two\nthird \xff line\n"
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	size := int64(len(text))
	for _, p := range []Piece{{path, size, 0, size}, {path, size, 12, size}} {
		t.Run(fmt.Sprintf("lo=%d", p.Lo), func(t *testing.T) {
			var c Counts
			err := CountPiece(&c, p, make([]byte, 4))
			ue, ok := errors.AsType[*UTF8Error](err)
			if !ok {
				t.Fatalf("err = %v, want *UTF8Error", err)
			}
			if ue.Name != path || ue.Line != 3 || ue.Offset != 24 {
				t.Errorf("got %+v, want name %s line 3 offset 24", ue, path)
			}
			if msg := err.Error(); !strings.Contains(msg, path+":3:") || !strings.Contains(msg, "offset 24") {
				t.Errorf("message %q does not name file:line and offset", msg)
			}
		})
	}
}

func TestCountPieceMissingFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "nope.txt")
	var c Counts
	err := CountPiece(&c, Piece{Path: path, Size: 5, Hi: 5}, nil)
	if !errors.Is(err, os.ErrNotExist) || !strings.Contains(err.Error(), path) {
		t.Errorf("err = %v, want a not-exist error naming %s", err, path)
	}
}

func TestNextSeparator(t *testing.T) {
	text := []byte("abc—déf ghi") // "—" (3 bytes) and "é" (2 bytes): the space is at 10
	tests := []struct {
		off, want int64
	}{
		{0, 10}, // "—" separates words but is not an ASCII byte
		{4, 10}, // inside "—"
		{10, 10},
		{11, 14}, // no separator after: the size
	}
	for _, tt := range tests {
		got, err := NextSeparator(bytes.NewReader(text), int64(len(text)), tt.off)
		if err != nil || got != tt.want {
			t.Errorf("NextSeparator(%d) = %d, %v; want %d", tt.off, got, err, tt.want)
		}
	}
}

// repeatReader yields text over and over, n bytes in all.
type repeatReader struct {
	text []byte
	off  int
	n    int64
}

func (r *repeatReader) Read(p []byte) (int, error) {
	if r.n <= 0 {
		return 0, io.EOF
	}
	p = p[:min(int64(len(p)), r.n)]
	k := 0
	for k < len(p) {
		c := copy(p[k:], r.text[r.off:])
		k += c
		r.off = (r.off + c) % len(r.text)
	}
	r.n -= int64(k)
	return k, nil
}

// TestCountReaderBoundedMemory streams 8 MiB through a 256 KiB buffer and
// checks that counting allocates far less than the input: a large input
// never sits whole in memory.
func TestCountReaderBoundedMemory(t *testing.T) {
	const size = 8 << 20
	text := []byte(sample + " ")
	buf := make([]byte, 256<<10)
	var c Counts
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	if err := CountReader(&c, &repeatReader{text: text, n: size}, buf); err != nil {
		t.Fatal(err)
	}
	runtime.ReadMemStats(&after)
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 1<<20 {
		t.Errorf("counting %d MiB allocated %d bytes, want under 1 MiB", size>>20, alloc)
	}
	if got, want := c.Get("fellow"), int64(size/len(text)); got < want || got > want+1 {
		t.Errorf("fellow counted %d times, want about %d", got, want)
	}
}
