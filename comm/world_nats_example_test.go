package comm_test

import (
	"context"
	"fmt"
	"sync"

	"github.com/gorun-dev/gorun/comm"
	"github.com/gorun-dev/gorun/comm/natsbus"
	"github.com/nats-io/nats.go"
)

// Two ranks join a job on an embedded bus, as two gorun rank processes
// would, with the launcher's ready barrier in between; then rank 0 sends
// rank 1 a slice.
func ExampleJoinNATS() {
	srv, err := natsbus.Start(natsbus.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer srv.Shutdown()

	// The launcher's side: listen for the ranks' ready requests.
	nc, err := nats.Connect(srv.URL(), nats.Token(srv.Token()))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer nc.Close()
	ready, err := natsbus.ListenReady(nc, "job1", 2)
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx := context.Background()
	go ready.Wait(ctx)

	var wg sync.WaitGroup
	for rank := range 2 {
		wg.Go(func() {
			c, err := comm.JoinNATS(ctx, comm.NATSConfig{URL: srv.URL(), Token: srv.Token(), Job: "job1", Rank: rank, Size: 2})
			if err != nil {
				fmt.Println(err)
				return
			}
			defer c.Close()
			if c.Rank() == 0 {
				err = c.Send(ctx, 1, 0, []float64{1.5, 2.5})
			} else {
				var v []float64
				if _, err = c.Recv(ctx, 0, 0, &v); err == nil {
					fmt.Printf("rank 1 of %d got %v\n", c.Size(), v)
				}
			}
			if err != nil {
				fmt.Println(err)
			}
		})
	}
	wg.Wait()
	// Output: rank 1 of 2 got [1.5 2.5]
}
