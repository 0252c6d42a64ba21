package wordcount

import (
	"encoding/binary"
	"math/bits"
)

// The two packed tables of Counts: open addressing with linear probing, at
// most half full, keyed by a word's bytes packed little-endian into one
// uint64 (words of 1 to 8 bytes) or two (9 to 16 bytes). No word byte is 0,
// so a packed key is its word, and key 0 (k1 0) marks an empty slot.

// shortSlot is one slot of the table of words up to 8 bytes.
type shortSlot struct {
	key   uint64
	count int64
}

// mediumSlot is one slot of the table of words of 9 to 16 bytes: k1 holds
// bytes 0-7, k2 the rest.
type mediumSlot struct {
	k1, k2 uint64
	count  int64
}

// pack packs word into keys and returns its size in uint64 keys: 1 for 1 to 8
// bytes, 2 for 9 to 16, or 0 when word is empty, longer or holds a 0 byte.
func pack[T string | []byte](word T) (k1, k2 uint64, size int) {
	if len(word) == 0 || len(word) > 16 {
		return 0, 0, 0
	}
	for i := 0; i < len(word); i++ {
		ch := word[i]
		if ch == 0 {
			return 0, 0, 0
		}
		if i < 8 {
			k1 |= uint64(ch) << (8 * i)
		} else {
			k2 |= uint64(ch) << (8 * (i - 8))
		}
	}
	if len(word) <= 8 {
		return k1, 0, 1
	}
	return k1, k2, 2
}

// unpack appends the word packed in key to dst: its low bytes up to the
// first 0 byte (a packed word has no 0 byte, so its bytes are the nonzero
// low ones).
func unpack(dst []byte, key uint64) []byte {
	n := len(dst) + 8 - bits.LeadingZeros64(key)/8
	return binary.LittleEndian.AppendUint64(dst, key)[:n]
}

// shortHome returns the first slot of key's probe sequence: the top bits of
// a multiplicative (Fibonacci) hash, which depend on every byte of the word.
// (The bits from 32 up, used before, ignore the 7th and 8th bytes: "people"
// and "peoples" shared a home slot.)
func (c *Counts) shortHome(key uint64) int {
	return int((key * 0x9E3779B97F4A7C15) >> homeShift(len(c.short)))
}

// mediumHome returns the first slot of (k1, k2)'s probe sequence.
func (c *Counts) mediumHome(k1, k2 uint64) int {
	return int(((k1*0x9E3779B97F4A7C15 ^ k2) * 0xC2B2AE3D27D4EB4F) >> homeShift(len(c.medium)))
}

// homeShift is the shift that leaves the top log2(n) bits of a uint64, for a
// table of n slots, n a power of two.
func homeShift(n int) uint {
	return uint(bits.LeadingZeros64(uint64(n-1))) & 63
}

// addShort adds n to the count of the packed word key.
func (c *Counts) addShort(key uint64, n int64) {
	c.total += n
	if len(c.short) > 0 {
		mask := len(c.short) - 1
		for j := c.shortHome(key); ; j = (j + 1) & mask {
			s := &c.short[j]
			if s.key == key {
				s.count += n
				return
			}
			if s.key == 0 {
				if 2*(c.nshort+1) <= len(c.short) {
					*s = shortSlot{key, n}
					c.nshort++
					return
				}
				break
			}
		}
	}
	c.growShort()
	c.placeShort(shortSlot{key, n})
	c.nshort++
}

// placeShort puts s into the first free slot of its probe sequence.
func (c *Counts) placeShort(s shortSlot) {
	mask := len(c.short) - 1
	j := c.shortHome(s.key)
	for c.short[j].key != 0 {
		j = (j + 1) & mask
	}
	c.short[j] = s
}

func (c *Counts) growShort() {
	old := c.short
	c.short = make([]shortSlot, max(1024, 2*len(old)))
	for _, s := range old {
		if s.key != 0 {
			c.placeShort(s)
		}
	}
}

// shortCount is where c keeps the count of the packed word key, or nil.
func (c *Counts) shortCount(key uint64) *int64 {
	if len(c.short) == 0 {
		return nil
	}
	mask := len(c.short) - 1
	for j := c.shortHome(key); ; j = (j + 1) & mask {
		switch s := &c.short[j]; s.key {
		case key:
			return &s.count
		case 0:
			return nil
		}
	}
}

// addMedium adds n to the count of the packed word (k1, k2).
func (c *Counts) addMedium(k1, k2 uint64, n int64) {
	c.total += n
	if len(c.medium) > 0 {
		mask := len(c.medium) - 1
		for j := c.mediumHome(k1, k2); ; j = (j + 1) & mask {
			s := &c.medium[j]
			if s.k1 == k1 && s.k2 == k2 {
				s.count += n
				return
			}
			if s.k1 == 0 {
				if 2*(c.nmedium+1) <= len(c.medium) {
					*s = mediumSlot{k1, k2, n}
					c.nmedium++
					return
				}
				break
			}
		}
	}
	c.growMedium()
	c.placeMedium(mediumSlot{k1, k2, n})
	c.nmedium++
}

// placeMedium puts s into the first free slot of its probe sequence.
func (c *Counts) placeMedium(s mediumSlot) {
	mask := len(c.medium) - 1
	j := c.mediumHome(s.k1, s.k2)
	for c.medium[j].k1 != 0 {
		j = (j + 1) & mask
	}
	c.medium[j] = s
}

func (c *Counts) growMedium() {
	old := c.medium
	c.medium = make([]mediumSlot, max(1024, 2*len(old)))
	for _, s := range old {
		if s.k1 != 0 {
			c.placeMedium(s)
		}
	}
}

// mediumCount is where c keeps the count of the packed word (k1, k2), or nil.
func (c *Counts) mediumCount(k1, k2 uint64) *int64 {
	if len(c.medium) == 0 {
		return nil
	}
	mask := len(c.medium) - 1
	for j := c.mediumHome(k1, k2); ; j = (j + 1) & mask {
		s := &c.medium[j]
		if s.k1 == k1 && s.k2 == k2 {
			return &s.count
		}
		if s.k1 == 0 {
			return nil
		}
	}
}
