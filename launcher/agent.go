package launcher

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"strconv"
	"syscall"
	"time"

	"github.com/gorun-dev/gorun/comm/jobenv"
	"github.com/gorun-dev/gorun/comm/natsbus"
	"github.com/nats-io/nats.go"
)

// ExitHostLost is gorun's exit status when a host of a multi-host job was
// lost: its agent went silent for the host timeout, or exited early.
const ExitHostLost = 122

// meshTimeout bounds how long an agent waits for routes to every other
// server of the job.
const meshTimeout = 30 * time.Second

// RunAgent is one host's agent of a multi-host job (gorun --agent): it
// reads its configuration from the first frame on stdin, starts a NATS
// server routed to the job's other servers, starts this host's ranks on it
// once the route mesh is complete, forwards their output and exits as
// frames on stdout, and obeys the launcher's frames on stdin. It never
// outlives the launcher: stdin at EOF, or the launcher's heartbeat silent
// for the host timeout, kills the ranks and ends the agent. Its own
// diagnostics go to stderr. It returns the agent's exit status.
func RunAgent(stdin io.Reader, stdout, stderr io.Writer) int {
	in := bufio.NewReader(stdin)
	out := newFrameWriter(stdout)
	kind, p, err := readFrame(in)
	if err != nil || kind != frameConfig {
		fmt.Fprintf(stderr, "gorun agent: no configuration on stdin (this mode is for gorun itself): %v\n", err)
		return ExitUsage
	}
	var c agentConfig
	if err := json.Unmarshal(p, &c); err != nil {
		fmt.Fprintf(stderr, "gorun agent: bad configuration: %v\n", err)
		return ExitUsage
	}
	a := &agent{c: c, in: in, out: out, stderr: stderr, t0: time.Now()}
	if err := a.run(); err != nil {
		code := ExitInternal
		var st *StartError
		if errors.As(err, &st) {
			code = ExitCode(st)
		}
		out.sendJSON(frameFailed, agentFailure{Code: code, Msg: err.Error()})
		return code
	}
	return 0
}

type agent struct {
	c      agentConfig
	in     *bufio.Reader
	out    *frameWriter
	stderr io.Writer
	t0     time.Time
	mesh   map[string]bool // the ids of the other servers, once all were routed
	srv    *natsbus.Server
	nc     *nats.Conn
	j      *job
}

func (a *agent) logf(format string, args ...any) {
	if a.c.Verbose {
		fmt.Fprintf(a.stderr, "gorun agent %s: %s (at %v)\n", a.c.Host, fmt.Sprintf(format, args...),
			time.Since(a.t0).Round(time.Microsecond))
	}
}

func (a *agent) run() error {
	c := &a.c
	if c.Dir != "" {
		if err := os.Chdir(c.Dir); err != nil {
			a.logf("staying in the home directory: %v", err)
		}
	}
	path, err := exec.LookPath(c.Program)
	if err != nil {
		return &StartError{Program: c.Program, Err: fmt.Errorf("on host %s: %w", c.Host, err)}
	}
	if err := a.startServer(); err != nil {
		return err
	}
	defer func() {
		a.nc.Close()
		a.srv.Shutdown()
		a.logf("server shut down")
	}()
	if err := a.awaitMesh(); err != nil {
		return err
	}
	a.logf("routes to all %d other servers", c.Nodes)
	a.mesh = a.srv.RemoteIDs()

	var stdinW *os.File
	mode := ModeProcesses
	if c.Mode == ModeHybrid {
		mode = ModeHybrid
	}
	tag := TagOff
	if c.Tag {
		tag = TagOn
	}
	cfg := Config{
		Program: c.Program, Args: c.Args, Size: c.Size, Mode: mode, Tag: tag,
		Env: c.Env, Grace: c.Grace, Quiet: true,
		Stdout: streamWriter{a.out, frameStdout},
		Stderr: streamWriter{a.out, frameStderr},
	}
	if len(c.Ranks) > 0 && c.Ranks[0] == 0 {
		r, w, err := os.Pipe()
		if err != nil {
			return err
		}
		defer r.Close()
		cfg.Stdin, stdinW = r, w
	}
	j := &job{
		cfg:    &cfg,
		path:   path,
		id:     c.Job,
		mode:   mode,
		size:   c.Size,
		tagged: c.Tag,
		env:    baseEnv(&cfg),
		stdout: &dest{w: cfg.Stdout},
		stderr: &dest{w: cfg.Stderr},
		part: &hostPart{ranks: c.Ranks, node: c.Node, nodes: c.Nodes, url: a.srv.URL(), token: c.Token, rankUsers: true,
			host: c.Host, tagHost: c.TagHost, exited: a.reportExit},
	}
	j.log = &logger{d: &dest{w: a.stderr}, verbose: c.Verbose, quiet: true}
	a.j = j
	a.out.send(frameUp, []byte(a.srv.Name()))
	done := make(chan struct{})
	go func() {
		defer close(done)
		a.reportUnstarted(j.run(context.Background()))
	}()
	lost := make(chan string, 2)
	stop := make(chan struct{})
	defer close(stop)
	go a.watchLauncher(lost, stop)
	if c.Monitor > 0 {
		go a.sampleRanks(c.Monitor, stop)
	}
	go func() { lost <- a.obey(stdinW) }()
	why := <-lost
	if why != "" {
		a.logf("%s: killing the ranks", why)
		// The pipe may still work when the bus does not: the launcher
		// then hears that this host is gone, not of ranks killed.
		a.out.send(frameLost, []byte(why))
	} else {
		why = "finished by the launcher"
	}
	// The launcher says finish once every rank has exited, or once it
	// gave up on them: none may stay.
	j.terminate(errors.New(why), syscall.SIGKILL)
	j.killAll()
	<-done
	a.logf("%s", why)
	return nil
}

