package launcher

import (
	"bytes"
	"io"
	"sync"
)

// MaxLine is the longest line forwarded in one piece; a longer line is split
// into lines of MaxLine bytes, so a rank that never prints a newline cannot
// make the launcher buffer without bound.
const MaxLine = 64 << 10

// dest serialises whole-line writes to one destination (stdout or stderr),
// so lines of different ranks never mix.
type dest struct {
	mu sync.Mutex
	w  io.Writer
}

func (d *dest) write(p []byte) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	_, err := d.w.Write(p)
	return err
}

// lineWriter receives one rank's stream in arbitrary chunks and forwards it
// to a dest in whole lines, each behind prefix. It buffers at most one
// partial line (< MaxLine bytes) between calls.
type lineWriter struct {
	mu     sync.Mutex
	d      *dest
	prefix []byte
	part   []byte // the incomplete last line
	out    []byte // reused output buffer

	watchPanic bool   // remember the first "panic: " line (stderr)
	panicLine  string // that line, shortened
}

func newLineWriter(d *dest, prefix string, watchPanic bool) *lineWriter {
	return &lineWriter{d: d, prefix: []byte(prefix), watchPanic: watchPanic}
}

// Write forwards every complete line of p and keeps the rest.
func (w *lineWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	n := len(p)
	w.out = w.out[:0]
	for len(p) > 0 {
		i := bytes.IndexByte(p, '\n')
		end := i
		if i < 0 {
			end = len(p)
		}
		if len(w.part)+end > MaxLine {
			take := MaxLine - len(w.part)
			w.emit(p[:take])
			p = p[take:]
			continue
		}
		if i < 0 {
			w.part = append(w.part, p...)
			break
		}
		w.emit(p[:i])
		p = p[i+1:]
	}
	return n, w.send()
}

// Flush forwards a final line that had no newline, ending it with one.
func (w *lineWriter) Flush() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.out = w.out[:0]
	if len(w.part) > 0 {
		w.emit(nil)
	}
	return w.send()
}

// PanicLine is the first line of the stream that started with "panic: ".
func (w *lineWriter) PanicLine() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.panicLine
}

// emit appends prefix, the partial line, b and a newline to the output.
func (w *lineWriter) emit(b []byte) {
	start := len(w.out) + len(w.prefix)
	w.out = append(w.out, w.prefix...)
	w.out = append(w.out, w.part...)
	w.out = append(w.out, b...)
	w.part = w.part[:0]
	if w.watchPanic && w.panicLine == "" {
		if p := panicIn(w.out[start:]); p != nil {
			w.panicLine = string(p[:min(len(p), 200)])
		}
	}
	w.out = append(w.out, '\n')
}

func (w *lineWriter) send() error {
	if len(w.out) == 0 {
		return nil
	}
	err := w.d.write(w.out)
	if cap(w.out) > 1<<20 {
		w.out = nil // do not keep a huge buffer after a burst
	}
	return err
}

// panicIn returns the "panic: ..." part of line: a Go runtime's panic line,
// or comm.Main's report of a recovered one ("PROG: comm: rank R: panic: ...").
func panicIn(line []byte) []byte {
	const p = "panic: "
	if bytes.HasPrefix(line, []byte(p)) {
		return line
	}
	i := bytes.Index(line, []byte(": rank "))
	if i < 0 {
		return nil
	}
	rest := line[i+len(": rank "):]
	j := 0
	for j < len(rest) && rest[j] >= '0' && rest[j] <= '9' {
		j++
	}
	if j == 0 || !bytes.HasPrefix(rest[j:], []byte(": "+p)) {
		return nil
	}
	return rest[j+2:]
}
