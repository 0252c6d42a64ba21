package wordcount

import (
	"errors"
	"maps"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// words returns the counts of Tokenize over s as a map.
func words(t *testing.T, s string) map[string]int64 {
	t.Helper()
	var c Counts
	if err := Tokenize(&c, []byte(s)); err != nil {
		t.Fatalf("Tokenize(%q): %v", s, err)
	}
	return toMap(&c)
}

func toMap(c *Counts) map[string]int64 {
	m := make(map[string]int64)
	for _, e := range c.AppendEntries(nil) {
		m[e.Word] = e.Count
	}
	return m
}

func TestTokenize(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want map[string]int64
	}{
		{"empty", "", map[string]int64{}},
		{"separators only", " \t\n.,;—’", map[string]int64{}},
		{"lower-cased", "The the THE tHe", map[string]int64{"the": 4}},
		{"contraction", "don't", map[string]int64{"don": 1, "t": 1}},
		{"curly contraction", "it’s", map[string]int64{"it": 1, "s": 1}},
		{"abbreviation", "U.S.", map[string]int64{"u": 1, "s": 1}},
		{"numbers", "1,000 and 2021", map[string]int64{"1": 1, "000": 1, "and": 1, "2021": 1}},
		{"underscore separates", "a_b __c", map[string]int64{"a": 1, "b": 1, "c": 1}},
		{"non-ASCII letters", "Guaidó naïve NICOLÁS", map[string]int64{"guaidó": 1, "naïve": 1, "nicolás": 1}},
		{"non-ASCII separators", "well‑being great—deal", map[string]int64{"well": 1, "being": 1, "great": 1, "deal": 1}},
		{"degree sign separates", "54°40", map[string]int64{"54": 1, "40": 1}},
		{"non-ASCII number", "x²½", map[string]int64{"x²½": 1}},
		{"Kelvin sign lowers to ASCII", "\u212Aelvin", map[string]int64{"kelvin": 1}},
		{"dotted capital I", "İstanbul", map[string]int64{strings.ToLower("İstanbul"): 1}},
		{"Greek", "ΣΟΦΊΑ σοφία", map[string]int64{"σοφία": 2}},
		{"CJK", "中文 字", map[string]int64{"中文": 1, "字": 1}},
		{"encoded U+FFFD is a separator", "a\uFFFDb", map[string]int64{"a": 1, "b": 1}},
		{"word at end", "end", map[string]int64{"end": 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := words(t, tt.in); !maps.Equal(got, tt.want) {
				t.Errorf("Tokenize(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

func TestTokenizeDoesNotModifyInput(t *testing.T) {
	in := []byte("Hello WORLD Ünïcode")
	orig := string(in)
	var c Counts
	if err := Tokenize(&c, in); err != nil {
		t.Fatal(err)
	}
	if string(in) != orig {
		t.Errorf("input changed to %q", in)
	}
}

func TestTokenizeInvalidUTF8(t *testing.T) {
	tests := []struct {
		name string
		in   string
		off  int64
	}{
		{"lone continuation byte", "ab \x80cd", 3},
		{"inside a word", "abc\xffdef", 3},
		{"truncated sequence at end", "abc \xe2\x80", 4},
		{"truncated then ASCII", "x\xe2\x80y", 1},
		{"overlong encoding", "ok \xc0\xaf", 3},
		{"surrogate", "a \xed\xa0\x80", 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var c Counts
			err := Tokenize(&c, []byte(tt.in))
			ue, ok := errors.AsType[*UTF8Error](err)
			if !ok {
				t.Fatalf("Tokenize(%q) error = %v, want *UTF8Error", tt.in, err)
			}
			if ue.Offset != tt.off {
				t.Errorf("Offset = %d, want %d", ue.Offset, tt.off)
			}
		})
	}
}

// TestLowerMatchesStrings checks appendLower against strings.ToLower for
// every letter or number rune.
func TestLowerMatchesStrings(t *testing.T) {
	var buf []byte
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if !utf8.ValidRune(r) || !IsWordRune(r) {
			continue
		}
		s := "A" + string(r) + "z"
		buf = appendLower(buf[:0], []byte(s))
		if want := strings.ToLower(s); string(buf) != want {
			t.Fatalf("lower(%U) = %q, want %q", r, buf, want)
		}
	}
}

// TestWordRuneMatchesUnicode checks the ASCII table against the definition.
func TestWordRuneMatchesUnicode(t *testing.T) {
	for r := rune(0); r < 0x3000; r++ {
		if got, want := IsWordRune(r), unicode.IsLetter(r) || unicode.IsNumber(r); got != want {
			t.Fatalf("IsWordRune(%U) = %v, want %v", r, got, want)
		}
	}
}

// FuzzTokenize compares the fast tokenizer with a plain rune loop of the
// definition.
func FuzzTokenize(f *testing.F) {
	for _, s := range []string{"", "Don't stop", "naïve Guaidó", "a_b", "\xff", "x\xe2\x80", "İΣ\u212A",
		strings.Repeat("Block PATH words, 0123456789 abcdefghijklmnopq; ", 4) + "naïve",
		strings.Repeat("x", 70) + "\xff" + strings.Repeat(" y", 40)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var c Counts
		err := Tokenize(&c, []byte(s))
		if !utf8.ValidString(s) {
			if err == nil {
				t.Fatalf("Tokenize(%q) accepted invalid UTF-8", s)
			}
			return
		}
		if err != nil {
			t.Fatalf("Tokenize(%q): %v", s, err)
		}
		if got, want := toMap(&c), reference(s); !maps.Equal(got, want) {
			t.Fatalf("Tokenize(%q) = %v, want %v", s, got, want)
		}
	})
}