// startServer starts this host's server, its client port on 127.0.0.1,
// its route port on the address this host reaches the launcher from.
func (a *agent) startServer() error {
	c := &a.c
	host, err := localAddrToward(c.Seed)
	if err != nil {
		return fmt.Errorf("host %s: %w", c.Host, err)
	}
	cluster := &natsbus.Cluster{Host: host, User: c.RouteUser, Password: c.RoutePass, Seeds: []string{c.Seed}}
	if c.RouteTLS != nil {
		if cluster.TLS, err = c.RouteTLS.Config(); err != nil {
			return fmt.Errorf("host %s: route TLS: %w", c.Host, err)
		}
	}
	srv, err := natsbus.Start(natsbus.Options{Token: c.Token, Verbose: c.Verbose, Cluster: cluster, Job: c.Job, Ranks: c.Ranks})
	if err != nil {
		return fmt.Errorf("host %s: %w", c.Host, err)
	}
	a.srv = srv
	nc, err := nats.Connect(srv.URL(), nats.Token(c.Token), nats.NoReconnect(), nats.Name("gorun agent "+c.Host))
	if err != nil {
		srv.Shutdown()
		return fmt.Errorf("host %s: connecting to its own server: %w", c.Host, err)
	}
	a.nc = nc
	a.logf("server %v", srv)
	return nil
}

