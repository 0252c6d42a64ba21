package montecarlo

import (
	"math/bits"
	"math/rand/v2"
)

// Rand is a wyrand pseudo-random generator. Its zero value is a valid stream
// (seed 0 without hashing); use NewRand for independent streams.
type Rand struct {
	state uint64
}

const (
	wyP0 = 0xa0761d6478bd642f
	wyP1 = 0xe7037ed1a0b428db
)

// NewRand returns stream number stream of seed: the same (seed, stream) gives
// the same draws on every platform.
func NewRand(seed, stream uint64) *Rand {
	return &Rand{state: splitmix(splitmix(seed) ^ splitmix(stream+0x5851f42d4c957f2d))}
}

// Uint64 returns the next 64 pseudo-random bits. It makes *Rand a
// math/rand/v2 Source.
func (r *Rand) Uint64() uint64 {
	r.state += wyP0
	hi, lo := bits.Mul64(r.state, r.state^wyP1)
	return hi ^ lo
}

var _ rand.Source = (*Rand)(nil)

// splitmix is the SplitMix64 finaliser, used to spread seeds.
func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ x>>30) * 0xbf58476d1ce4e5b9
	x = (x ^ x>>27) * 0x94d049bb133111eb
	return x ^ x>>31
}

// Hits draws n points from r and returns how many fall inside the quarter
// circle. n <= 0 draws nothing.
func Hits(r *Rand, n int64) int64 {
	s := r.state
	var hits int64
	for range n {
		s += wyP0
		hi, lo := bits.Mul64(s, s^wyP1)
		hits += inside(hi ^ lo)
	}
	r.state = s
	return hits
}

// HitsSource is Hits over any source of random bits.
func HitsSource(src rand.Source, n int64) int64 {
	var hits int64
	for range n {
		hits += inside(src.Uint64())
	}
	return hits
}

// inside maps one 64-bit draw to a point of two 31-bit coordinates and
// returns 1 when x² + y² < 2^62, else 0, without a branch.
func inside(v uint64) int64 {
	x := v >> 33
	y := v & (1<<31 - 1)
	return int64((x*x + y*y - 1<<62) >> 63)
}

// Estimate returns 4 * hits / n, the estimate of pi.
func Estimate(hits, n int64) float64 {
	if n <= 0 {
		return 0
	}
	return 4 * float64(hits) / float64(n)
}

// Share returns how many of n samples rank r of size ranks draws: n/size, plus
// one for the first n%size ranks.
func Share(n int64, size, r int) int64 {
	q, m := n/int64(size), n%int64(size)
	if int64(r) < m {
		return q + 1
	}
	return q
}
