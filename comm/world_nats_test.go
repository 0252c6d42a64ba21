package comm_test

import (
	"context"
	"errors"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gorun-dev/gorun/comm"
	"github.com/gorun-dev/gorun/comm/commtest"
	"github.com/gorun-dev/gorun/comm/jobenv"
	"github.com/gorun-dev/gorun/comm/natsbus"
	"github.com/nats-io/nats.go"
)

// natsClient is a plain connection to srv, closed at the end of the test.
func natsClient(t testing.TB, srv *natsbus.Server) *nats.Conn {
	t.Helper()
	nc, err := nats.Connect(srv.URL(), nats.Token(srv.Token()), nats.Timeout(natsbus.AuthTimeout))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	return nc
}

func TestJoinNATSBadConfig(t *testing.T) {
	ctx := context.Background()
	cases := []struct {
		name string
		cfg  comm.NATSConfig
		want string
	}{
		{"rank out of range", comm.NATSConfig{URL: "nats://127.0.0.1:1", Job: "j", Rank: 2, Size: 2}, "rank 2 out of range"},
		{"bad job", comm.NATSConfig{URL: "nats://127.0.0.1:1", Job: "a.b", Rank: 0, Size: 1}, "bad job id"},
		{"no server", comm.NATSConfig{URL: "nats://127.0.0.1:1", Job: "j", Rank: 0, Size: 1}, "connecting to the bus"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := comm.JoinNATS(ctx, tc.cfg)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("JoinNATS: %v, want an error containing %q", err, tc.want)
			}
		})
	}
}

func TestJoinNATSWrongToken(t *testing.T) {
	srv := natsBus(t)
	_, err := comm.JoinNATS(context.Background(), comm.NATSConfig{URL: srv.URL(), Token: "wrong", Job: "j", Rank: 0, Size: 1})
	if err == nil || !strings.Contains(strings.ToLower(err.Error()), "authorization") {
		t.Fatalf("JoinNATS with a wrong token: %v, want an authorization error", err)
	}
}

// A rank whose ready request nobody answers waits at the barrier until its
// ctx ends, and says so. The listener here never answers; it ends the ctx
// once the request has come, so the rank is surely past connecting.
func TestJoinNATSReadyTimeout(t *testing.T) {
	srv := natsBus(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	nc := natsClient(t, srv)
	if _, err := nc.Subscribe(jobenv.SubjectReady("lonely"), func(*nats.Msg) { cancel() }); err != nil {
		t.Fatal(err)
	}
	if err := nc.Flush(); err != nil {
		t.Fatal(err)
	}
	_, err := comm.JoinNATS(ctx, comm.NATSConfig{URL: srv.URL(), Token: srv.Token(), Job: "lonely", Rank: 0, Size: 2})
	if err == nil || !strings.Contains(err.Error(), "ready barrier") || !errors.Is(err, context.Canceled) {
		t.Fatalf("JoinNATS with nobody answering: %v, want a ready barrier error on a cancelled ctx", err)
	}
}

// The launcher's environment: URL, job, rank, size, and the token on a
// file descriptor.
func TestJoinNATSFromEnv(t *testing.T) {
	srv := natsBus(t)
	nc := natsClient(t, srv)
	ready, err := natsbus.ListenReady(nc, "envjob", 1)
	if err != nil {
		t.Fatal(err)
	}
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if _, err := w.WriteString(srv.Token() + "\n"); err != nil {
		t.Fatal(err)
	}
	w.Close()
	t.Setenv(jobenv.EnvURL, srv.URL())
	t.Setenv(jobenv.EnvJob, "envjob")
	t.Setenv(jobenv.EnvRank, "0")
	t.Setenv(jobenv.EnvSize, "1")
	t.Setenv(jobenv.EnvToken, "wrong") // the descriptor wins
	fd := dupFD(t, r)                  // joinNATSFromEnv closes it
	t.Setenv(jobenv.EnvTokenFD, strconv.Itoa(fd))
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	go ready.Wait(ctx)
	c, err := comm.JoinNATSFromEnv(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if c.Rank() != 0 || c.Size() != 1 {
		t.Fatalf("rank %d of %d, want 0 of 1", c.Rank(), c.Size())
	}
}

func TestNATSProgressReports(t *testing.T) {
	srv := natsBus(t)
	comms := natsWorld(t, srv, "progress", 2)
	nc := natsClient(t, srv)
	sub, err := nc.SubscribeSync(jobenv.SubjectProgressOf("progress", 1))
	if err != nil {
		t.Fatal(err)
	}
	if err := nc.Flush(); err != nil {
		t.Fatal(err)
	}
	c := comms[1]
	for i := int64(1); i <= 1000; i++ {
		c.Progress(i, 1000) // a burst: rate-limited, but the final report always goes
	}
	var got []string
	for {
		m, err := sub.NextMsg(2 * time.Second)
		if err != nil {
			t.Fatalf("after %q: %v", got, err)
		}
		got = append(got, string(m.Data))
		if string(m.Data) == "1 1000 1000" {
			break
		}
	}
	if got[0] != "1 1 1000" || len(got) > 10 {
		t.Fatalf("progress reports %q: want the first, few, and the final one", got)
	}
}

// The world maker the conformance suite uses: fresh jobs on one server.
func TestNATSWorldMaker(t *testing.T) {
	mk := commtest.NATSWorld(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	for round := range 2 {
		comms, err := mk(ctx, 3)
		if err != nil {
			t.Fatal(err)
		}
		err = comm.RunWorld(ctx, comms, func(ctx context.Context, c *comm.Comm) error {
			v, err := comm.Allreduce(ctx, c, c.Rank()+round, comm.Sum)
			if err == nil && v != 3+3*round {
				t.Errorf("round %d rank %d: Allreduce = %d", round, c.Rank(), v)
			}
			if c.SharesMemory() {
				t.Errorf("rank %d of a NATS world claims to share memory", c.Rank())
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}
