package wordcount

import (
	"bytes"
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// reference counts the words of valid UTF-8 s by the definition, a rune at a
// time: the oracle of the block tokenizer.
func reference(s string) map[string]int64 {
	want := make(map[string]int64)
	for _, w := range strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsNumber(r) }) {
		want[strings.ToLower(w)]++
	}
	return want
}

func TestWordBits8(t *testing.T) {
	for v := range 0x80 {
		for j := range 8 {
			in := []byte("........")
			in[j] = byte(v)
			x := uint64(0)
			for i, ch := range in {
				x |= uint64(ch) << (8 * i)
			}
			want := uint64(0)
			if alnum[v] {
				want = 1 << j
			}
			if got := wordBits8(x); got != want {
				t.Fatalf("wordBits8(%q) = %08b, want %08b", in, got, want)
			}
		}
	}
}

func TestBlockMasks(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for round := range 2000 {
		var b [blockSize]byte
		limit := 0x80
		if round%4 == 0 { // some blocks with high bytes
			limit = 0x100
		}
		for i := range b {
			b[i] = byte(rng.IntN(limit))
		}
		word, high := blockMasks(&b)
		wantHigh := false
		for _, ch := range b {
			wantHigh = wantHigh || ch >= 0x80
		}
		if (high != 0) != wantHigh {
			t.Fatalf("block %q: high = %x, want any high byte = %v", b[:], high, wantHigh)
		}
		if wantHigh {
			continue
		}
		for i, ch := range b {
			if got := word>>i&1 == 1; got != alnum[ch] {
				t.Fatalf("block %q: bit %d = %v, want %v", b[:], i, got, alnum[ch])
			}
		}
	}
}

// blockText is random text of words of 1 to maxLen letters and digits in
// mixed case, between runs of ASCII separators, with some non-ASCII words
// (every nonASCII-th word) and non-ASCII separators.
func blockText(rng *rand.Rand, n, maxLen, nonASCII int) string {
	const alpha = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	seps := []string{" ", "  ", "\n", ", ", ". ", "'", "_", "—", "\x00", "-"}
	var sb strings.Builder
	for i := range n {
		l := 1 + rng.IntN(maxLen)
		for range l {
			sb.WriteByte(alpha[rng.IntN(len(alpha))])
		}
		if nonASCII > 0 && i%nonASCII == 0 {
			sb.WriteString([]string{"é", "Ü", "中文", "Σ", "²"}[rng.IntN(5)])
			if rng.IntN(2) == 0 {
				sb.WriteString("ab")
			}
		}
		sb.WriteString(seps[rng.IntN(len(seps))])
	}
	return sb.String()
}

// TestTokenizeBlocks checks the block path against the definition: words of
// every length at every offset from a 64-byte block boundary, words running
// across one or more blocks, and non-ASCII words next to ASCII ones.
func TestTokenizeBlocks(t *testing.T) {
	t.Run("word length by offset", func(t *testing.T) {
		for l := 1; l <= 140; l++ {
			for off := range blockSize + 1 {
				word := strings.Repeat("Ab3", l)[:l]
				text := strings.Repeat(" ", off) + word + " x " + word + strings.Repeat(".", 100)
				if got, want := words(t, text), reference(text); !maps.Equal(got, want) {
					t.Fatalf("length %d at offset %d: got %v, want %v", l, off, got, want)
				}
			}
		}
	})
	t.Run("non-ASCII at block edges", func(t *testing.T) {
		for off := 50; off <= 80; off++ {
			for _, w := range []string{"abcé", "éabc", "naïve", "x—y", "ab中cd", "A\u212A"} {
				text := strings.Repeat("a", off) + w + strings.Repeat(" word", 30)
				if got, want := words(t, text), reference(text); !maps.Equal(got, want) {
					t.Fatalf("%q at offset %d: got %v, want %v", w, off, got, want)
				}
			}
		}
	})
	rng := rand.New(rand.NewPCG(5, 6))
	for _, tc := range []struct{ n, maxLen, nonASCII int }{
		{2000, 8, 0}, {2000, 20, 0}, {500, 90, 0}, {2000, 12, 7}, {2000, 12, 1},
	} {
		t.Run(fmt.Sprintf("random/n=%d/maxLen=%d/nonASCII=%d", tc.n, tc.maxLen, tc.nonASCII), func(t *testing.T) {
			text := blockText(rng, tc.n, tc.maxLen, tc.nonASCII)
			if got, want := words(t, text), reference(text); !maps.Equal(got, want) {
				t.Fatalf("got %d words, want %d", len(got), len(want))
			}
		})
	}
}

// TestCountReaderCarry reads block-path text through buffers of sizes around
// the block size and its slack, so that words and runes are carried from one
// buffer to the next at every position.
func TestCountReaderCarry(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	text := blockText(rng, 3000, 24, 11)
	want := reference(text)
	for _, size := range []int{1, 5, 63, 64, 65, 79, 80, 81, 96, 127, 128, 129, 1000, 4096} {
		t.Run(fmt.Sprint("buf=", size), func(t *testing.T) {
			var c Counts
			if err := CountReader(&c, strings.NewReader(text), make([]byte, size)); err != nil {
				t.Fatal(err)
			}
			if got := toMap(&c); !maps.Equal(got, want) {
				t.Errorf("got %d words, want %d", len(got), len(want))
			}
		})
	}
}

// TestInvalidUTF8Offsets puts one invalid byte (or truncated sequence) at
// every position of a mostly-ASCII text, inside words and between them, and
// checks that the error names exactly its offset, whole and through small
// buffers.
func TestInvalidUTF8Offsets(t *testing.T) {
	base := []byte(strings.Repeat("The quick brown fox jumps over the lazy dog naïve ", 6))
	for _, bad := range []string{"\xff", "\x80", "\xe2\x80", "\xc0\xaf"} {
		for pos := 0; pos <= len(base); pos += 3 {
			text := append(append(bytes.Clone(base[:pos]), bad...), base[pos:]...)
			for _, size := range []int{0, 7, 64, 100} {
				var c Counts
				var err error
				if size == 0 {
					err = Tokenize(&c, text)
				} else {
					err = CountReader(&c, bytes.NewReader(text), make([]byte, size))
				}
				ue, ok := errors.AsType[*UTF8Error](err)
				if !ok {
					t.Fatalf("%q at %d, buf %d: err = %v, want *UTF8Error", bad, pos, size, err)
				}
				if want := firstInvalid(text); ue.Offset != want {
					t.Fatalf("%q at %d, buf %d: offset %d, want %d", bad, pos, size, ue.Offset, want)
				}
			}
		}
	}
}

// firstInvalid is the index of the first byte of b that does not start a
// valid UTF-8 sequence.
func firstInvalid(b []byte) int64 {
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size <= 1 {
			return int64(i)
		}
		i += size
	}
	return -1
}
