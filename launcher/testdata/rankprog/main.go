// Command rankprog is the smallest SPMD program: it joins the world and
// passes one Barrier. BenchmarkLaunch times gorun starting it.
package main

import (
	"context"

	"github.com/gorun-dev/gorun/comm"
)

func main() {
	comm.Main(func(ctx context.Context, c *comm.Comm) error {
		return c.Barrier(ctx)
	})
}
