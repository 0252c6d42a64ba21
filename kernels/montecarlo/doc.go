// Package montecarlo estimates pi by sampling points in the unit square and
// counting those inside the quarter circle x² + y² < 1. It is pure: the random
// stream is passed in, so a run is reproducible for a given seed and stream.
//
// Rand is wyrand (Wang Yi's 64-bit generator: a Weyl sequence mixed by one
// 128-bit multiplication), about a nanosecond per draw. NewRand(seed, stream)
// starts stream number stream of seed (one stream per rank) at an offset
// hashed from both, so ranks draw from far-apart places of the 2^64 cycle.
//
// Hits uses one 64-bit draw per point: two 31-bit integer coordinates x and y,
// the point (x/2^31, y/2^31), inside when x² + y² < 2^62, all in exact integer
// arithmetic. HitsSource does the same over any math/rand/v2 Source, slower
// by an interface call per draw.
//
// A Rand is not safe for concurrent use; give each goroutine its own stream.
package montecarlo
