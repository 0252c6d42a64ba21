package wordcount

import (
	"encoding/binary"
	"unicode"
	"unicode/utf8"
)

// Byte classes of the ASCII fast path.
const (
	clSep   = iota // ASCII, not a letter or digit: separates words
	clLower        // a-z, 0-9: part of a word, already lower-case
	clUpper        // A-Z: part of a word, needs lowering
	clMulti        // >= 0x80: a multi-byte rune to decode
)

// alnum reports the ASCII letters and digits.
var alnum = func() (t [256]bool) {
	for b := range 256 {
		t[b] = class[b] == clLower || class[b] == clUpper
	}
	return t
}()

var class = func() (t [256]uint8) {
	for b := range 256 {
		switch {
		case b >= 0x80:
			t[b] = clMulti
		case 'a' <= b && b <= 'z', '0' <= b && b <= '9':
			t[b] = clLower
		case 'A' <= b && b <= 'Z':
			t[b] = clUpper
		}
	}
	return t
}()

// IsWordRune reports whether r belongs to a word: a letter or a number.
func IsWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return class[r] != clSep
	}
	return unicode.IsLetter(r) || unicode.IsNumber(r)
}

// IsSeparatorByte reports whether b is an ASCII byte that separates words.
// Such a byte is always a rune boundary in valid UTF-8, which makes it a safe
// place to cut a file into ranges.
func IsSeparatorByte(b byte) bool { return class[b] == clSep }

// Tokenize counts the words of b into dst. On invalid UTF-8 it returns a
// *UTF8Error whose Offset is the index of the first bad byte in b (Name and
// Line are left for the caller, who knows them); words before it are counted.
func Tokenize(dst *Counts, b []byte) error {
	if _, bad := dst.scan(b, true); bad >= 0 {
		return &UTF8Error{Offset: int64(bad)}
	}
	return nil
}

// scan counts the words of b into c. Unless final, a word or an incomplete
// UTF-8 sequence that touches the end of b is left unconsumed: used is where
// it starts, for the caller to carry into the next buffer. bad is the index of
// the first invalid UTF-8 byte, or -1.
//
// ASCII blocks go through scanBlocks; the rest (blocks with a byte >= 0x80,
// and the last bytes of b) through scanExact, a rune at a time.
func (c *Counts) scan(b []byte, final bool) (used, bad int) {
	i := 0
	for {
		next, stop := c.scanBlocks(b, i)
		var done bool
		if i, bad, done = c.scanExact(b, next, stop, final); done {
			return i, bad
		}
	}
}

// scanExact counts the words of b from i on, i not inside a word, rune by
// rune, until it is at a word boundary at or after stop: it returns that
// boundary and done = false. Or it ends as scan does, with done = true: at
// len(b) (used = len(b)), at a word or rune to carry (used = its start), or
// at invalid UTF-8 (bad = its index).
func (c *Counts) scanExact(b []byte, i, stop int, final bool) (used, bad int, done bool) {
	for i < len(b) {
		if i >= stop {
			return i, -1, false
		}
		for i < len(b) && class[b[i]] == clSep {
			i++
		}
		if i == len(b) {
			break
		}
		if b[i] >= utf8.RuneSelf {
			r, size := utf8.DecodeRune(b[i:])
			if r == utf8.RuneError && size <= 1 {
				if !final && !utf8.FullRune(b[i:]) {
					return i, -1, true
				}
				return i, i, true
			}
			if !unicode.IsLetter(r) && !unicode.IsNumber(r) {
				i += size
				continue
			}
		}
		// A word starts at i: runs of ASCII letters and digits, joined by
		// non-ASCII letters and numbers.
		start := i
		multi := false
		for {
			for i < len(b) && alnum[b[i]] {
				i++
			}
			if i == len(b) || b[i] < utf8.RuneSelf {
				break
			}
			r, size := utf8.DecodeRune(b[i:])
			if r == utf8.RuneError && size <= 1 {
				if !final && !utf8.FullRune(b[i:]) {
					return start, -1, true
				}
				return start, i, true
			}
			if !unicode.IsLetter(r) && !unicode.IsNumber(r) {
				break
			}
			multi = true
			i += size
		}
		if i == len(b) && !final {
			return start, -1, true
		}
		if n := i - start; !multi && n <= 8 {
			// Pack up to 8 ASCII letters and digits: OR-ing 0x20 lowers
			// letters and leaves digits as they are.
			var v uint64
			if start+8 <= len(b) {
				v = binary.LittleEndian.Uint64(b[start:])
			} else {
				for j, ch := range b[start:i] {
					v |= uint64(ch) << (8 * j)
				}
			}
			c.addShort((v|0x2020202020202020)&(^uint64(0)>>(64-8*n)), 1)
			continue
		}
		c.addWord(b[start:i], multi)
	}
	return len(b), -1, true
}

// addWord counts one word of valid UTF-8, lowering it first.
func (c *Counts) addWord(w []byte, multi bool) {
	if multi {
		c.lower = appendLower(c.lower[:0], w)
	} else { // ASCII letters and digits only
		c.lower = append(c.lower[:0], w...)
		for j := range c.lower {
			c.lower[j] |= 0x20
		}
	}
	c.Add(c.lower, 1)
}

// appendLower appends the lower-case form of the valid UTF-8 word w to dst,
// rune by rune with unicode.ToLower, which is what strings.ToLower does.
func appendLower(dst, w []byte) []byte {
	for i := 0; i < len(w); {
		if ch := w[i]; ch < utf8.RuneSelf {
			if class[ch] == clUpper {
				ch += 'a' - 'A'
			}
			dst = append(dst, ch)
			i++
			continue
		}
		r, size := utf8.DecodeRune(w[i:])
		dst = utf8.AppendRune(dst, unicode.ToLower(r))
		i += size
	}
	return dst
}
