//go:build linux

package launcher

import (
	"fmt"
	"os"
	"sync"
	"testing"
	"time"
)

// The report pipe keeps progress reports from before the observer
// listened, records the exit report, ignores malformed lines, and stops
// draining after reportDrainWait when something still holds the pipe's
// write end open (a child of the program).
func TestReportPipe(t *testing.T) {
	p, err := newReportPipe()
	if err != nil {
		t.Fatal(err)
	}
	held, err := os.OpenFile(fmt.Sprintf("/proc/self/fd/%d", p.w.Fd()), os.O_WRONLY, 0)
	if err != nil {
		t.Skipf("cannot reopen the pipe's write end: %v", err)
	}
	defer held.Close()
	fmt.Fprint(p.w, "progress 0 10 100\nnonsense\nusage x y\n")
	var mu sync.Mutex
	var got []string
	add := func(msg []byte) {
		mu.Lock()
		got = append(got, string(msg))
		mu.Unlock()
	}
	until(t, "the early report", func() bool {
		p.mu.Lock()
		defer p.mu.Unlock()
		return len(p.early) == 1
	})
	stop, _ := p.subscribe(add)
	defer stop()
	fmt.Fprint(p.w, "progress 1 100 100\nusage -1 12345\n")
	p.started()
	t0 := time.Now()
	p.drain()
	if d := time.Since(t0); d < reportDrainWait/2 || d > 10*time.Second {
		t.Errorf("drain with the pipe held open took %v, want about %v", d, reportDrainWait)
	}
	mu.Lock()
	defer mu.Unlock()
	if fmt.Sprint(got) != "[0 10 100 1 100 100]" {
		t.Errorf("progress reports %q", got)
	}
	if v, ok := p.usage.peak(-1); !ok || v != 12345 {
		t.Errorf("reportedPeak(-1) = %d, %v", v, ok)
	}
}
