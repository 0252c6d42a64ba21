package monitor

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/gorun-dev/gorun/launcher"
	"github.com/gorun-dev/gorun/launcher/procstat"
)

// DefaultInterval is how often a Monitor samples when its Interval is 0.
const DefaultInterval = 100 * time.Millisecond

// Monitor is an Observer that samples every rank's CPU use and resident
// memory from /proc while the job runs (gorun --monitor). When the job
// ends it writes Path's CSV and JSON summary (see Files), calls Plot, and
// prints a summary to Stderr.
//
// It samples each rank process itself, not processes the rank started; in
// goroutine mode the one process holds every rank and is reported as rank
// -1. CPU is utime+stime (every thread) over the interval; memory is VmRSS,
// and the peak is the kernel's high-water mark VmHWM, so a peak between
// two samples is not missed.
//
// Bus bytes are the read and write counts of the launcher's own threads
// (/proc/self/task/*/io rchar, wchar) over the job, less the monitor's own
// reads of /proc: with the embedded NATS server that is every byte the
// ranks published to the bus and every byte the bus delivered to them,
// framing included, plus the rank output gorun forwards (small when ranks
// write results to files). In goroutine mode ranks share memory and no bus
// exists, so only the forwarded output is counted. With --server (an
// external NATS) the bus traffic is not in this process and is not seen.
type Monitor struct {
	Path     string        // output name: see Files
	Interval time.Duration // 0 means DefaultInterval
	Stderr   io.Writer     // summary lines; nil means none

	// Plot, when set, is called with Path once the CSV and the JSON are
	// written, to draw the figures (Files' png and svg): gorun runs the
	// gorun-plot command; a program linking package plots can draw itself.
	Plot func(path string) error

	// Now returns the time, for tests; nil means time.Now.
	now func() time.Time
}

var _ launcher.Sampler = (*Monitor)(nil)

// SampleInterval is how often the Monitor samples: in a job across hosts,
// each host's agent samples its own ranks this often (launcher.Sampler).
func (m *Monitor) SampleInterval() time.Duration {
	if m.Interval <= 0 {
		return DefaultInterval
	}
	return m.Interval
}

// Files are the files of a monitored job for path: path minus a ".csv"
// extension, plus ".csv" (samples), ".json" (summary), ".png" and ".svg"
// (plots). So "run" and "run.csv" both give run.csv, run.json, run.png and
// run.svg.
func Files(path string) (csv, json, png, svg string) {
	base := strings.TrimSuffix(path, ".csv")
	return base + ".csv", base + ".json", base + ".png", base + ".svg"
}

// Validate reports, as a *launcher.UsageError, a Monitor that could not write its
// files or sample: call it before the job starts.
func (m *Monitor) Validate() error {
	if m.Path == "" {
		return usagef("--monitor: no file name")
	}
	if m.Interval < 0 {
		return usagef("--monitor-interval %v: must be positive", m.Interval)
	}
	dir := filepath.Dir(m.Path)
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		return usagef("--monitor %s: directory %s does not exist", m.Path, dir)
	}
	if _, err := os.Stat("/proc/self/stat"); err != nil {
		return usagef("--monitor needs /proc (Linux)")
	}
	return nil
}

// Observe samples the job's processes until ctx is done, then writes the
// files and the summary.
func (m *Monitor) Observe(ctx context.Context, job *launcher.Job) error {
	now := m.now
	if now == nil {
		now = time.Now
	}
	interval := m.SampleInterval()
	// One locked thread does all the sampling, so its CPU time (rusage of
	// the thread) is exactly what the monitor costs.
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	cpu0 := threadCPU()
	s := newSampler(job, now)
	io0, _ := launcherIO()
	s.sample()
	t := time.NewTicker(interval)
	for ctx.Err() == nil {
		select {
		case <-ctx.Done():
		case <-t.C:
			s.sample()
			s.merge(job.TakeHostSnapshots())
		}
	}
	t.Stop()
	s.merge(job.TakeHostSnapshots())
	io1, _ := launcherIO()
	rep := s.report(job, interval)
	rep.SamplerCPUSec = (threadCPU() - cpu0).Seconds()
	// The sampler's own reads of /proc count in rchar: take them out.
	rep.BusReadBytes = io1.read - io0.read - io0.self - s.procRead
	rep.BusWrittenBytes = io1.written - io0.written
	if err := m.write(rep, s.rows); err != nil {
		return err
	}
	var plotErr error
	if m.Plot != nil {
		plotErr = m.Plot(m.Path)
	}
	if m.Stderr != nil {
		writeSummary(m.Stderr, rep, m.Path, m.Plot != nil && plotErr == nil)
	}
	if plotErr != nil {
		return fmt.Errorf("monitor: plots: %w", plotErr)
	}
	return nil
}

