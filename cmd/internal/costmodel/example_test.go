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
