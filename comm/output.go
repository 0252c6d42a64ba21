package comm

import (
	"bytes"
	"io"
	"os"
	"strconv"
	"sync"

	"github.com/gorun-dev/gorun/comm/jobenv"
)

// Stdout is this rank's standard output. Where gorun tags every rank's
// lines itself (process mode), it is os.Stdout. Where one process holds
// several ranks (a goroutine world), it writes whole lines behind
// "[rank N] ", as gorun does in process mode, so that output reads the
// same in both modes; a last line without a newline goes out when the rank
// returns. gorun --no-tag (GORUN_TAG=0) turns the tags off; lines stay
// whole.
//
// Plain fmt.Print and os.Stdout in a goroutine world are one stream shared
// by every rank: gorun cannot tell which rank wrote a line, so it cannot
// tag it, and two ranks' partial lines can mix. Write through Stdout.
func (c *Comm) Stdout() io.Writer { return c.output(0) }

// Stderr is Stdout for standard error.
func (c *Comm) Stderr() io.Writer { return c.output(1) }

// output returns the rank's writer for stream 0 (stdout) or 1 (stderr).
func (c *Comm) output(stream int) io.Writer {
	dst := []*os.File{os.Stdout, os.Stderr}[stream]
	if !c.sharedMemory && !c.hybrid || c.size == 1 {
		return dst
	}
	c.outMu.Lock()
	defer c.outMu.Unlock()
	if c.out[stream] == nil {
		w := &taggedWriter{dst: dst, lock: &streamLocks[stream]}
		if os.Getenv(jobenv.EnvTag) != "0" {
			w.prefix = []byte("[rank " + strconv.Itoa(c.rank) + "] ")
		}
		c.out[stream] = w
	}
	return c.out[stream]
}

// flushOutput writes out a last partial line of the rank's writers.
func (c *Comm) flushOutput() {
	c.outMu.Lock()
	defer c.outMu.Unlock()
	for _, w := range c.out {
		if w != nil {
			w.flush()
		}
	}
}

// streamLocks serialise whole-line writes to stdout and stderr across the
// ranks of this process, so that lines of two ranks never mix.
var streamLocks [2]sync.Mutex

// taggedWriter writes one rank's stream in whole lines, each behind prefix.
type taggedWriter struct {
	mu     sync.Mutex
	dst    io.Writer
	lock   *sync.Mutex
	prefix []byte
	part   []byte // the last line, not yet ended
	buf    []byte
}

func (w *taggedWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	n := len(p)
	w.buf = w.buf[:0]
	for {
		i := bytes.IndexByte(p, '\n')
		if i < 0 {
			w.part = append(w.part, p...)
			break
		}
		w.buf = append(append(append(w.buf, w.prefix...), w.part...), p[:i+1]...)
		w.part = w.part[:0]
		p = p[i+1:]
	}
	return n, w.send()
}

func (w *taggedWriter) flush() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.part) == 0 {
		return
	}
	w.buf = append(append(append(w.buf[:0], w.prefix...), w.part...), '\n')
	w.part = w.part[:0]
	w.send()
}

func (w *taggedWriter) send() error {
	if len(w.buf) == 0 {
		return nil
	}
	w.lock.Lock()
	defer w.lock.Unlock()
	_, err := w.dst.Write(w.buf)
	return err
}
