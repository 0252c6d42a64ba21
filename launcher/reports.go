package launcher

import (
	"bufio"
	"bytes"
	"os"
	"sync"
	"time"

	"github.com/gorun-dev/gorun/comm/jobenv"
)

// reportPipe carries a goroutine-mode process's reports to the launcher
// in place of a bus: its ranks' progress and its peak memory at exit,
// written as lines (jobenv.EnvReportFD) on a pipe the process inherits.
// A goroutine job thus costs no server, no connection and no handshake.
type reportPipe struct {
	r, w *os.File
	done chan struct{} // closed when the reader has stopped

	usage *usageReports

	mu       sync.Mutex
	progress func(msg []byte) // the Progress observer's, once it listens
	early    [][]byte         // progress reports from before it listened
}

// maxEarlyReports bounds the progress reports kept for an observer that
// has not yet started (the latest per rank is what counts).
const maxEarlyReports = 1024

// reportDrainWait bounds how long the launcher waits, once the process
// has exited, for reports still in the pipe: a child of the process that
// inherited the pipe may hold it open.
const reportDrainWait = 200 * time.Millisecond

func newReportPipe() (*reportPipe, error) {
	r, w, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	p := &reportPipe{r: r, w: w, done: make(chan struct{}), usage: newUsageReports()}
	go p.read()
	return p, nil
}

// started closes the launcher's copy of the write end once the process
// holds its own.
func (p *reportPipe) started() { p.w.Close() }

func (p *reportPipe) read() {
	defer close(p.done)
	sc := bufio.NewScanner(p.r)
	for sc.Scan() {
		kind, rest, _ := bytes.Cut(sc.Bytes(), []byte(" "))
		switch string(kind) {
		case jobenv.ReportProgress:
			p.onProgress(bytes.Clone(rest))
		case jobenv.ReportUsage:
			p.usage.add(rest)
		}
	}
}

func (p *reportPipe) onProgress(msg []byte) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.progress != nil {
		p.progress(msg)
	} else if len(p.early) < maxEarlyReports {
		p.early = append(p.early, msg)
	}
}

// subscribe sends fn every progress report, those that came before first.
func (p *reportPipe) subscribe(fn func(msg []byte)) (stop func(), err error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, m := range p.early {
		fn(m)
	}
	p.early, p.progress = nil, fn
	return func() {
		p.mu.Lock()
		p.progress = nil
		p.mu.Unlock()
	}, nil
}

// drain waits, once the process has exited, until its last reports are
// read (or reportDrainWait has passed), then stops the reader.
func (p *reportPipe) drain() {
	p.r.SetReadDeadline(time.Now().Add(reportDrainWait))
	<-p.done
	p.r.Close()
}
