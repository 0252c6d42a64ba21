package launcher

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// remoteAgent is the launcher's side of one host's agent: the process that
// started it (ssh, or the template's command), the frames in both
// directions, and what is known of the host's ranks.
type remoteAgent struct {
	j     *remoteJob
	node  int
	host  string
	ranks []int

	cmd      *exec.Cmd
	in       atomic.Pointer[frameWriter] // set once started; other agents' failures may send meanwhile
	lastBeat atomic.Int64                // unix nanoseconds of the last heartbeat
	checked  chan struct{}               // closed on frameChecked
	gone     chan struct{}               // closed once the agent's stream ended
	exited   chan struct{}               // closed once the starting process was reaped
	failed   atomic.Bool                 // the agent reported that it cannot run its ranks
	serverID atomic.Value                // its server's id (string), once it is up
	done     map[int]bool                // accounted ranks; under j.mu
	once     sync.Once
}

// start starts the agent and hands it cfg on its stdin.
func (a *remoteAgent) start(sp *spawner, cfg agentConfig) error {
	a.checked, a.gone, a.exited = make(chan struct{}), make(chan struct{}), make(chan struct{})
	a.done = make(map[int]bool, len(a.ranks))
	// Until the agent is up, allow for ssh and the route mesh.
	a.lastBeat.Store(time.Now().Add(meshTimeout + 5*time.Second).UnixNano())
	argv := a.j.cfg.Agent
	if len(argv) == 0 {
		exe, err := os.Executable()
		if err != nil {
			close(a.gone)
			close(a.exited)
			return err
		}
		argv = []string{exe, "--agent"}
	}
	cmd := a.j.starter.command(a.host, argv)
	// Its own process group: a Ctrl-C at the terminal reaches the
	// launcher, which forwards it, and not ssh, which would just die.
	cmd.SysProcAttr = childProcAttr(true)
	stdin, err := cmd.StdinPipe()
	var stdout, stderr io.ReadCloser
	if err == nil {
		stdout, err = cmd.StdoutPipe()
	}
	if err == nil {
		stderr, err = cmd.StderrPipe()
	}
	if err == nil {
		err = sp.start(cmd)
	}
	if err != nil {
		close(a.gone)
		close(a.exited)
		return err
	}
	a.cmd = cmd
	in := newFrameWriter(stdin)
	a.j.log.debugf("host %s: agent pid %d: %v", a.host, cmd.Process.Pid, cmd.Args)
	in.sendJSON(frameConfig, cfg) // first, before any other frame
	a.in.Store(in)
	// A job that began ending before in was stored sent this agent no
	// frameTerm: send it now (twice is harmless).
	a.j.mu.Lock()
	ending, sig := a.j.ending, a.j.termSig
	a.j.mu.Unlock()
	if ending {
		in.send(frameTerm, []byte(fmt.Sprint(int(sig))))
	}
	var pipes sync.WaitGroup
	pipes.Go(func() { a.copyStderr(stderr) })
	pipes.Go(func() { a.read(stdout) })
	go func() {
		pipes.Wait()
		err := cmd.Wait()
		close(a.exited)
		if !a.failed.Load() {
			why := "its agent exited"
			if err != nil {
				why = fmt.Sprintf("its agent exited: %v", err)
			}
			a.j.hostLost(a, why)
		}
	}()
	return nil
}

// read handles the agent's frames until its stdout ends.
func (a *remoteAgent) read(r io.Reader) {
	defer close(a.gone)
	br := bufio.NewReaderSize(r, 64<<10)
	for {
		kind, p, err := readFrame(br)
		if err != nil {
			if err != io.EOF {
				a.j.log.warnf("host %s: %v", a.host, err)
			}
			return
		}
		switch kind {
		case frameStdout:
			a.j.stdout.write(p)
		case frameStderr:
			a.j.stderr.write(p)
		case frameUp:
			a.lastBeat.Store(time.Now().UnixNano())
			a.serverID.Store(string(p))
			a.j.log.debugf("host %s: agent up, starting ranks %s", a.host, rankList(a.ranks))
		case frameChecked:
			a.once.Do(func() { close(a.checked) })
		case frameExit:
			var x rankExit
			if json.Unmarshal(p, &x) == nil {
				a.j.rankExited(a, x)
			}
		case frameSamples:
			var ranks []RankUsage
			if j := a.j; j.snapshots != nil && json.Unmarshal(p, &ranks) == nil {
				j.snapshots.add(HostSnapshot{Host: a.host, At: time.Now(), Ranks: ranks})
			}
		case frameRoute:
			a.j.routeClosed(a, string(p))
		case frameLost:
			a.j.hostLost(a, "its agent "+string(p))
		case frameFailed:
			var f agentFailure
			if json.Unmarshal(p, &f) == nil {
				a.failed.Store(true)
				a.j.terminate(&AgentError{Host: a.host, Code: f.Code, Msg: f.Msg}, syscall.SIGTERM)
				a.j.account(a, a.ranks)
			}
		}
	}
}

// copyStderr passes the agent's (and ssh's) own messages on, one line at
// a time, naming the host.
func (a *remoteAgent) copyStderr(r io.Reader) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 4096), MaxLine)
	for sc.Scan() {
		a.j.stderr.write([]byte("gorun: host " + a.host + ": " + sc.Text() + "\n"))
	}
	io.Copy(io.Discard, r)
}

// send writes a frame to the agent, if it is still there.
func (a *remoteAgent) send(kind byte, p []byte) error {
	in := a.in.Load()
	if in == nil {
		return os.ErrClosed
	}
	return in.send(kind, p)
}

// pending reports whether ranks of the host are not accounted for.
func (a *remoteAgent) pending() bool { return len(a.unreported()) > 0 }

func (a *remoteAgent) unreported() []int {
	a.j.mu.Lock()
	defer a.j.mu.Unlock()
	var out []int
	for _, r := range a.ranks {
		if !a.done[r] {
			out = append(out, r)
		}
	}
	return out
}

// kill ends the process that started the agent (and so the agent, whose
// stdin closes).
func (a *remoteAgent) kill() {
	select {
	case <-a.exited:
		return // reaped: its pid may be another process's now
	default:
	}
	if a.cmd != nil && a.cmd.Process != nil {
		kill(-a.cmd.Process.Pid, syscall.SIGKILL)
	}
}

// routeClosed handles a's report that its route to server id closed: the
// host on the other end is lost (the launcher's own server: a is).
func (j *remoteJob) routeClosed(a *remoteAgent, id string) {
	if id == j.srv.Name() {
		j.hostLost(a, "its route to the launcher closed")
		return
	}
	for _, b := range j.agents {
		if sid, _ := b.serverID.Load().(string); sid == id {
			j.hostLost(b, "its route to host "+a.host+" closed")
			return
		}
	}
}
