package comm_test

import (
	"context"
	"fmt"

	"github.com/gorun-dev/gorun/comm"
)

// A global sum overlaps with local work: Iallreduce starts the sum and
// returns at once, the rank computes, and Wait collects the result.
// Several collectives may be outstanding, waited for in any order.
func ExampleIallreduce() {
	comm.Run(context.Background(), 4, func(ctx context.Context, c *comm.Comm) error {
		var total, maxRank int
		sum := comm.Iallreduce(ctx, c, c.Rank()+1, comm.Sum, &total)
		top := comm.Iallreduce(ctx, c, c.Rank(), comm.Max, &maxRank)

		local := 0
		for i := range 1000 { // work that needs neither result
			local += i
		}

		if _, err := comm.Waitall(ctx, []*comm.Request{top, sum}); err != nil {
			return err
		}
		if c.Rank() == 0 {
			fmt.Println("total", total, "max rank", maxRank, "local", local)
		}
		return nil
	})
	// Output: total 10 max rank 3 local 499500
}

// Ibarrier lets a rank go on working until every rank has arrived: it
// polls the request with Test between steps of its own.
func ExampleComm_Ibarrier() {
	comm.Run(context.Background(), 3, func(ctx context.Context, c *comm.Comm) error {
		req := c.Ibarrier(ctx)
		for {
			if _, done, err := req.Test(); err != nil || done {
				return err
			}
			// ... a step of local work ...
		}
	})
	fmt.Println("every rank arrived")
	// Output: every rank arrived
}

// Ibcast fills *v on every rank once the request completes.
func ExampleIbcast() {
	comm.Run(context.Background(), 3, func(ctx context.Context, c *comm.Comm) error {
		var config map[string]int
		if c.Rank() == 0 {
			config = map[string]int{"iterations": 10}
		}
		req := comm.Ibcast(ctx, c, 0, &config)
		if _, err := req.Wait(ctx); err != nil {
			return err
		}
		if c.Rank() == 2 {
			fmt.Println(config["iterations"])
		}
		return nil
	})
	// Output: 10
}
