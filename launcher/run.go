package launcher

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"sync"
	"syscall"
	"time"

	"github.com/gorun-dev/gorun/comm/natsbus"
	"github.com/nats-io/nats.go"
	"golang.org/x/sync/errgroup"
)

// Job is what an Observer sees of a running job.
type Job struct {
	ID   string
	Mode Mode
	Size int        // ranks in the world
	PIDs []int      // per rank in process mode; the one process in goroutine mode
	Conn *nats.Conn // the launcher's bus connection; nil in goroutine mode

	reports *reportPipe // a goroutine-mode process's reports, or nil

	exited func(pid int) (ProcessUsage, bool)
	usage  *usageReports      // nil without a bus or a report pipe
	nodeOf func(rank int) int // the node each rank runs on

	snapshots *snapshotQueue // the hosts' samples in a job across hosts
}

// ReportedPeakRSS is the peak RSS (VmHWM) that rank reported as it exited,
// on the bus or, from the process of a goroutine-mode job (rank -1), on its
// report pipe. Programs built on comm.Main report; others do not.
func (jb *Job) ReportedPeakRSS(rank int) (int64, bool) {
	if jb.usage == nil {
		return 0, false
	}
	return jb.usage.peak(rank)
}

// ReportedPeaks is every peak RSS reported so far, by the rank that
// reported it (a hybrid process reports as its first rank): the figures
// of a job whose ranks run on other hosts, where no PID is known here.
func (jb *Job) ReportedPeaks() map[int]int64 {
	if jb.usage == nil {
		return nil
	}
	return jb.usage.allPeaks()
}

// Traffic is the payload bytes the ranks reported sending as they exited,
// split into those to a rank on the sender's own host and those to
// another host; ok is false when no rank reported (a goroutine world
// moves nothing over a transport that counts).
func (jb *Job) Traffic() (withinHost, betweenHosts int64, ok bool) {
	if jb.usage == nil {
		return 0, 0, false
	}
	nodeOf := jb.nodeOf
	if nodeOf == nil {
		nodeOf = func(int) int { return 0 }
	}
	return jb.usage.traffic(nodeOf)
}

// ProcessUsage is what the kernel accounted to one rank process over its
// whole life, read when it was reaped: exact where sampling /proc can miss
// a short run. It has no peak memory: ru_maxrss of an exec'd child keeps
// the high-water mark of the launcher's own image it was forked from.
type ProcessUsage struct {
	CPU time.Duration // user + system
}

// Exited returns the usage of the process pid once it has been reaped.
func (jb *Job) Exited(pid int) (ProcessUsage, bool) {
	if jb.exited == nil {
		return ProcessUsage{}, false
	}
	return jb.exited(pid)
}

// job is the state of one Run.
type job struct {
	cfg    *Config
	path   string
	id     string
	mode   Mode
	size   int
	tagged bool
	env    []string
	stdout *dest
	stderr *dest
	log    *logger
	bus    *bus
	pipe   *reportPipe // goroutine mode with observers: the process's reports
	part   *hostPart   // set when this job is one host's part of a multi-host job

	stopRanks context.CancelFunc
	groups    *groupWatcher
	cg        *jobCgroup   // nil where there is none
	tokens    *tokenServer // nil without a bus token

	mu        sync.Mutex
	cause     error          // the first reason the job failed: the result
	aborted   *ExitError     // the first rank that failed only because of an abort
	ending    bool           // the ranks have been told to end
	finished  bool           // every rank was reaped: nothing to end
	sig       syscall.Signal // what the ranks get then
	ranks     []*rank
	usage     map[int]ProcessUsage // by pid, once reaped
	killTimer *time.Timer
}

// recordUsage keeps what the kernel accounted to a reaped rank (and the
// children it waited for: a supervisor's includes its program's), by the
// rank's pid.
func (j *job) recordUsage(pid int, ps *os.ProcessState) {
	if ps.SysUsage() == nil {
		return
	}
	u := ProcessUsage{CPU: ps.UserTime() + ps.SystemTime()}
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.usage == nil {
		j.usage = make(map[int]ProcessUsage)
	}
	j.usage[pid] = u
}

func (j *job) exitedUsage(pid int) (ProcessUsage, bool) {
	j.mu.Lock()
	defer j.mu.Unlock()
	u, ok := j.usage[pid]
	return u, ok
}

