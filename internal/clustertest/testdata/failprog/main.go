// Command failprog is a rank that fails on demand, for the multi-host
// failure tests: "failprog MODE RANK" joins the world, passes a barrier,
// prints "ready", and then rank RANK fails as MODE says (exit3, panic,
// kill: SIGKILL itself) while every other rank blocks in a second barrier;
// with MODE hang, every rank waits for a message that never comes; MODE
// place prints where the rank runs (comm.Place) and exits. Before
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
