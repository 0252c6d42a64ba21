package launcher

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gorun-dev/gorun/comm/jobenv"
	"github.com/gorun-dev/gorun/comm/natsbus"
	"github.com/nats-io/nats.go"
)

// Direct is this process's place in a job whose ranks a batch system
// started itself, one process per rank, as `srun -n N gorun --rank PROG`
// does: each such gorun runs one rank of PROG. Rank 0's gorun serves the
// job's bus and its ready barrier, and leaves the bus's address and token
// in a file in Dir, readable by this user only, where the others find it
// (Dir must be seen by every rank: a shared home or working directory).
type Direct struct {
	Rank, Size       int
	Local, LocalSize int // the rank's place among its node's ranks
	Node, Nodes      int
	// Key names the job among others that share Dir (SLURM's job and
	// step id); it must be the same for every rank and new for each job.
	Key string
	Dir string
	// Addr is the address rank 0's bus listens on, one every rank can
	// reach ("" means 127.0.0.1, for a job on one node).
	Addr string
	// Wait bounds how long a rank waits for rank 0's bus; 0 means 2 minutes.
	Wait time.Duration
}

// DirectFile is the file in Direct.Dir that holds a job's bus.
func (d *Direct) file() string { return filepath.Join(d.Dir, ".gorun-"+d.Key+".bus") }

// RunDirect runs rank d.Rank of cfg.Program and returns what its exit
// means for this rank's process, as Run does: nil for 0, an *ExitError
// otherwise. When the rank fails, every other rank is told at once; a rank
// that ended only because another failed returns that rank's code, so the
// batch system sees the job's real cause whichever task it asks. Rank 0's
// process stays until every rank's gorun is done with its bus, or ctx ends.
func RunDirect(ctx context.Context, cfg Config, d Direct) error {
	if d.Size < 1 || d.Rank < 0 || d.Rank >= d.Size {
		return usagef("rank %d of %d: not a rank of the job", d.Rank, d.Size)
	}
	path, err := exec.LookPath(cfg.Program)
	if err != nil {
		return &StartError{Program: cfg.Program, Err: err}
	}
	var rv *directBus
	if d.Rank == 0 {
		rv, err = serveDirect(&d)
	} else {
		rv, err = joinDirect(ctx, &d)
	}
	if err != nil {
		return err
	}
	defer rv.close()

	conn, err := rv.connect()
	if err != nil {
		return err
	}
	if d.Rank != 0 {
		cfg.Stdin = nil
	}
	cfg.Mode, cfg.Size = ModeProcesses, d.Size
	j := &job{
		cfg:    &cfg,
		path:   path,
		id:     rv.job,
		mode:   ModeProcesses,
		size:   d.Size,
		tagged: cfg.tagged(),
		env:    baseEnv(&cfg),
		stdout: &dest{w: cfg.stdout()},
		stderr: &dest{w: cfg.stderr()},
		part: &hostPart{ranks: []int{d.Rank}, node: d.Node, nodes: d.Nodes, url: rv.url, token: rv.token, rankUsers: true,
			conn: conn, local: d.Local, localSize: d.LocalSize,
			exited: func(*rank, *ExitError) {}},
	}
	j.log = &logger{d: j.stderr, verbose: cfg.Verbose, quiet: cfg.Quiet}
	runErr := j.run(ctx)
	// A rank fails on its own, or ends because the job did: a peer's
	// abort, or SLURM's signal once a task failed (srun
	// --kill-on-bad-exit). Only the first kind is reported as a failure,
	// and the others take its code once it is known.
	var ee *ExitError
	own := errors.As(runErr, &ee) && ee.Rank == d.Rank && ee.Code != jobenv.ExitAborted
	code := ExitCode(runErr)
	if !own && code != 0 {
		code = jobenv.ExitAborted
	}
	rv.report(d.Rank, strconv.Itoa(code))
	if !own && (runErr != nil || j.abortedByPeer()) {
		if cause, ok := rv.firstFailure(d.Size, 10*time.Second); ok {
			runErr = cause
		}
	}
	// Rank 0's server goes when every rank's gorun is done with it, not
	// when the last exit is reported: a report still on its way to
	// another rank would be lost with the server.
	rv.report(d.Rank, "done")
	if d.Rank == 0 {
		rv.awaitDone(ctx, d.Size)
	}
	return runErr
}

// abortedByPeer reports whether the job's rank ended only because another
// rank failed.
func (j *job) abortedByPeer() bool {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.aborted != nil
}

// directBus is one rank's view of a direct launch's bus.
type directBus struct {
	url, token, job string
	srv             *natsbus.Server // rank 0's
	ready           *natsbus.Ready  // rank 0's
	file            string          // rank 0's rendezvous file
	nc              *nats.Conn
	stopReady       context.CancelFunc
	readyDone       chan struct{}

	mu     sync.Mutex
	exits  map[int]int
	done   map[int]bool // ranks whose gorun has its result
	failed *ExitError
	change chan struct{} // closed and replaced on every report
}

func subjectExit(job string) string { return "gorun." + job + ".exit" }

