package montecarlo_test

import (
	"fmt"

	"github.com/gorun-dev/gorun/kernels/montecarlo"
)

// Rank 1 of 4 draws its share of 10^6 samples from its own stream of seed 42.
func Example() {
	const n, size, rank = 1_000_000, 4, 1
	r := montecarlo.NewRand(42, rank)
	m := montecarlo.Share(n, size, rank)
	hits := montecarlo.Hits(r, m)
	fmt.Printf("%d samples, pi ~ %.2f\n", m, montecarlo.Estimate(hits, m))
	// Output: 250000 samples, pi ~ 3.14
}
