//go:build linux

package launcher

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorun-dev/gorun/comm/jobenv"
	"github.com/gorun-dev/gorun/comm/natsbus"
	"github.com/nats-io/nats.go"
)

func TestTallySums(t *testing.T) {
	tests := []struct {
		name        string
		msgs        []string
		done, total int64
		bad         int
	}{
		{"static split", []string{"0 5 10", "1 3 10", "0 7 10"}, 10, 20, 0},
		{"dynamic: rank 0 carries the total", []string{"0 0 100", "1 30 0", "2 20 0", "0 10 100"}, 60, 100, 0},
		{"malformed ignored", []string{"0 1 2", "x 1 2", "0 1", "1 -1 3", ""}, 1, 2, 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ta := &tally{done: map[int]int64{}, total: map[int]int64{}}
			for _, m := range tt.msgs {
				ta.add([]byte(m))
			}
			done, total, changed, seen := ta.sums()
			if done != tt.done || total != tt.total || !changed || !seen || ta.bad != tt.bad {
				t.Errorf("sums = %d/%d changed=%v seen=%v bad=%d, want %d/%d true true %d",
					done, total, changed, seen, ta.bad, tt.done, tt.total, tt.bad)
			}
			if _, _, changed, _ := ta.sums(); changed {
				t.Error("second sums reports a change")
			}
		})
	}
}