// serveDirect starts rank 0's bus, listens for the ready barrier and exit
// reports, then publishes the bus in the rendezvous file.
func serveDirect(d *Direct) (*directBus, error) {
	id, err := natsbus.RandomToken()
	if err != nil {
		return nil, err
	}
	srv, err := natsbus.Start(natsbus.Options{Host: d.Addr, Job: id[:12], Ranks: allRanks(d.Size)})
	if err != nil {
		return nil, fmt.Errorf("launcher: bus: %w", err)
	}
	rv := &directBus{url: srv.URL(), token: srv.Token(), job: id[:12], srv: srv, readyDone: make(chan struct{})}
	if err := rv.listen(); err != nil {
		rv.close()
		return nil, err
	}
	if rv.ready, err = natsbus.ListenReady(rv.nc, rv.job, d.Size); err != nil {
		rv.close()
		return nil, err
	}
	ctx, stop := context.WithCancel(context.Background())
	rv.stopReady = stop
	go func() {
		defer close(rv.readyDone)
		rv.ready.Wait(ctx)
	}()
	if err := writeRendezvous(d.file(), rv.url+"\n"+rv.token+"\n"+rv.job+"\n"); err != nil {
		rv.close()
		return nil, err
	}
	rv.file = d.file()
	return rv, nil
}

// writeRendezvous publishes the bus to the other ranks: written whole
// under another name, readable by this user only, then renamed into place.
func writeRendezvous(path, text string) error {
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte(text), 0o600); err != nil {
		return fmt.Errorf("launcher: direct launch: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("launcher: direct launch: %w", err)
	}
	return nil
}

// joinDirect waits for rank 0's rendezvous file and connects to its bus.
func joinDirect(ctx context.Context, d *Direct) (*directBus, error) {
	wait := d.Wait
	if wait == 0 {
		wait = 2 * time.Minute
	}
	deadline := time.Now().Add(wait)
	for pause := time.Millisecond; ; pause = min(2*pause, 100*time.Millisecond) {
		b, err := os.ReadFile(d.file())
		if lines := strings.Split(string(b), "\n"); err == nil && len(lines) >= 3 {
			rv := &directBus{url: lines[0], token: lines[1], job: lines[2]}
			if err := rv.listen(); err != nil {
				return nil, err
			}
			return rv, nil
		}
		if time.Now().After(deadline) {
			return nil, fmt.Errorf("launcher: direct launch: rank 0's bus did not appear in %s within %v (is %s shared by every node?)", d.file(), wait, d.Dir)
		}
		select {
		case <-ctx.Done():
			return nil, context.Cause(ctx)
		case <-time.After(pause):
		}
	}
}

// listen connects this rank's gorun to the bus and follows exit reports.
func (rv *directBus) listen() error {
	rv.exits, rv.done, rv.change = map[int]int{}, map[int]bool{}, make(chan struct{})
	nc, err := rv.connect()
	if err != nil {
		return err
	}
	rv.nc = nc
	if _, err := nc.Subscribe(subjectExit(rv.job), rv.onExit); err != nil {
		return fmt.Errorf("launcher: bus: %w", err)
	}
	if err := nc.Flush(); err != nil {
		return fmt.Errorf("launcher: bus: %w", err)
	}
	return nil
}

func (rv *directBus) connect() (*nats.Conn, error) {
	nc, err := nats.Connect(rv.url, nats.Token(rv.token), nats.NoReconnect(), nats.Name("gorun direct "+rv.job))
	if err != nil {
		return nil, fmt.Errorf("launcher: bus %s: %w", rv.url, err)
	}
	return nc, nil
}

// onExit records "<rank> <code>", a rank's exit, and "<rank> done", its
// gorun's end; the first non-zero code not of an aborted rank is the
// job's failure.
func (rv *directBus) onExit(m *nats.Msg) {
	f := strings.Fields(string(m.Data))
	if len(f) != 2 {
		return
	}
	rank, err := strconv.Atoi(f[0])
	if err != nil {
		return
	}
	rv.mu.Lock()
	defer rv.mu.Unlock()
	if f[1] == "done" {
		rv.done[rank] = true
	} else if code, err := strconv.Atoi(f[1]); err == nil {
		rv.exits[rank] = code
		if code != 0 && code != jobenv.ExitAborted && rv.failed == nil {
			rv.failed = exitError(rank, code, 0, fmt.Sprintf("exited with code %d", code))
		}
	}
	close(rv.change)
	rv.change = make(chan struct{})
}

func (rv *directBus) report(rank int, what string) {
	rv.nc.Publish(subjectExit(rv.job), []byte(fmt.Sprintf("%d %s", rank, what)))
	rv.nc.FlushTimeout(time.Second)
}

// firstFailure is the first rank's own failure reported: it waits until
// one is, or until every one of n ranks has reported without one, at most
// max (a rank on a node that died never reports).
func (rv *directBus) firstFailure(n int, max time.Duration) (*ExitError, bool) {
	deadline := time.After(max)
	for {
		rv.mu.Lock()
		f, all, ch := rv.failed, len(rv.exits) >= n, rv.change
		rv.mu.Unlock()
		if f != nil {
			return f, true
		}
		if all {
			return nil, false
		}
		select {
		case <-ch:
		case <-deadline:
			return nil, false
		}
	}
}

// awaitDone holds rank 0's bus until every rank's gorun is done with it.
func (rv *directBus) awaitDone(ctx context.Context, n int) {
	for {
		rv.mu.Lock()
		done, ch := len(rv.done) >= n, rv.change
		rv.mu.Unlock()
		if done {
			return
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return
		}
	}
}

func (rv *directBus) close() {
	if rv.stopReady != nil {
		rv.stopReady()
		<-rv.readyDone
	}
	if rv.nc != nil {
		rv.nc.Close()
	}
	if rv.file != "" {
		os.Remove(rv.file)
	}
	if rv.srv != nil {
		rv.srv.Shutdown()
	}
}
