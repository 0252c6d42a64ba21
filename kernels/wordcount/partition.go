package wordcount

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
)

// PartOf returns the partition, in [0, p), that word belongs to: the
// murmur3 finaliser of the word's packed keys (see Counts; one key for 1 to
// 8 bytes, two for 9 to 16), or of a 64-bit FNV-1a hash of a longer word's
// bytes, scaled to p. It is the same in every process and on every
// platform, so ranks in different processes agree on it. Hashing the packed
// keys lets a table's words be partitioned without unpacking them, and costs
// a few ns where FNV-1a cost about 40 per word.
func PartOf(word string, p int) int { return partOf([]byte(word), p) }

func partOf(word []byte, p int) int {
	if k1, k2, size := pack(word); size > 0 {
		return partOfKeys(k1, k2, p)
	}
	h := uint64(14695981039346656037)
	for _, ch := range word {
		h ^= uint64(ch)
		h *= 1099511628211
	}
	return scaleTo(fmix64(h), p)
}

// partOfKeys is partOf of the word packed in k1 and k2 (0 for a word of up
// to 8 bytes).
func partOfKeys(k1, k2 uint64, p int) int {
	return scaleTo(fmix64(k1^fmix64(k2)), p)
}

// fmix64 is murmur3's 64-bit finaliser: every input bit flips about half of
// the output bits. fmix64(0) is 0.
func fmix64(h uint64) uint64 {
	h ^= h >> 33
	h *= 0xff51afd7ed558ccd
	h ^= h >> 33
	h *= 0xc4ceb9fe1a85ec53
	h ^= h >> 33
	return h
}

// scaleTo maps the top 32 bits of h onto [0, p).
func scaleTo(h uint64, p int) int { return int((h >> 32) * uint64(p) >> 32) }

// AppendParts encodes the entries of c into p partitions by PartOf and appends
// part i to dst[i] (dst nil or of length p); it returns the p parts. The
// encoding of one entry is uvarint(len(word)) word uvarint(count).
func (c *Counts) AppendParts(dst [][]byte, p int) [][]byte {
	if p < 1 {
		panic("wordcount: AppendParts with fewer than one part")
	}
	if dst == nil {
		dst = make([][]byte, p)
	}
	if len(dst) != p {
		panic(fmt.Sprintf("wordcount: AppendParts into %d parts, want %d", len(dst), p))
	}
	c.each(func(w []byte, n int64) {
		k := 0
		if p > 1 {
			k = partOf(w, p)
		}
		dst[k] = appendEntry(dst[k], w, n)
	})
	return dst
}

// AppendEntry appends the encoding of one (word, count) to dst.
func AppendEntry(dst []byte, word string, count int64) []byte {
	return appendEntry(dst, []byte(word), count)
}

func appendEntry(dst, word []byte, count int64) []byte {
	dst = binary.AppendUvarint(dst, uint64(len(word)))
	dst = append(dst, word...)
	return binary.AppendUvarint(dst, uint64(count))
}

// AppendEncoded appends the encoding of entries to dst.
func AppendEncoded(dst []byte, entries []Entry) []byte {
	for _, e := range entries {
		dst = AppendEntry(dst, e.Word, e.Count)
	}
	return dst
}

// ErrCorrupt reports encoded counts that do not decode.
var ErrCorrupt = errors.New("wordcount: corrupt encoded counts")

// Decode adds every entry encoded in b (by AppendParts, AppendEntry or
// AppendEncoded; concatenations of encodings are encodings) to dst.
func Decode(dst *Counts, b []byte) error {
	for len(b) > 0 {
		lo, hi, count, size, ok := entryAt(b)
		if !ok {
			return ErrCorrupt
		}
		dst.Add(b[lo:hi], count)
		b = b[size:]
	}
	return nil
}

// entryAt decodes the entry b begins with (appendEntry's encoding): its
// word is b[lo:hi], its count count, and it takes size bytes; ok is false
// when b does not begin with a whole entry or its count is past MaxInt64
// (no encoder writes one; it would read as negative). Offsets rather than a
// slice let callers cut the word from a string copy of b.
func entryAt(b []byte) (lo, hi int, count int64, size int, ok bool) {
	n, k := binary.Uvarint(b)
	if k <= 0 || n > uint64(len(b)-k) {
		return 0, 0, 0, 0, false
	}
	lo, hi = k, k+int(n)
	cnt, k := binary.Uvarint(b[hi:])
	if k <= 0 || cnt > math.MaxInt64 {
		return 0, 0, 0, 0, false
	}
	return lo, hi, int64(cnt), hi + k, true
}