// awaitMesh waits until this server has a route to every other server of
// the job (the launcher's and every other host's) and knows the launcher's
// ready subscription, so no rank's ready request can meet "no responders".
func (a *agent) awaitMesh() error {
	deadline := time.Now().Add(meshTimeout)
	for {
		n := a.srv.Remotes()
		if n >= a.c.Nodes && a.srv.Interest(jobenv.SubjectReady(a.c.Job)) {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("host %s: routes to %d of the job's %d other servers after %v", a.c.Host, n, a.c.Nodes, meshTimeout)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// localAddrToward is this host's address on the route to addr (no packet
// is sent: a UDP socket is only connected).
func localAddrToward(addr string) (string, error) {
	conn, err := net.Dial("udp", addr)
	if err != nil {
		return "", fmt.Errorf("no address of this machine reaches %s: %w", addr, err)
	}
	defer conn.Close()
	return conn.LocalAddr().(*net.UDPAddr).IP.String(), nil
}

// reportUnstarted accounts to the launcher for the ranks this host never
// started: the program could not be started (frameFailed), or the job
// was ending before their turn.
func (a *agent) reportUnstarted(err error) {
	var st *StartError
	if errors.As(err, &st) {
		a.out.sendJSON(frameFailed, agentFailure{Code: ExitCode(st), Msg: fmt.Sprintf("host %s: %v", a.c.Host, st)})
		return
	}
	started := map[int]bool{}
	a.j.mu.Lock()
	for _, r := range a.j.ranks {
		started[r.id] = true
		for _, h := range r.held {
			started[h] = true
		}
	}
	a.j.mu.Unlock()
	for _, r := range a.c.Ranks {
		if !started[r] {
			a.out.sendJSON(frameExit, rankExit{Rank: r, Code: 128 + int(syscall.SIGTERM), Signal: int(syscall.SIGTERM),
				Reason: "not started: the job was ending", Aborted: true})
		}
	}
}

// reportExit reports rank r's exit; for a hybrid process, the exit of
// every rank it held: the one that failed first with the process's
// status, the others as ended by that failure.
func (a *agent) reportExit(r *rank, ee *ExitError) {
	ids := r.held
	if ids == nil {
		ids = []int{r.id}
	}
	for _, id := range ids {
		x := rankExit{Rank: id}
		if ee != nil {
			x.Code, x.Signal, x.Reason = ee.Code, int(ee.Signal), exitReason(ee)
			x.Aborted = r.induced(ee) || id != ee.Rank
		}
		a.out.sendJSON(frameExit, x)
	}
}

// obey carries out the launcher's frames until the job is finished ("")
// or the launcher is lost (why).
func (a *agent) obey(stdinW *os.File) string {
	defer func() {
		if stdinW != nil {
			stdinW.Close()
		}
	}()
	for {
		kind, p, err := readFrame(a.in)
		if err != nil {
			if err == io.EOF {
				return "lost the launcher (its pipe closed)"
			}
			return "lost the launcher: " + err.Error()
		}
		switch kind {
		case frameStdin:
			if stdinW != nil {
				if _, err := stdinW.Write(p); err != nil {
					stdinW.Close() // rank 0 stopped reading
					stdinW = nil
				}
			}
		case frameStdinEOF:
			if stdinW != nil {
				stdinW.Close()
				stdinW = nil
			}
		case frameCheck:
			go a.checkInterest()
		case frameTerm:
			sig, _ := strconv.Atoi(string(p))
			a.j.terminate(errors.New("ended by the launcher"), syscall.Signal(sig))
		case frameKill:
			a.j.killAll()
		case frameFinish:
			return ""
		}
	}
}

// checkInterest answers frameCheck once this host's server knows the inbox
// of every rank of the job: a frame any rank here sends then has
// somewhere to go.
func (a *agent) checkInterest() {
	for r := 0; r < a.c.Size; r++ {
		for !a.srv.Interest(jobenv.SubjectFrame(a.c.Job, r, 0)) {
			time.Sleep(time.Millisecond)
		}
	}
	a.out.send(frameChecked, nil)
}

// watchLauncher beats this host's heart on the bus and reports the
// launcher lost when its own beat stays away for the host timeout.
func (a *agent) watchLauncher(lost chan<- string, stop <-chan struct{}) {
	beats := make(chan struct{}, 1)
	sub, err := a.nc.Subscribe(subjectBeat(a.c.Job, -1), func(*nats.Msg) {
		select {
		case beats <- struct{}{}:
		default:
		}
	})
	if err != nil {
		lost <- "heartbeat: " + err.Error()
		return
	}
	defer sub.Unsubscribe()
	every := beatInterval(a.c.HostTimeout)
	tick := time.NewTicker(every)
	defer tick.Stop()
	last := time.Now()
	mine := subjectBeat(a.c.Job, a.c.Node)
	for {
		select {
		case <-stop:
			return
		case <-beats:
			last = time.Now()
		case <-tick.C:
			a.nc.Publish(mine, nil)
			a.checkRoutes()
			if time.Since(last) > a.c.HostTimeout {
				lost <- fmt.Sprintf("no heartbeat from the launcher for %v", a.c.HostTimeout.Round(time.Millisecond))
				return
			}
		}
	}
}

// subjectBeat is the heartbeat subject of host node (-1: the launcher).
func subjectBeat(job string, node int) string {
	if node < 0 {
		return "gorun." + job + ".beat.launcher"
	}
	return "gorun." + job + ".beat." + strconv.Itoa(node)
}

// beatInterval is how often heartbeats go out: several per host timeout.
func beatInterval(timeout time.Duration) time.Duration {
	return max(min(timeout/6, time.Second), 20*time.Millisecond)
}

// checkRoutes tells the launcher of every route of the mesh that has
// closed: messages in flight on it are lost, so the job cannot go on.
func (a *agent) checkRoutes() {
	now := a.srv.RemoteIDs()
	for id := range a.mesh {
		if !now[id] {
			a.out.send(frameRoute, []byte(id))
			delete(a.mesh, id) // once is enough
		}
	}
}
