package comm_test

import (
	"context"
	"fmt"

	"github.com/gorun-dev/gorun/comm"
)

// In a goroutine world every rank writes through its own Stdout, whose
// lines carry the rank, as gorun's do in process mode. A line may be
// written in pieces: it goes out whole.
func ExampleComm_Stdout() {
	comm.Run(context.Background(), 3, func(ctx context.Context, c *comm.Comm) error {
		fmt.Fprint(c.Stdout(), "hello ")
		fmt.Fprintf(c.Stdout(), "from rank %d of %d\n", c.Rank(), c.Size())
		return nil
	})
	// Unordered output:
	// [rank 0] hello from rank 0 of 3
	// [rank 1] hello from rank 1 of 3
	// [rank 2] hello from rank 2 of 3
}