// Run runs the job described by cfg and returns when every rank has exited:
// nil if all exited 0, else the first reason the job failed (an
// *ExitError, *SignalError, *TimeoutError, *StartError or *UsageError;
// ExitCode maps each to gorun's exit status). Cancelling ctx ends the job
// like a failure.
func Run(ctx context.Context, cfg Config) error {
	if errPlatform != nil {
		return errPlatform
	}
	if err := cfg.Validate(); err != nil {
		return err
	}
	if len(cfg.Hosts) > 0 {
		return runHosts(ctx, &cfg) // the program is looked up on each host
	}
	path, err := exec.LookPath(cfg.Program)
	if err != nil {
		return &StartError{Program: cfg.Program, Err: err}
	}
	id, err := natsbus.RandomToken()
	if err != nil {
		return err
	}
	j := &job{
		cfg:    &cfg,
		path:   path,
		id:     id[:12],
		mode:   cfg.mode(),
		size:   cfg.size(),
		env:    baseEnv(&cfg),
		stdout: &dest{w: cfg.stdout()},
		stderr: &dest{w: cfg.stderr()},
	}
	j.tagged = cfg.tagged() && j.mode == ModeProcesses
	j.log = &logger{d: j.stderr, verbose: cfg.Verbose, quiet: cfg.Quiet}
	return j.run(ctx)
}

func (j *job) run(ctx context.Context) error {
	t0 := time.Now()
	// The watcher's shell starts while the bus does, off the critical path;
	// it is stopped last, once every rank has been reaped.
	watcher := make(chan *groupWatcher, 1)
	go func() { watcher <- startGroupWatcher(j.log) }()
	defer func() {
		if j.groups == nil {
			j.groups = <-watcher
		}
		j.cg.remove()
		j.groups.stop()
	}()
	// Process ranks talk over the bus and take the ready barrier on it; a
	// goroutine-mode process only reports progress and usage, which it
	// writes to a pipe when an Observer may listen: it needs no bus.
	ids, readyN := j.rankIDs()
	procs := len(ids)
	if j.mode != ModeGoroutines || j.part != nil {
		b, err := j.openBus(readyN)
		if err != nil {
			return err
		}
		j.bus = b
		defer b.close()
	} else if len(j.cfg.Observers) > 0 {
		p, err := newReportPipe()
		if err != nil {
			return fmt.Errorf("launcher: report pipe: %w", err)
		}
		j.pipe = p
		defer p.drain()
	}
	j.log.debugf("job %s: %d ranks of %s in %s mode", j.id, j.size, j.path, j.mode)

	sp := startSpawner(min(procs, runtime.GOMAXPROCS(0)))
	defer sp.stop()      // after every rank was reaped: see spawner
	j.groups = <-watcher // before any rank exists
	if j.cg = newJobCgroup(j.id); j.cg != nil {
		j.groups.cgroup(j.cg.dir)
	}
	if j.bus != nil && j.bus.token != "" {
		ts, err := startTokenServer()
		if err != nil {
			return err
		}
		j.tokens = ts
		defer ts.close()
	}
	killCtx, stopRanks := context.WithCancel(context.Background())
	defer stopRanks()
	j.stopRanks = stopRanks
	j.sig = syscall.SIGTERM

	var g errgroup.Group
	var starts sync.WaitGroup
	for _, id := range ids {
		starts.Go(func() {
			r, err := j.startRank(killCtx, sp, id)
			if err != nil {
				if err != errEnding {
					j.terminate(err, syscall.SIGTERM)
				}
				return
			}
			g.Go(func() error { return j.wait(r) })
		})
	}
	starts.Wait()
	if j.pipe != nil {
		j.pipe.started()
	}
	if j.tokens != nil {
		j.tokens.allStarted()
	}
	j.mu.Lock()
	slices.SortFunc(j.ranks, func(a, b *rank) int { return cmp.Compare(a.id, b.id) })
	j.mu.Unlock()
	j.log.debugf("started %d processes in %v", len(j.ranks), time.Since(t0).Round(time.Microsecond))

	done := make(chan struct{})
	var bg sync.WaitGroup
	bg.Go(func() { j.watch(ctx, done) })
	if j.cfg.Signals != nil {
		bg.Go(func() { j.forwardSignals(j.cfg.Signals, done) })
	}
	bgCtx, stopBg := context.WithCancel(context.Background())
	if j.mode != ModeGoroutines && j.bus != nil && j.bus.ready != nil {
		bg.Go(func() {
			if err := j.bus.ready.Wait(bgCtx); err != nil && bgCtx.Err() == nil {
				j.log.warnf("ready barrier: %v", err)
			} else if err == nil {
				j.log.debugf("all %d ranks ready after %v", j.size, time.Since(t0).Round(time.Microsecond))
			}
		})
	}
	j.observe(bgCtx, &bg)

	g.Wait()
	if j.pipe != nil {
		j.pipe.drain() // the process's last reports, before observers stop
	}
	j.mu.Lock()
	// The job is over: what is left of each rank's process group (a child
	// it started and did not wait for) ends with it, as a step's processes
	// do under srun.
	for _, r := range j.ranks {
		r.killGroup()
	}
	j.cg.kill() // and every other descendant of the ranks
	j.finished = true
	j.mu.Unlock()
	close(done)
	stopBg()
	bg.Wait()
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.killTimer != nil {
		j.killTimer.Stop()
	}
	if j.cause == nil && j.aborted != nil {
		j.cause = j.aborted
	}
	j.log.debugf("job %s ended after %v", j.id, time.Since(t0).Round(time.Microsecond))
	return j.cause
}

