package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"time"

	"github.com/gorun-dev/gorun/comm"
	"github.com/gorun-dev/gorun/comm/jobenv"
)

// failing is the fail scenario: rank victim fails in the way how once
// after has passed; the others wait on it in collectives and receives.
func failing(victim int, how string, after time.Duration, dir string) comm.RankFunc {
	return func(ctx context.Context, c *comm.Comm) error {
		start := time.Now()
		me := c.Rank() == victim
		for i := 0; ; i++ {
			if me && time.Since(start) >= after {
				return fail(c, how, dir)
			}
			if i%2 == 0 {
				if _, err := comm.Allreduce(ctx, c, int64(i), comm.Sum); err != nil {
					return err
				}
			} else if me {
				for r := range c.Size() {
					if r != victim {
						if err := c.Send(ctx, r, 0, int64(i)); err != nil {
							return err
						}
					}
				}
			} else {
				var v int64
				if _, err := c.Recv(ctx, victim, 0, &v); err != nil {
					return err
				}
				if v != int64(i) {
					return fmt.Errorf("round %d: received %d from rank %d", i, v, victim)
				}
			}
			if me {
				time.Sleep(time.Duration(rand.Int64N(int64(2 * time.Millisecond))))
			}
		}
	}
}

// fail records the moment and fails.
func fail(c *comm.Comm, how, dir string) error {
	if err := writeFile(dir, "failed", strconv.FormatInt(time.Now().UnixNano(), 10)); err != nil {
		return err
	}
	switch how {
	case "exit":
		if os.Getenv(jobenv.EnvMode) == jobenv.ModeProcesses {
			os.Exit(3)
		}
		return comm.Exit(3, fmt.Errorf("rank %d exits 3", c.Rank()))
	case "panic":
		panic(fmt.Sprintf("rank %d panics", c.Rank()))
	case "kill":
		if p, err := os.FindProcess(os.Getpid()); err == nil {
			p.Kill() // SIGKILL on Unix
		}
		select {}
	}
	return fmt.Errorf("rank %d fails", c.Rank())
}

// idle is the idle scenario: a receive nothing satisfies.
func idle(string) comm.RankFunc {
	return func(ctx context.Context, c *comm.Comm) error {
		var v int64
		_, err := c.Recv(ctx, comm.AnySource, 7, &v)
		return err
	}
}

// burst is the burst scenario: count numbered messages from every rank
// to rank 0.
func burst(count int, dir string) comm.RankFunc {
	return func(ctx context.Context, c *comm.Comm) error {
		if err := c.Barrier(ctx); err != nil {
			return err
		}
		if c.Rank() != 0 {
			for i := range count {
				if err := c.Send(ctx, 0, 1, []int64{int64(c.Rank()), int64(i)}); err != nil {
					return err
				}
			}
			return c.Barrier(ctx)
		}
		next := make([]int64, c.Size())
		want := count * (c.Size() - 1)
		got, reordered := 0, 0
		for range want {
			var m []int64
			st, err := c.Recv(ctx, comm.AnySource, 1, &m)
			if err != nil {
				return err
			}
			if len(m) != 2 || m[0] != int64(st.Source) || m[1] != next[st.Source] {
				reordered++
			}
			if len(m) == 2 && m[0] >= 0 && m[0] < int64(len(next)) {
				next[m[0]] = m[1] + 1
			}
			got++
			if got == 1 {
				if err := writeFile(dir, "receiving", ""); err != nil {
					return err
				}
			}
		}
		if err := writeFile(dir, "done", "done"); err != nil {
			return err
		}
		if err := c.Barrier(ctx); err != nil {
			return err
		}
		extra := 0
		for {
			_, ok, err := c.Iprobe(comm.AnySource, comm.AnyTag)
			if err != nil || !ok {
				break
			}
			var m any
			c.Recv(ctx, comm.AnySource, comm.AnyTag, &m)
			extra++
		}
		fmt.Printf("burst: received %d of %d, reordered %d, extra %d\n", got, want, reordered, extra)
		return nil
	}
}
