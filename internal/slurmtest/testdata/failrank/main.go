// Command failrank is a comm program whose last rank fails with exit
// status 3 while every other rank waits for it in a Barrier.
package main

import (
	"context"
	"errors"

	"github.com/gorun-dev/gorun/comm"
)

func main() {
	comm.Main(func(ctx context.Context, c *comm.Comm) error {
		if c.Rank() == c.Size()-1 {
			return comm.Exit(3, errors.New("failing on purpose"))
		}
		return c.Barrier(ctx)
	})
}