func TestProgressLine(t *testing.T) {
	tests := []struct {
		name        string
		done, total int64
		elapsed     time.Duration
		want        string
	}{
		{"start", 0, 1000, 0, "gorun: progress: 0% (0/1000)"},
		{"midway", 250, 1000, time.Second, "gorun: progress: 25% (250/1000), 250/s, ETA 3s"},
		{"done", 1000, 1000, 2 * time.Second, "gorun: progress: 100% (1000/1000), 500/s"},
		{"no total", 42, 0, time.Second, "gorun: progress: 42 done, 42/s"},
		{"29 percent", 29, 100, time.Second, "gorun: progress: 29% (29/100), 29/s, ETA 2.4s"},
		{"huge, early", 1000, math.MaxInt64, time.Second, "gorun: progress: 0% (1000/9223372036854775807), 1000/s, ETA 2.92e+08 years"},
		{"huge, late", math.MaxInt64 / 10 * 9, math.MaxInt64, time.Hour, "gorun: progress: 90% (8301034833169298220/9223372036854775807), 2.306e+15/s, ETA 6m40s"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := progressLine(tt.done, tt.total, tt.elapsed); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// TestLineOutputSteps checks that plain lines come at 10% steps or every
// Every, not at every update.
func TestLineOutputSteps(t *testing.T) {
	var buf bytes.Buffer
	clock := time.Unix(0, 0)
	l := &lineOutput{w: &buf, every: 5 * time.Second, now: func() time.Time { return clock }}
	for d := int64(0); d <= 1000; d += 10 { // 101 updates, 10 ms apart
		l.update(d, 1000)
		clock = clock.Add(10 * time.Millisecond)
	}
	l.finish(1000, 1000)
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 11 {
		t.Fatalf("%d lines, want 11 (0%%, 10%%, ... 100%%):\n%s", len(lines), buf.String())
	}
	if !strings.HasPrefix(lines[10], "gorun: progress: 100% (1000/1000)") {
		t.Errorf("last line %q", lines[10])
	}
	buf.Reset()
	l = &lineOutput{w: &buf, every: 5 * time.Second, now: func() time.Time { return clock }}
	for range 4 { // a slow job: one line per 5 s
		l.update(1, 1000)
		clock = clock.Add(5 * time.Second)
	}
	if n := strings.Count(buf.String(), "\n"); n != 4 {
		t.Errorf("%d lines for 4 updates 5 s apart, want 4:\n%s", n, buf.String())
	}
}

// TestProgressObserve sends reports over a real embedded bus.
func TestProgressObserve(t *testing.T) {
	srv, err := natsbus.Start(natsbus.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Shutdown()
	nc, err := nats.Connect(srv.URL(), nats.Token(srv.Token()))
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()

	tests := []struct {
		name string
		mode Mode
		conn *nats.Conn
		want string
	}{
		{"processes", ModeProcesses, nc, "gorun: progress: 100% (200/200)"},
		{"goroutines: no bus, no output", ModeGoroutines, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out syncBuf
			p := &Progress{Stderr: &out}
			job := &Job{ID: "ptest", Mode: tt.mode, Size: 2, Conn: tt.conn}
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan error)
			go func() { done <- p.Observe(ctx, job) }()
			if tt.conn != nil {
				// Observe subscribes on the publishing connection: once its
				// subscription exists, the server has it before any PUB.
				until(t, "the progress subscription", func() bool { return tt.conn.NumSubscriptions() > 0 })
			}
			for i := int64(0); i <= 100; i += 25 {
				for r := range 2 {
					nc.Publish(jobenv.SubjectProgressOf("ptest", r), fmt.Appendf(nil, "%d %d 100", r, i))
				}
			}
			nc.Flush()
			if tt.want != "" {
				until(t, "the 100% line", func() bool { return strings.Contains(out.String(), tt.want) })
			}
			cancel()
			if err := <-done; err != nil {
				t.Fatal(err)
			}
			got := out.String()
			if tt.want == "" && got != "" {
				t.Errorf("output %q, want none", got)
			}
			if tt.want != "" && !strings.Contains(got, tt.want) {
				t.Errorf("output %q lacks %q", got, tt.want)
			}
		})
	}
}

// until polls cond until it holds, failing the test after 10 s.
func until(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after 10s waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

type syncBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuf) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuf) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// A report is taken from the rank its subject names: one whose payload
// claims another rank reaches the tally as malformed, over a real bus.
func TestProgressRankFromSubject(t *testing.T) {
	srv, err := natsbus.Start(natsbus.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Shutdown()
	nc, err := nats.Connect(srv.URL(), nats.Token(srv.Token()))
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	got := make(chan []byte, 4)
	job := &Job{ID: "forge", Mode: ModeProcesses, Size: 2, Conn: nc}
	stop, err := job.subscribeProgress(func(msg []byte) { got <- msg })
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	nc.Publish(jobenv.SubjectProgressOf("forge", 1), []byte("0 100 100")) // rank 1 as rank 0
	nc.Publish(jobenv.SubjectProgressOf("forge", 1), []byte("1 40 100"))
	nc.Flush()
	var tl tally
	tl.done, tl.total = map[int]int64{}, map[int]int64{}
	for range 2 {
		select {
		case msg := <-got:
			tl.add(msg)
		case <-time.After(10 * time.Second):
			t.Fatal("reports did not arrive")
		}
	}
	if tl.bad != 1 || tl.done[0] != 0 || tl.done[1] != 40 {
		t.Errorf("tally done %v, %d refused; want rank 1 at 40 and the forged report refused", tl.done, tl.bad)
	}
}

// A usage report naming another rank than its subject is dropped.
func TestUsageRankFromSubject(t *testing.T) {
	u := newUsageReports()
	u.onUsage(&nats.Msg{Subject: jobenv.SubjectUsageOf("j", 2), Data: []byte("0 999")})
	u.onUsage(&nats.Msg{Subject: jobenv.SubjectUsageOf("j", 2), Data: []byte("2 123 0:5")})
	u.onUsage(&nats.Msg{Subject: jobenv.SubjectUsage("j"), Data: []byte("1 77")})
	if p, ok := u.peak(0); ok {
		t.Errorf("rank 0's peak %d taken from rank 2's subject", p)
	}
	if _, ok := u.peak(1); ok {
		t.Error("a report without a rank in its subject was taken")
	}
	if p, ok := u.peak(2); !ok || p != 123 {
		t.Errorf("rank 2's peak %d, %v; want 123", p, ok)
	}
}
