// Command failprog is a rank that fails on demand, for the multi-host
// failure tests: "failprog MODE RANK" joins the world, passes a barrier,
// prints "ready", and then rank RANK fails as MODE says (exit3, panic,
// kill: SIGKILL itself) while every other rank blocks in a second barrier;
// with MODE hang, every rank waits for a message that never comes; MODE
// place prints where the rank runs (comm.Place) and exits; MODE loop
// with RANK S runs checked Allreduces for S seconds. Before
// failing it prints "failing at T"
// (T: Unix nanoseconds), so a test can time the job's end from there.
package main

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"syscall"
	"time"

	"github.com/gorun-dev/gorun/comm"
)

func main() {
	mode := os.Args[1]
	who, _ := strconv.Atoi(os.Args[2])
	comm.Main(func(ctx context.Context, c *comm.Comm) error {
		if mode == "place" {
			p := c.Place()
			fmt.Printf("place %d/%d %d/%d\n", p.LocalRank, p.LocalSize, p.Node, p.Nodes)
			return nil
		}
		if err := c.Barrier(ctx); err != nil {
			return err
		}
		fmt.Println("ready")
		if mode == "loop" {
			return loop(ctx, c, time.Duration(who)*time.Second)
		}
		if c.Rank() == who {
			fmt.Printf("failing at %d\n", time.Now().UnixNano())
			os.Stdout.Sync()
			switch mode {
			case "exit3":
				os.Exit(3)
			case "panic":
				panic("failprog: as asked")
			case "kill":
				syscall.Kill(os.Getpid(), syscall.SIGKILL)
			}
		}
		if mode == "hang" {
			var b []byte // a message no rank sends
			_, err := c.Recv(ctx, (c.Rank()+1)%c.Size(), 99, &b)
			return err
		}
		return c.Barrier(ctx)
	})
}

// loop runs Allreduces for about d (rank 0's clock decides, so every rank
// makes the same number of calls) and checks every sum.
func loop(ctx context.Context, c *comm.Comm, d time.Duration) error {
	end := time.Now().Add(d)
	n := c.Size()
	for i := 0; ; i++ {
		sum, err := comm.Allreduce(ctx, c, int64(c.Rank()+i), comm.Sum)
		if err != nil {
			return err
		}
		if want := int64(n*(n-1)/2 + n*i); sum != want {
			return fmt.Errorf("call %d: sum %d, want %d", i, sum, want)
		}
		more := time.Now().Before(end)
		if err := comm.Bcast(ctx, c, 0, &more); err != nil {
			return err
		}
		if !more {
			fmt.Printf("loop: %d calls\n", i+1)
			return nil
		}
		time.Sleep(10 * time.Millisecond)
	}
}
