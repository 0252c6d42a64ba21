package comm_test

import (
	"context"
	"fmt"
	"os"

	"github.com/gorun-dev/gorun/comm"
)

// A rank that finds its input unusable ends the whole job at once, as
// MPI_Abort does: under gorun every rank stops and gorun exits 3, naming
// this rank. (No output is checked: AbortJob exits the process.)
func ExampleComm_AbortJob() {
	comm.Main(func(ctx context.Context, c *comm.Comm) error {
		if c.Rank() == 0 {
			if _, err := os.Stat("input.csv"); err != nil {
				c.AbortJob(3, fmt.Errorf("no input: %w", err))
			}
		}
		return c.Barrier(ctx)
	})
}
