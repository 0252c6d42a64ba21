package comm

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gorun-dev/gorun/comm/jobenv"
	"github.com/gorun-dev/gorun/comm/natstransport"
	"github.com/nats-io/nats.go"
)

// NATSConfig names one rank of a job on a NATS bus.
type NATSConfig struct {
	URL   string // e.g. nats://127.0.0.1:4222
	Token string // the bus's auth token
	Job   string // the job id: the prefix of the job's subjects
	Rank  int
	Size  int
}

// JoinNATS connects rank cfg.Rank to the bus of job cfg.Job, subscribes its
// inbox, and waits at the ready barrier until the launcher (or whoever
// listens on jobenv.SubjectReady) has seen all cfg.Size ranks ready. Every frame a
// rank sends afterwards has a live inbox to go to.
func JoinNATS(ctx context.Context, cfg NATSConfig) (*Comm, error) {
	if cfg.Size < 1 || cfg.Rank < 0 || cfg.Rank >= cfg.Size {
		return nil, fmt.Errorf("comm: JoinNATS: rank %d out of range [0,%d)", cfg.Rank, cfg.Size)
	}
	if cfg.Job == "" || strings.ContainsAny(cfg.Job, " .*>\t\r\n") {
		return nil, fmt.Errorf("comm: JoinNATS: bad job id %q", cfg.Job)
	}
	t, err := natstransport.Dial(ctx, cfg.URL, cfg.Token, cfg.Job, cfg.Rank, cfg.Size)
	if err != nil {
		return nil, fmt.Errorf("comm: rank %d: connecting to the bus at %s: %w", cfg.Rank, cfg.URL, err)
	}
	nc := t.Conn()
	c, err := newComm(t, newProcess(1))
	if err != nil {
		t.Close()
		return nil, err
	}
	if _, err := nc.RequestWithContext(ctx, jobenv.SubjectReady(cfg.Job), []byte(strconv.Itoa(cfg.Rank))); err != nil {
		c.Close()
		return nil, fmt.Errorf("comm: rank %d: ready barrier: %w", cfg.Rank, err)
	}
	c.SetProgress(newProgressReporter(nc, cfg.Job, cfg.Rank))
	c.bus = &bus{url: cfg.URL, token: cfg.Token, nc: nc}
	return c, nil
}

// bus is what a process-mode rank knows of the job's bus.
type bus struct {
	url, token string
	nc         *nats.Conn // the transport's connection, for progress and usage reports
}

// BusAddress returns the URL and token of the NATS bus this rank talks
// over, with ok false in a goroutine world. It is for tools that measure
// the bus itself, like commbench's raw nats.go ceiling; a program that
// publishes on the job's own subjects (gorun.<job>.*) corrupts its world.
func (c *Comm) BusAddress() (url, token string, ok bool) {
	if c.bus == nil {
		return "", "", false
	}
	return c.bus.url, c.bus.token, true
}

// progressEvery rate-limits progress reports to the launcher.
const progressEvery = 100 * time.Millisecond

// newProgressReporter publishes "<rank> <done> <total>" on rank's
// progress subject (see throttledProgress).
func newProgressReporter(nc *nats.Conn, job string, rank int) func(done, total int64) {
	subj := jobenv.SubjectProgressOf(job, rank)
	return throttledProgress(rank, func(msg string) {
		_ = nc.Publish(subj, []byte(msg)) // progress is advisory: a lost bus fails the world elsewhere
	})
}

// throttledProgress is a Progress function that sends rank's report
// "<rank> <done> <total>" at most every progressEvery, but always the
// final one (done >= total).
func throttledProgress(rank int, send func(msg string)) func(done, total int64) {
	var mu sync.Mutex
	var last time.Time
	prefix := strconv.Itoa(rank) + " "
	return func(done, total int64) {
		now := time.Now()
		mu.Lock()
		if done < total && now.Sub(last) < progressEvery {
			mu.Unlock()
			return
		}
		last = now
		mu.Unlock()
		send(prefix + strconv.FormatInt(done, 10) + " " + strconv.FormatInt(total, 10))
	}
}

// joinNATSFromEnv joins the job the gorun launcher describes in the
// environment (GORUN_URL, GORUN_JOB, GORUN_RANK, GORUN_SIZE, and the token
// from the descriptor GORUN_TOKEN_FD, or else GORUN_TOKEN).
func joinNATSFromEnv(ctx context.Context) (*Comm, error) {
	cfg := NATSConfig{URL: os.Getenv(jobenv.EnvURL), Job: os.Getenv(jobenv.EnvJob)}
	if cfg.URL == "" {
		return nil, fmt.Errorf("comm: %s is not set", jobenv.EnvURL)
	}
	var err error
	if cfg.Rank, err = jobenv.Int(jobenv.EnvRank); err != nil {
		return nil, err
	}
	if cfg.Size, err = jobenv.Int(jobenv.EnvSize); err != nil {
		return nil, err
	}
	if cfg.Token, err = jobenv.Token(); err != nil {
		return nil, err
	}
	return JoinNATS(ctx, cfg)
}