func usagef(format string, args ...any) error {
	return &launcher.UsageError{Msg: fmt.Sprintf(format, args...)}
}

// Sample is one CSV row: a rank's (or, with rank "total", the job's) CPU
// and memory at one time.
type Sample struct {
	Time float64 // seconds since the first sample
	Host string  // the rank's host: this machine's name, or in a job across hosts its name in the host list, with "all" for the totals; "" in files without the column
	Rank string  // "0".."N-1", "-1" for a goroutine-mode process, "total"
	PID  int     // 0 for "total"
	CPU  float64 // percent of one CPU over the last interval
	RSS  int64   // bytes
}

// sampler keeps the previous reading of every process.
type sampler struct {
	job      *launcher.Job
	now      func() time.Time
	t0       time.Time
	last     time.Time
	prevCPU  []float64
	alive    []bool
	peak     []int64   // per process: VmHWM, or the largest VmRSS seen
	cpu0     []float64 // CPU seconds at the first reading
	cpuLast  []float64
	buf      []byte
	rows     []Sample
	busy     time.Duration // wall time spent sampling: the monitor's cost
	procRead int64         // bytes read from /proc by the sampler
	n        int

	host   string              // this machine's name, for local rows
	remote map[int]*remoteRank // by rank: a job across hosts
	latest map[string][]Sample // by host: the rows of its last snapshot
}

func newSampler(job *launcher.Job, now func() time.Time) *sampler {
	k := len(job.PIDs)
	s := &sampler{job: job, now: now, prevCPU: make([]float64, k), alive: make([]bool, k),
		peak: make([]int64, k), cpu0: make([]float64, k), cpuLast: make([]float64, k),
		buf: make([]byte, 0, 4096), host: localHost(), remote: map[int]*remoteRank{}, latest: map[string][]Sample{}}
	return s
}

// rankName is the CSV name of process i of the job.
func (s *sampler) rankName(i int) string {
	if s.job.Mode == launcher.ModeGoroutines {
		return "-1"
	}
	return strconv.Itoa(i)
}

// sample reads every live process once and appends its rows.
func (s *sampler) sample() {
	start := s.now()
	first := s.n == 0
	if first {
		s.t0, s.last = start, start
	}
	dt := start.Sub(s.last).Seconds()
	ts := start.Sub(s.t0).Seconds()
	var totCPU float64
	var totRSS int64
	any := false
	for i, pid := range s.job.PIDs {
		if !first && !s.alive[i] {
			continue
		}
		ps, buf, err := procstat.Read(pid, s.buf)
		s.buf = buf
		s.procRead += ps.Read
		if err != nil || ps.RSS == 0 {
			s.alive[i] = false // exited (or a zombie): no more rows
			continue
		}
		cpu := 0.0
		if first || !s.alive[i] {
			s.cpu0[i] = ps.CPUSec
		} else if dt > 0 {
			cpu = 100 * (ps.CPUSec - s.prevCPU[i]) / dt
		}
		s.alive[i] = true
		s.prevCPU[i], s.cpuLast[i] = ps.CPUSec, ps.CPUSec
		s.peak[i] = max(s.peak[i], ps.PeakRSS, ps.RSS)
		s.rows = append(s.rows, Sample{Time: ts, Host: s.host, Rank: s.rankName(i), PID: pid, CPU: cpu, RSS: ps.RSS})
		totCPU += cpu
		totRSS += ps.RSS
		any = true
	}
	if any {
		s.rows = append(s.rows, Sample{Time: ts, Host: s.host, Rank: "total", CPU: totCPU, RSS: totRSS})
	}
	s.last = start
	s.n++
	s.busy += s.now().Sub(start)
}
