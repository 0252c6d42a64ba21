package costmodel_test

import (
	"fmt"

	"github.com/gorun-dev/gorun/cmd/internal/costmodel"
)

// Fit a link to ping-pong timings (one-way time by message size), then
// price a 1 MiB ring Allreduce on 8 ranks over it.
func ExampleFit() {
	samples := []costmodel.Sample{
		{Bytes: 8, Seconds: 30.0e-6},
		{Bytes: 8, Seconds: 29.9e-6},
		{Bytes: 8, Seconds: 95e-6}, // a hiccup: the median ignores it
		{Bytes: 64 << 10, Seconds: 95.536e-6},
		{Bytes: 1 << 20, Seconds: 1078.576e-6},
	}
	l, err := costmodel.Fit(samples)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("alpha %.1f us, beta %.0f MB/s, R² %.4f\n", l.Alpha*1e6, l.Beta/1e6, l.R2)
	p, _ := costmodel.Predict(costmodel.Allreduce, costmodel.Shape{Ranks: 8}, 1<<20, costmodel.Net{Intra: l})
	fmt.Printf("allreduce 1 MiB on 8 ranks: %s, %.0f us\n", p.Algorithm, p.Seconds*1e6)
	// Output:
	// alpha 30.0 us, beta 1000 MB/s, R² 1.0000
	// allreduce 1 MiB on 8 ranks: ring, 2255 us
}

// Price a 1 MiB Allreduce on 3 hosts x 2 ranks, flat and staged, over a
// fast link within each host and 1 Gbit/s between hosts: each host's two
// ranks run a ring of their own across the hosts on half the vector, so
// each ring step carries a sixth of it, in 4 steps instead of 10.
func ExamplePredict() {
	net := costmodel.Net{
		Intra: costmodel.Link{Alpha: 1e-6, Beta: 3e9},
		Inter: costmodel.Link{Alpha: 100e-6, Beta: 125e6},
	}
	for _, staged := range []bool{false, true} {
		s := costmodel.Shape{Ranks: 6, Nodes: 3, Staged: staged}
		p, err := costmodel.Predict(costmodel.Allreduce, s, 1<<20, net)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("%s: %.0f us\n", p.Algorithm, p.Seconds*1e6)
	}
	// Output:
	// ring: 14981 us
	// staged: reduce-scatter + rings + allgather: 6344 us
}
