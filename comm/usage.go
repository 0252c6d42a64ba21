package comm

import (
	"bytes"
	"context"
	"os"
	"strconv"
	"time"

	"github.com/gorun-dev/gorun/comm/jobenv"
	"github.com/gorun-dev/gorun/comm/transport"
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
// whole goroutine world), and the payload bytes the ranks of comms sent to
// each rank. It is advisory and never fails the job.
func reportUsage(nc *nats.Conn, rank int, comms ...*Comm) {
	if nc == nil || !nc.IsConnected() {
		return
	}
	msg := strconv.Itoa(rank) + " " + strconv.FormatInt(peakRSS(), 10)
	if t := sentField(comms); t != "" {
		msg += " " + t
	}
	if nc.Publish(jobenv.SubjectUsageOf(os.Getenv(jobenv.EnvJob), rank), []byte(msg)) == nil {
		nc.FlushTimeout(100 * time.Millisecond)
	}
}

// sentField is "DST:BYTES,..." for every rank the ranks of comms sent
// payload bytes to, summed over them, as the usage report carries it
// (jobenv.SubjectUsage); "" when their transports do not count.
func sentField(comms []*Comm) string {
	if len(comms) == 0 {
		return ""
	}
	var b []byte
	for dst := range comms[0].size {
		var n int64
		for _, c := range comms {
			if t, ok := c.t.(transport.Counting); ok {
				n += t.SentBytes(dst)
			}
		}
		if n == 0 {
			continue
		}
		if len(b) > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, int64(dst), 10)
		b = append(b, ':')
		b = strconv.AppendInt(b, n, 10)
	}
	return string(b)
}

// withUsageReport runs fn, then reports this rank process's peak RSS on
// its bus connection, before the world closes it.
func withUsageReport(fn RankFunc) RankFunc {
	return func(ctx context.Context, c *Comm) error {
		err := fn(ctx, c)
		if c.bus != nil {
			reportUsage(c.bus.nc, c.rank, c)
		}
		return err
	}
}
