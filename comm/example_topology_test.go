package comm_test

import (
	"context"
	"fmt"

	"github.com/gorun-dev/gorun/comm"
)

// Six goroutine ranks treated as three hosts of two: the Allreduce runs in
// stages (within each pair, among the pairs' first ranks, back within each
// pair), as it would in a job spread over three hosts.
func ExampleComm_SetTopology() {
	err := comm.Run(context.Background(), 6, func(ctx context.Context, c *comm.Comm) error {
		if err := c.SetTopology(comm.TopologyAuto, []int{0, 0, 1, 1, 2, 2}); err != nil {
			return err
		}
		sum, err := comm.Allreduce(ctx, c, c.Rank()+1, comm.Sum)
		if err == nil && c.Rank() == 0 {
			fmt.Println("sum:", sum)
		}
		return err
	})
	if err != nil {
		fmt.Println(err)
	}
	// Output: sum: 21
}
