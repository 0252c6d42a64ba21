package comm_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorun-dev/gorun/comm"
	"github.com/gorun-dev/gorun/comm/natsworld"
)

// hybridWorld is a world of n ranks in procs simulated hybrid processes.
func hybridWorld(t *testing.T, n, procs int) []*comm.Comm {
	t.Helper()
	srv := natsBus(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	comms, err := natsworld.ConnectHybrid(ctx, srv.URL(), srv.Token(), "hybrid", n, procs)
	if err != nil {
		t.Fatal(err)
	}
	return comms
}

// A hybrid world spanning processes moves messages and shares values per
// process; one holding every rank shares memory as a goroutine world.
func TestHybridPlaceAndSharing(t *testing.T) {
	for _, tc := range []struct{ n, procs int }{{5, 2}, {6, 3}, {3, 1}} {
		t.Run(fmt.Sprintf("n=%d,procs=%d", tc.n, tc.procs), func(t *testing.T) {
			comms := hybridWorld(t, tc.n, tc.procs)
			var loads, decodes atomic.Int64
			err := comm.RunWorld(context.Background(), comms, func(ctx context.Context, c *comm.Comm) error {
				r, p := c.Rank(), c.Place()
				want := comm.Place{LocalRank: r / tc.procs, LocalSize: (tc.n - r%tc.procs + tc.procs - 1) / tc.procs,
					Node: r % tc.procs, Nodes: tc.procs}
				if p != want {
					return fmt.Errorf("Place %+v, want %+v", p, want)
				}
				if c.Mode() != "hybrid" || c.SharesMemory() != (tc.procs == 1) {
					return fmt.Errorf("Mode %q SharesMemory %v", c.Mode(), c.SharesMemory())
				}
				v, err := comm.Shared(ctx, c, "k", func() (*int, error) { loads.Add(1); x := r % tc.procs; return &x, nil })
				if err != nil || *v != r%tc.procs {
					return fmt.Errorf("Shared: %v, %v: a value of another process", *v, err)
				}
				if !c.SharesValues() {
					return fmt.Errorf("SharesValues false in a hybrid world")
				}
				b, err := comm.LoadOnce(ctx, c, "once", func() ([]byte, error) { return []byte("data"), nil },
					func(b []byte) ([]byte, error) { return b, nil },
					func(b []byte) ([]byte, error) { decodes.Add(1); return append([]byte(nil), b...), nil })
				if err != nil || string(b) != "data" {
					return fmt.Errorf("LoadOnce: %q, %v", b, err)
				}
				sum, err := comm.Allreduce(ctx, c, []int64{int64(r)}, comm.Sum)
				if err != nil || sum[0] != int64(tc.n*(tc.n-1)/2) {
					return fmt.Errorf("Allreduce %v, %v", sum, err)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if got := loads.Load(); got != int64(tc.procs) {
				t.Fatalf("Shared loaded %d times, want once per process (%d)", got, tc.procs)
			}
			if got, want := decodes.Load(), int64(max(tc.procs-1, 0)); tc.procs > 1 && got != want {
				t.Fatalf("LoadOnce decoded %d times, want once per process but rank 0's (%d)", got, want)
			}
		})
	}
}

// A hybrid world spanning processes runs its collectives in stages, each
// process's ranks one node with one leader, and every rank agrees; one
// holding every rank runs them flat, in shared memory.
func TestHybridCollectivesStaged(t *testing.T) {
	for _, tc := range []struct{ n, procs int }{{6, 3}, {9, 3}, {5, 2}, {4, 1}} {
		t.Run(fmt.Sprintf("n=%d,procs=%d", tc.n, tc.procs), func(t *testing.T) {
			comms := hybridWorld(t, tc.n, tc.procs)
			var staged, leaders atomic.Int64
			err := comm.RunWorld(context.Background(), comms, func(ctx context.Context, c *comm.Comm) error {
				sum, err := comm.Allreduce(ctx, c, c.Rank(), comm.Sum)
				if err != nil || sum != tc.n*(tc.n-1)/2 {
					return fmt.Errorf("Allreduce = %d, %v", sum, err)
				}
				// Past the ring threshold: by segments when the processes
				// hold equally many ranks, by the leaders otherwise.
				big := make([]int64, 20_011)
				for i := range big {
					big[i] = int64(c.Rank()*i + 1)
				}
				got, err := comm.Allreduce(ctx, c, big, comm.Sum)
				if err != nil {
					return err
				}
				for i, x := range got {
					if want := int64(tc.n*(tc.n-1)/2*i + tc.n); x != want {
						return fmt.Errorf("Allreduce of %d int64s: [%d] = %d, want %d", len(big), i, x, want)
					}
				}
				if big[3] != int64(c.Rank()*3+1) {
					return fmt.Errorf("Allreduce modified its input")
				}
				s, l := comm.Stages(c)
				if s {
					staged.Add(1)
				}
				if l > 0 {
					leaders.Add(1)
					if l != tc.procs {
						return fmt.Errorf("%d leaders, want one per process (%d)", l, tc.procs)
					}
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			wantStaged, wantLeaders := int64(tc.n), int64(tc.procs)
			if tc.procs == 1 {
				wantStaged, wantLeaders = 0, 0
			}
			if staged.Load() != wantStaged || leaders.Load() != wantLeaders {
				t.Fatalf("%d ranks staged and %d leaders, want %d and %d", staged.Load(), leaders.Load(), wantStaged, wantLeaders)
			}
		})
	}
}

// A rank's failure aborts the ranks of its own process and of the others,
// and every one of them names the failed rank.
func TestHybridRankFailure(t *testing.T) {
	comms := hybridWorld(t, 4, 2)
	boom := errors.New("boom")
	blamed := make([]string, 4)
	err := comm.RunWorld(context.Background(), comms, func(ctx context.Context, c *comm.Comm) error {
		if c.Rank() == 3 {
			return boom
		}
		var v int
		_, err := c.Recv(ctx, 3, 0, &v)
		var rf *comm.RankFailedError
		if errors.As(err, &rf) {
			blamed[c.Rank()] = fmt.Sprint(rf.Rank)
		}
		return err
	})
	if !errors.Is(err, boom) || !strings.Contains(err.Error(), "rank 3") {
		t.Fatalf("world error %v, want rank 3's boom", err)
	}
	for r, b := range blamed[:3] {
		if b != "3" {
			t.Errorf("rank %d blamed %q, want rank 3", r, b)
		}
	}
}

// A hybrid rank counts the payload bytes it sends to each rank, through
// memory and over the bus alike.
func TestHybridSentBytes(t *testing.T) {
	comms := hybridWorld(t, 4, 2) // ranks 0, 2 in one process; 1, 3 in the other
	err := comm.RunWorld(context.Background(), comms, func(ctx context.Context, c *comm.Comm) error {
		if c.Rank() == 0 {
			for dst, n := range []int{0, 100, 200, 300} {
				if dst > 0 {
					if err := c.Send(ctx, dst, 0, make([]byte, n)); err != nil {
						return err
					}
				}
			}
			for dst, want := range []int64{0, 100, 200, 300} {
				if got := comm.SentBytes(c, dst); got < want || got > want+16 {
					return fmt.Errorf("sent %d bytes to rank %d, want %d", got, dst, want)
				}
			}
			return nil
		}
		var b []byte
		_, err := c.Recv(ctx, 0, 0, &b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestJoinHybridBadConfig(t *testing.T) {
	ctx := context.Background()
	for _, cfg := range []comm.HybridConfig{
		{Job: "j", Size: 2},
		{Job: "j", Size: 2, Ranks: []int{0, 0}},
		{Job: "j", Size: 2, Ranks: []int{2}},
		{Job: "a.b", Size: 2, Ranks: []int{0}},
	} {
		if _, err := comm.JoinHybrid(ctx, cfg); err == nil || !strings.Contains(err.Error(), "JoinHybrid") {
			t.Errorf("%+v: error %v, want one naming JoinHybrid", cfg, err)
		}
	}
	for _, s := range []string{"", "1,", "3-1", "x", "-1"} {
		if _, err := comm.ParseRanks(s); err == nil {
			t.Errorf("ParseRanks(%q) accepted", s)
		}
	}
	if got, err := comm.ParseRanks("0,2-4,7"); err != nil || fmt.Sprint(got) != "[0 2 3 4 7]" {
		t.Errorf("ParseRanks: %v, %v", got, err)
	}
}
