package launcher

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"

	"github.com/gorun-dev/gorun/comm/jobenv"
	"golang.org/x/term"
)

// rank is one started process: a rank in process mode, the whole world in
// goroutine mode (id -1).
type rank struct {
	id      int
	held    []int    // the ranks of a hybrid process (id is the first)
	status  *os.File // a hybrid process's status pipe: which rank failed first
	cmd     *exec.Cmd
	ownPgrp bool        // signal the process group, not just the process
	out     *lineWriter // nil when output is passed through
	errw    *lineWriter // nil when output is passed through
	reaped  atomic.Bool // Wait returned: the pid may be reused
	killed  atomic.Bool // the launcher has sent it a signal

	// Under a supervisor (supervise_linux.go), where the job has no
	// cgroup: the launcher's end of its control socket and the program's
	// pid; cmd is the supervisor.
	sup   *os.File
	child int
}

// pid is the program's pid: the one a bus secret is handed to and that
// monitors sample.
func (r *rank) pid() int {
	if r.sup != nil {
		return r.child
	}
	return r.cmd.Process.Pid
}

// baseEnv is the launcher's environment without the contract variables
// (a gorun started inside a rank must not pass its own on), plus Config.Env.
func baseEnv(cfg *Config) []string {
	var env []string
	for _, kv := range os.Environ() {
		if key, _, _ := strings.Cut(kv, "="); !jobenv.Reserved(key) {
			env = append(env, kv)
		}
	}
	for _, kv := range cfg.Env {
		if strings.Contains(kv, "=") {
			env = append(env, kv)
		} else if v, ok := os.LookupEnv(kv); ok {
			env = append(env, kv+"="+v)
		}
	}
	return env
}

// newRank prepares rank id's command; ctx ending makes exec call the
// rank's Cancel, which signals it with j.termSignal().
func (j *job) newRank(ctx context.Context, id int) (*rank, error) {
	r := &rank{id: id, ownPgrp: true}
	cmd := exec.CommandContext(ctx, j.path, j.cfg.Args...)
	cmd.Args[0] = j.cfg.Program
	env := append([]string(nil), j.env...)
	env = append(env,
		jobenv.EnvSize+"="+strconv.Itoa(j.size),
		jobenv.EnvJob+"="+j.id,
		jobenv.EnvMode+"="+string(j.mode))
	if j.mode == ModeGoroutines || j.mode == ModeHybrid {
		// The process tags its ranks' lines itself (comm's Comm.Stdout).
		env = append(env, jobenv.EnvTag+"="+map[bool]string{true: "1", false: "0"}[j.cfg.tagged()])
	}
	if j.mode == ModeHybrid {
		r.held = j.heldRanks()
		env = append(env, j.hybridEnv(r.held)...)
		sr, sw, err := os.Pipe()
		if err != nil {
			return nil, err
		}
		r.status = sr
		cmd.ExtraFiles = []*os.File{sw}
		env = append(env, jobenv.EnvStatusFD+"=3")
	} else if id >= 0 {
		env = append(env, jobenv.EnvRank+"="+strconv.Itoa(id))
		env = append(env, j.placeEnv(id)...)
	}
	if j.bus != nil {
		env = append(env, jobenv.EnvURL+"="+j.bus.url)
		if j.tokens != nil {
			env = append(env, jobenv.EnvTokenSock+"="+j.tokens.name)
		}
	}
	if j.pipe != nil {
		cmd.ExtraFiles = []*os.File{j.pipe.w} // descriptor 3
		env = append(env, jobenv.EnvReportFD+"=3")
	}
	cmd.Env = env

	if id <= 0 && j.cfg.Stdin != nil {
		cmd.Stdin = j.cfg.Stdin
		if f, ok := j.cfg.Stdin.(*os.File); ok && isTerminal(f) {
			// A rank outside the terminal's foreground process group
			// would be stopped by SIGTTIN when it reads.
			r.ownPgrp = false
		}
	}
	// A hybrid process tags its ranks' lines itself; its output goes
	// through a line writer still, so that lines stay whole between hosts.
	if j.mode == ModeHybrid || j.mode == ModeProcesses && (j.tagged || j.size > 1) {
		prefix := ""
		if j.tagged && j.mode == ModeProcesses {
			prefix = j.tagPrefix(id)
		}
		r.out = newLineWriter(j.stdout, prefix, false)
		r.errw = newLineWriter(j.stderr, prefix, true)
		cmd.Stdout, cmd.Stderr = r.out, r.errw
	} else {
		cmd.Stdout, cmd.Stderr = j.stdout.w, j.stderr.w
	}

	cmd.SysProcAttr = childProcAttr(r.ownPgrp)
	j.cg.apply(cmd.SysProcAttr)
	if j.cg == nil && supervised {
		// Without a cgroup to hold the rank's descendants, a supervisor
		// does.
		sup, err := supervise(cmd)
		if err != nil {
			return nil, fmt.Errorf("launcher: supervisor: %w", err)
		}
		r.sup = sup
	}
	cmd.Cancel = func() error { return r.signal(j.termSignal()) }
	// Past the grace period the launcher has sent SIGKILL to the group;
	// WaitDelay is the backstop for a descendant that keeps the output
	// pipes open after the rank itself exited.
	cmd.WaitDelay = j.cfg.grace() + j.cfg.grace()/2
	r.cmd = cmd
	return r, nil
}

func isTerminal(f *os.File) bool {
	return term.IsTerminal(int(f.Fd()))
}

// signal sends sig to the rank's process group (or the process alone when
// it shares the launcher's group). A rank already reaped is left alone.
func (r *rank) signal(sig syscall.Signal) error {
	if r.reaped.Load() || r.cmd.Process == nil {
		return os.ErrProcessDone
	}
	pid := r.cmd.Process.Pid
	switch {
	case r.sup != nil && sig == syscall.SIGKILL:
		// The supervisor kills the rank and every process under it; a
		// SIGKILL of its group would kill it first.
		r.killed.Store(true)
		r.sup.Write([]byte("k"))
		resume(pid)
		return nil
	case r.ownPgrp:
		pid = -pid
	case r.sup != nil:
		pid = r.child // the supervisor passes no signal on
	}
	r.killed.Store(true)
	if err := kill(pid, sig); err != nil && err != syscall.ESRCH {
		return err
	}
	return nil
}

// induced reports whether the rank's failure ee was the job's abort rather
// than its own: it exited with jobenv.ExitAborted (a comm rank whose error
// wraps comm.ErrAborted: a peer failed first), or died of a signal the
// launcher sent it.
func (r *rank) induced(ee *ExitError) bool {
	if ee.Signal != 0 {
		return r.killed.Load()
	}
	return ee.Code == jobenv.ExitAborted
}

// killGroup sends SIGKILL to what is left of a reaped rank's process group.
func (r *rank) killGroup() {
	if r.ownPgrp && r.cmd.Process != nil {
		kill(-r.cmd.Process.Pid, syscall.SIGKILL)
	}
}

// flush forwards a last line without newline, once the rank has exited.
func (r *rank) flush() {
	if r.out != nil {
		r.out.Flush()
		r.errw.Flush()
	}
}

// panicLine is the first "panic: ..." line the rank wrote to stderr.
func (r *rank) panicLine() string {
	if r.errw == nil {
		return ""
	}
	return r.errw.PanicLine()
}
