package comm

import (
	"bytes"
	"context"
	"os"
	"strconv"
	"time"

	"github.com/gorun-dev/gorun/comm/jobenv"
	"github.com/nats-io/nats.go"
)

// peakRSS is this process's resident-set high-water mark (VmHWM), or 0.
func peakRSS() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	_, rest, ok := bytes.Cut(b, []byte("VmHWM:"))
	if !ok {
		return 0
	}
	line, _, _ := bytes.Cut(rest, []byte("\n"))
	kb, err := strconv.ParseInt(string(bytes.TrimSpace(bytes.TrimSuffix(bytes.TrimSpace(line), []byte("kB")))), 10, 64)
	if err != nil {
		return 0
	}
	return kb << 10
}

// reportUsage tells the launcher this process's peak RSS as rank (-1 for a
// whole goroutine world). It is advisory and never fails the job.
func reportUsage(nc *nats.Conn, rank int) {
	if nc == nil || !nc.IsConnected() {
		return
	}
	msg := strconv.Itoa(rank) + " " + strconv.FormatInt(peakRSS(), 10)
	if nc.Publish(jobenv.SubjectUsage(os.Getenv(jobenv.EnvJob)), []byte(msg)) == nil {
		nc.FlushTimeout(100 * time.Millisecond)
	}
}

// withUsageReport runs fn, then reports this rank process's peak RSS on
// its bus connection, before the world closes it.
func withUsageReport(fn RankFunc) RankFunc {
	return func(ctx context.Context, c *Comm) error {
		err := fn(ctx, c)
		if c.bus != nil {
			reportUsage(c.bus.nc, c.rank)
		}
		return err
	}
}