// errEnding stops the start of more ranks once the job is ending.
var errEnding = errors.New("launcher: job ending")

// startRank starts rank id (-1: the goroutine-mode process) on the
// spawner's thread, unless the job is already ending.
func (j *job) startRank(ctx context.Context, sp *spawner, id int) (*rank, error) {
	r, err := j.newRank(ctx, id)
	if err != nil {
		return nil, err
	}
	if ctx.Err() != nil {
		r.closeStatusWriter()
		return nil, errEnding
	}
	err = sp.start(r.cmd)
	r.closeStatusWriter()
	if err == nil && r.sup != nil {
		if r.child, err = readChild(r.sup, j.path); err != nil {
			r.cmd.Process.Kill()
			r.cmd.Wait()
			r.sup.Close()
		}
	}
	if err != nil {
		if ctx.Err() != nil {
			return nil, errEnding
		}
		return nil, &StartError{Program: j.cfg.Program, Err: err}
	}
	j.mu.Lock()
	j.ranks = append(j.ranks, r)
	if j.tokens != nil {
		j.tokens.allow(r.pid(), j.secret(r))
	}
	if r.ownPgrp && r.sup == nil {
		// A supervisor ends its rank's processes itself, which a SIGKILL
		// of its group from the watcher would pre-empt.
		j.groups.add(r.cmd.Process.Pid)
	}
	j.mu.Unlock()
	j.log.debugf("rank %d: pid %d", id, r.pid())
	return r, nil
}

// wait reaps r and ends the job if it failed.
func (j *job) wait(r *rank) error {
	awaitExit(r.cmd.Process.Pid) // on the poller: see awaitExit
	err := r.cmd.Wait()
	r.reaped.Store(true)
	if r.sup != nil {
		r.sup.Close()
	}
	if r.cmd.ProcessState != nil {
		j.recordUsage(r.pid(), r.cmd.ProcessState)
	}
	r.flush()
	if errors.Is(err, exec.ErrWaitDelay) {
		j.log.warnf("rank %d exited but a process it started kept its output open", r.id)
	}
	ee := exitErrorFrom(r.id, r.cmd.ProcessState, r.panicLine())
	if r.status != nil {
		r.blameFirstFailed(ee)
	}
	if j.part != nil {
		j.part.exited(r, ee)
	}
	if ee != nil {
		if r.induced(ee) {
			j.rankAborted(ee)
			return nil
		}
		j.terminate(ee, syscall.SIGTERM)
		return ee
	}
	if r.cmd.ProcessState == nil {
		err = fmt.Errorf("launcher: rank %d: %w", r.id, err)
		j.terminate(err, syscall.SIGTERM)
		return err
	}
	if j.isTerminating() {
		// A grandchild may still hold the group; it goes with the rank.
		r.killGroup()
	}
	return nil
}

// watch ends the job when ctx is done or the timeout passes, until done.
func (j *job) watch(ctx context.Context, done <-chan struct{}) {
	var timeout <-chan time.Time
	if j.cfg.Timeout > 0 {
		t := time.NewTimer(j.cfg.Timeout)
		defer t.Stop()
		timeout = t.C
	}
	select {
	case <-done:
	case <-ctx.Done():
		j.terminate(fmt.Errorf("launcher: %w", context.Cause(ctx)), syscall.SIGTERM)
	case <-timeout:
		j.terminate(&TimeoutError{After: j.cfg.Timeout}, syscall.SIGTERM)
	}
}

func (j *job) isTerminating() bool {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.ending
}

// observe starts every Observer once all ranks have started.
func (j *job) observe(ctx context.Context, bg *sync.WaitGroup) {
	if len(j.cfg.Observers) == 0 {
		return
	}
	job := &Job{ID: j.id, Mode: j.mode, Size: j.size, exited: j.exitedUsage}
	j.mu.Lock()
	for _, r := range j.ranks {
		job.PIDs = append(job.PIDs, r.pid())
	}
	j.mu.Unlock()
	if j.bus != nil {
		job.Conn, job.usage = j.bus.nc, j.bus.usage
	}
	if j.pipe != nil {
		job.reports, job.usage = j.pipe, j.pipe.usage
	}
	for _, o := range j.cfg.Observers {
		bg.Go(func() {
			if err := o.Observe(ctx, job); err != nil {
				j.log.warnf("observer: %v", err)
			}
		})
	}
}
