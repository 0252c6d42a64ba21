package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/gorun-dev/gorun/comm"
	"github.com/gorun-dev/gorun/launcher/procstat"
	"github.com/spf13/pflag"
)

func main() {
	fs := pflag.NewFlagSet("hugemsg", pflag.ContinueOnError)
	size := fs.String("bytes", "1GiB", "message size: N, or N with a KiB, MiB or GiB suffix")
	into := fs.Bool("into", false, "receive into a buffer allocated before the message comes (RecvInto)")
	maxRatio := fs.Float64("max-ratio", 0, "fail when the receiver's peak RSS exceeds this multiple of the message (0: report only)")
	if err := fs.Parse(os.Args[1:]); err != nil {
		os.Exit(2)
	}
	n, err := parseSize(*size)
	if err != nil {
		fmt.Fprintln(os.Stderr, "hugemsg: --bytes:", err)
		os.Exit(2)
	}
	comm.Main(func(ctx context.Context, c *comm.Comm) error {
		if c.Size() != 2 {
			return fmt.Errorf("hugemsg runs on 2 ranks, not %d", c.Size())
		}
		if c.Rank() == 1 {
			msg := make([]byte, n)
			fill(msg, 0)
			return c.Send(ctx, 0, 0, msg)
		}
		return receive(ctx, c, n, *into, *maxRatio)
	})
}

func receive(ctx context.Context, c *comm.Comm, n int, into bool, maxRatio float64) error {
	before := peakRSS()
	var got []byte
	if into {
		got = make([]byte, n)
		if _, err := comm.RecvInto(ctx, c, 1, 0, got); err != nil {
			return err
		}
	} else if _, err := c.Recv(ctx, 1, 0, &got); err != nil {
		return err
	}
	peak := peakRSS()
	if len(got) != n {
		return fmt.Errorf("received %d bytes, not %d", len(got), n)
	}
	if off := check(got); off >= 0 {
		return fmt.Errorf("byte %d differs from what was sent", off)
	}
	ratio := float64(peak) / float64(n)
	fmt.Printf("received %d bytes: VmHWM %.2f GiB = %.2f x the message (before %.2f GiB)\n",
		n, gib(peak), ratio, gib(before))
	if maxRatio > 0 && ratio > maxRatio {
		return fmt.Errorf("peak RSS %.2f x the message, more than %.2f", ratio, maxRatio)
	}
	return nil
}

// fill writes the pattern of the message's bytes from offset off.
func fill(b []byte, off int) {
	for i := range b {
		b[i] = byte((off + i) * 131 >> 8)
	}
}

// check returns the first offset where b differs from the pattern, or -1,
// comparing a block at a time so that it holds no second copy of b.
func check(b []byte) int {
	want := make([]byte, 1<<20)
	for off := 0; off < len(b); off += len(want) {
		blk := b[off:min(off+len(want), len(b))]
		fill(want[:len(blk)], off)
		if !bytes.Equal(blk, want[:len(blk)]) {
			for i := range blk {
				if blk[i] != want[i] {
					return off + i
				}
			}
		}
	}
	return -1
}

func gib(n int64) float64 { return float64(n) / (1 << 30) }

func parseSize(s string) (int, error) {
	mult := 1
	for _, u := range []struct {
		suffix string
		mult   int
	}{{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}} {
		if rest, ok := strings.CutSuffix(s, u.suffix); ok {
			s, mult = rest, u.mult
			break
		}
	}
	v, err := strconv.Atoi(s)
	if err != nil || v < 0 || v > int(^uint(0)>>1)/mult {
		return 0, fmt.Errorf("not a size: %q", s)
	}
	return v * mult, nil
}

// peakRSS is this process's VmHWM in bytes, or 0 where /proc is missing.
func peakRSS() int64 {
	s, _, err := procstat.Read(os.Getpid(), nil)
	if err != nil {
		return 0
	}
	return s.PeakRSS
}
