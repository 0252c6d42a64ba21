package wordcount

import (
	"encoding/binary"
	"math/bits"
)

// The block path of the tokenizer, in the style of simdjson: a 64-byte block
// becomes a bitmask of its word bytes (ASCII letters and digits), computed
// eight bytes at a time with SWAR arithmetic and no per-byte branches; word
// starts and ends are bit tricks on that mask, visited with TrailingZeros64.
// A block holding any byte >= 0x80 is left to the rune-exact path of scan.

const (
	blockSize = 64
	// blockSlack is how many bytes must follow a block for the block path to
	// take it: a word starting at the block's last byte is loaded as two
	// 8-byte words.
	blockSlack = 16

	ones  = 0x0101010101010101
	highs = 0x8080808080808080
	lower = 0x20 * ones // OR-ed in, lowers ASCII letters and keeps digits
)

// wordBits8 returns a byte with bit j set where byte j of x (little-endian)
// is an ASCII letter or digit. Every byte of x must be < 0x80, so that no sum
// below carries out of its byte.
func wordBits8(x uint64) uint64 {
	// In-range test per byte: x+(0x80-lo) has the high bit set iff x >= lo,
	// x+(0x7f-hi) iff x > hi.
	digit := (x + (0x80-'0')*ones) &^ (x + (0x7f-'9')*ones)
	y := x | lower
	alpha := (y + (0x80-'a')*ones) &^ (y + (0x7f-'z')*ones)
	// Gather the eight high bits into the top byte (no two partial products
	// of the multiply overlap).
	return ((digit | alpha) & highs >> 7 * 0x0102040810204080) >> 56
}

// blockMasks returns the word-byte mask of the 64 bytes of b (bit j for
// b[j]), and a non-zero high when any of them is >= 0x80 (the mask then
// means nothing). Unrolled by hand: the compiler does not unroll loops.
func blockMasks(b *[blockSize]byte) (word, high uint64) {
	x0 := binary.LittleEndian.Uint64(b[0:])
	x1 := binary.LittleEndian.Uint64(b[8:])
	x2 := binary.LittleEndian.Uint64(b[16:])
	x3 := binary.LittleEndian.Uint64(b[24:])
	x4 := binary.LittleEndian.Uint64(b[32:])
	x5 := binary.LittleEndian.Uint64(b[40:])
	x6 := binary.LittleEndian.Uint64(b[48:])
	x7 := binary.LittleEndian.Uint64(b[56:])
	high = (x0 | x1 | x2 | x3 | x4 | x5 | x6 | x7) & highs
	word = wordBits8(x0) | wordBits8(x1)<<8 | wordBits8(x2)<<16 | wordBits8(x3)<<24 |
		wordBits8(x4)<<32 | wordBits8(x5)<<40 | wordBits8(x6)<<48 | wordBits8(x7)<<56
	return word, high
}

// scanBlocks counts the words of b from i on, a block at a time, while the
// blocks are ASCII and blockSlack bytes follow them. i must not be inside a
// word. It returns where it stopped, never inside a word (the start of a word
// still running, or of the block it could not take), and stop: the end of
// that block, or len(b) when it ran out of blocks. The caller counts on from
// next with the exact path, at least up to stop.
func (c *Counts) scanBlocks(b []byte, i int) (next, stop int) {
	run := -1 // start of a word running on into the next block, or -1
	if len(c.short) == 0 {
		c.growShort()
	}
	for ; i+blockSize+blockSlack <= len(b); i += blockSize {
		word, high := blockMasks((*[blockSize]byte)(b[i:]))
		if high != 0 {
			if run >= 0 {
				return run, i + blockSize
			}
			return i, i + blockSize
		}
		var carry uint64
		if run >= 0 {
			carry = 1
		}
		prev := word<<1 | carry // bit j: byte j-1 is a word byte
		starts := word &^ prev
		ends := prev &^ word // bit j: a word ends just before byte j
		if run >= 0 {
			if ends == 0 {
				continue // the word runs through this block
			}
			c.addASCII(b, run, i+bits.TrailingZeros64(ends))
			ends &= ends - 1
			run = -1
		}
		// Starts and ends now alternate; the last start may lack its end.
		for starts != 0 {
			s := i + bits.TrailingZeros64(starts)
			starts &= starts - 1
			if ends == 0 {
				run = s
				break
			}
			e := i + bits.TrailingZeros64(ends)
			ends &= ends - 1
			if n := e - s; n <= 8 { // addASCII's fast path, by hand: it does not inline
				k := (binary.LittleEndian.Uint64(b[s:]) | lower) & (^uint64(0) >> (64 - 8*n))
				if sl := &c.short[c.shortHome(k)]; sl.key == k {
					sl.count++
					c.total++
					continue
				}
			}
			c.addASCII(b, s, e)
		}
	}
	if run >= 0 {
		return run, len(b)
	}
	return i, len(b)
}

// addASCII counts the word b[s:e] of ASCII letters and digits, lowered;
// b[s:s+16] must be in bounds. A word of up to 8 bytes found in its home
// slot is counted inline, without a call.
func (c *Counts) addASCII(b []byte, s, e int) {
	n := e - s
	if n <= 8 {
		k := (binary.LittleEndian.Uint64(b[s:]) | lower) & (^uint64(0) >> (64 - 8*n))
		if len(c.short) > 0 {
			if sl := &c.short[c.shortHome(k)]; sl.key == k {
				sl.count++
				c.total++
				return
			}
		}
		c.addShort(k, 1)
		return
	}
	c.addLonger(b, s, e)
}

// addLonger is addASCII for words of more than 8 bytes.
func (c *Counts) addLonger(b []byte, s, e int) {
	if n := e - s; n <= 16 {
		k1 := binary.LittleEndian.Uint64(b[s:]) | lower
		k2 := (binary.LittleEndian.Uint64(b[s+8:]) | lower) & (^uint64(0) >> (128 - 8*n))
		c.addMedium(k1, k2, 1)
		return
	}
	c.addWord(b[s:e], false)
}
