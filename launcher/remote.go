package launcher

import (
	"context"
	"fmt"
	"net"
	"os"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/gorun-dev/gorun/comm/jobenv"
	"github.com/gorun-dev/gorun/comm/natsbus"
	"github.com/gorun-dev/gorun/launcher/hosts"
	"github.com/nats-io/nats.go"
)

// remoteJob is a job across hosts, from the launcher's side: a server of
// its own in the job's route mesh (for the ready barrier, aborts and
// heartbeats), and one agent per host that starts and reaps the ranks.
// The job ends once every rank is accounted for: its exit reported, or
// its host lost.
type remoteJob struct {
	cfg       *Config
	id        string
	token     string            // clients' token on every server
	routePass string            // routes' password on every server
	routeTLS  *natsbus.RouteTLS // nil: plaintext routes
	size      int
	agents    []*remoteAgent
	stdout    *dest
	stderr    *dest
	log       *logger
	srv       *natsbus.Server
	nc        *nats.Conn
	ready     *natsbus.Ready
	starter   agentStarter
	usage     *usageReports
	snapshots *snapshotQueue // the agents' samples for a Sampler; nil without one

	mu      sync.Mutex
	cause   error          // the first reason the job failed: the result
	aborted *ExitError     // the first rank that failed only because of an abort
	ending  bool           // the ranks have been told to end
	termSig syscall.Signal // what they were told to end with
	left    int            // ranks not yet accounted for
	settled chan struct{}  // closed when left reaches 0
}

// runHosts runs a job whose Config names hosts.
func runHosts(ctx context.Context, cfg *Config) error {
	size := cfg.hostsSize()
	place, err := hosts.Place(cfg.Hosts, size, cfg.MapBy, cfg.Oversubscribe)
	if err != nil {
		return usagef("%v", err)
	}
	id, err := natsbus.RandomToken()
	if err != nil {
		return err
	}
	token, err := natsbus.RandomToken()
	if err != nil {
		return err
	}
	routePass, err := natsbus.RandomToken()
	if err != nil {
		return err
	}
	var routeTLS *natsbus.RouteTLS
	if r := cfg.RouteTLS; r != nil {
		routeTLS = r
		if len(r.CA) == 0 && len(r.Cert) == 0 && len(r.Key) == 0 {
			if routeTLS, err = natsbus.NewJobCA(id[:12]); err != nil {
				return fmt.Errorf("launcher: the job's CA: %w", err)
			}
		}
	}
	j := &remoteJob{
		cfg: cfg, id: id[:12], token: token, routePass: routePass, routeTLS: routeTLS, size: size, left: size,
		stdout: &dest{w: cfg.stdout()}, stderr: &dest{w: cfg.stderr()},
		starter: newStarter(cfg), settled: make(chan struct{}),
	}
	if cfg.sampleInterval() > 0 {
		j.snapshots = &snapshotQueue{}
	}
	j.log = &logger{d: j.stderr, verbose: cfg.Verbose, quiet: cfg.Quiet}
	for i, ranks := range hosts.PerHost(place, len(cfg.Hosts)) {
		if len(ranks) == 0 {
			continue // more hosts than ranks: the rest stay idle
		}
		j.agents = append(j.agents, &remoteAgent{j: j, host: cfg.Hosts[i].Name, ranks: ranks})
	}
	for i, a := range j.agents {
		a.node = i
	}
	return j.run(ctx)
}

func (j *remoteJob) run(ctx context.Context) error {
	t0 := time.Now()
	seeds, err := j.startServer()
	if err != nil {
		return err
	}
	defer j.srv.Shutdown()
	defer j.nc.Close()
	j.log.debugf("job %s: %d ranks of %s on %d hosts; %v", j.id, j.size, j.cfg.Program, len(j.agents), j.srv)

	sp := startSpawner(min(len(j.agents), 4))
	defer sp.stop()
	cfgs, err := j.agentConfigs(seeds)
	if err != nil {
		return err
	}
	var starts sync.WaitGroup
	for i, a := range j.agents {
		starts.Go(func() {
			if err := a.start(sp, cfgs[i]); err != nil {
				j.hostLost(a, fmt.Sprintf("cannot start its agent: %v", err))
			}
		})
	}
	starts.Wait()
	j.log.debugf("started %d agents in %v", len(j.agents), time.Since(t0).Round(time.Microsecond))

	bgCtx, stopBg := context.WithCancel(context.Background())
	var bg sync.WaitGroup
	bg.Go(func() {
		if err := j.ready.Wait(bgCtx); err != nil && bgCtx.Err() == nil {
			j.log.warnf("ready barrier: %v", err)
		} else if err == nil {
			j.log.debugf("all %d ranks ready after %v", j.size, time.Since(t0).Round(time.Microsecond))
		}
	})
	bg.Go(func() { j.heartbeat(bgCtx) })
	bg.Go(func() { j.watch(ctx, bgCtx) })
	if j.cfg.Signals != nil {
		bg.Go(func() { j.forwardSignals(bgCtx) })
	}
	go j.forwardStdin() // may block on a terminal; it ends with the process
	// No PIDs: the ranks are on other hosts.
	job := &Job{ID: j.id, Mode: j.cfg.mode(), Size: j.size, Conn: j.nc, usage: j.usage, nodeOf: j.nodeOf(),
		snapshots: j.snapshots}
	for _, o := range j.cfg.Observers {
		bg.Go(func() {
			if err := o.Observe(bgCtx, job); err != nil {
				j.log.warnf("observer: %v", err)
			}
		})
	}

	<-j.settled
	j.log.debugf("every rank accounted for after %v", time.Since(t0).Round(time.Microsecond))
	stopBg()
	bg.Wait()
	j.finish()
	j.log.debugf("job %s ended after %v", j.id, time.Since(t0).Round(time.Microsecond))
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.cause == nil && j.aborted != nil {
		j.cause = j.aborted
	}
	return j.cause
}

// startServer starts the launcher's server, its route port where every
// host can reach it, and returns each agent's seed: the route address as
// that agent's host reaches it.
func (j *remoteJob) startServer() ([]string, error) {
	local := make([]string, len(j.agents))
	bind := ""
	for i, a := range j.agents {
		ip, err := localAddrToward(net.JoinHostPort(a.host, "9"))
		if err != nil {
			return nil, &HostLostError{Host: a.host, Ranks: a.ranks, Reason: err.Error()}
		}
		local[i] = ip
		if bind == "" {
			bind = ip
		} else if bind != ip {
			bind = "0.0.0.0"
		}
	}
	cluster := &natsbus.Cluster{Host: bind, User: j.routeUser(), Password: j.routePass}
	if j.routeTLS != nil {
		var err error
		if cluster.TLS, err = j.routeTLS.Config(); err != nil {
			return nil, usagef("--tls-ca, --tls-cert, --tls-key: %v", err)
		}
	}
	var err error
	j.srv, err = natsbus.Start(natsbus.Options{Token: j.token, Verbose: j.cfg.Verbose, Cluster: cluster})
	if err != nil {
		return nil, fmt.Errorf("launcher: bus: %w", err)
	}
	_, port, _ := net.SplitHostPort(j.srv.RouteAddr())
	seeds := make([]string, len(j.agents))
	for i := range seeds {
		seeds[i] = net.JoinHostPort(local[i], port)
	}
	j.nc, err = nats.Connect(j.srv.URL(), nats.Token(j.token), nats.NoReconnect(), nats.Name("gorun launcher "+j.id))
	if err != nil {
		j.srv.Shutdown()
		return nil, fmt.Errorf("launcher: bus: %w", err)
	}
	_, err = j.nc.Subscribe("gorun."+j.id+".beat.*", j.onBeat)
	if err == nil {
		j.usage = newUsageReports()
		_, err = j.nc.Subscribe(jobenv.SubjectUsage(j.id)+".*", j.usage.onUsage)
	}
	if err == nil {
		j.ready, err = natsbus.ListenReady(j.nc, j.id, j.size)
	}
	if err != nil {
		j.nc.Close()
		j.srv.Shutdown()
		return nil, fmt.Errorf("launcher: bus: %w", err)
	}
	j.ready.BeforeRelease = j.awaitInterest
	return seeds, nil
}

func (j *remoteJob) routeUser() string { return "gorun-" + j.id }

// agentConfigs is each agent's configuration.
func (j *remoteJob) agentConfigs(seeds []string) ([]agentConfig, error) {
	dir, err := os.Getwd()
	if err != nil {
		dir = ""
	}
	var env []string
	for _, kv := range j.cfg.Env {
		if strings.Contains(kv, "=") {
			env = append(env, kv)
		} else if v, ok := os.LookupEnv(kv); ok {
			env = append(env, kv+"="+v)
		}
	}
	out := make([]agentConfig, len(j.agents))
	for i, a := range j.agents {
		out[i] = agentConfig{
			Job: j.id, Token: j.token, RouteUser: j.routeUser(), RoutePass: j.routePass, Seed: seeds[i], RouteTLS: j.routeTLS,
			Host: a.host, Node: i, Nodes: len(j.agents), Size: j.size, Ranks: a.ranks, Mode: j.cfg.mode(),
			Program: j.cfg.Program, Args: j.cfg.Args, Dir: dir, Env: env,
			Tag: j.cfg.tagged(), TagHost: j.cfg.Verbose, Grace: j.cfg.grace(),
			HostTimeout: j.cfg.hostTimeout(), Verbose: j.cfg.Verbose, Monitor: j.cfg.sampleInterval(),
		}
	}
	return out, nil
}

// awaitInterest holds the ready barrier until every host's server knows
// every rank's inbox: a route learns of a subscription some time after it
// was made, and a frame published before that is dropped.
func (j *remoteJob) awaitInterest(ctx context.Context) error {
	for _, a := range j.agents {
		a.send(frameCheck, nil)
	}
	for _, a := range j.agents {
		select {
		case <-a.checked:
		case <-a.gone:
			return fmt.Errorf("host %s left before the ready barrier", a.host)
		case <-ctx.Done():
			return context.Cause(ctx)
		}
	}
	return nil
}

// onBeat records a host's heartbeat.
func (j *remoteJob) onBeat(m *nats.Msg) {
	i := strings.LastIndexByte(m.Subject, '.')
	var node int
	if _, err := fmt.Sscan(m.Subject[i+1:], &node); err != nil || node < 0 || node >= len(j.agents) {
		return
	}
	j.agents[node].lastBeat.Store(time.Now().UnixNano())
}

// heartbeat sends the launcher's beat and declares lost every host whose
// beat stayed away for the host timeout, or whose route to this server
// closed.
func (j *remoteJob) heartbeat(ctx context.Context) {
	timeout := j.cfg.hostTimeout()
	tick := time.NewTicker(beatInterval(timeout))
	defer tick.Stop()
	subj := subjectBeat(j.id, -1)
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		j.nc.Publish(subj, nil)
		now := time.Now().UnixNano()
		routes := j.srv.RemoteIDs()
		for _, a := range j.agents {
			if !a.pending() {
				continue
			}
			if silent := time.Duration(now - a.lastBeat.Load()); silent > timeout {
				j.hostLost(a, fmt.Sprintf("no heartbeat for %v", silent.Round(100*time.Millisecond)))
			} else if id, _ := a.serverID.Load().(string); id != "" && !routes[id] {
				// Once up, an agent's server keeps its route to this one
				// for the whole job: a closed route means messages lost.
				j.hostLost(a, "its route to the launcher closed")
			}
		}
	}
}

// watch ends the job when ctx is done or the timeout passes.
func (j *remoteJob) watch(ctx, bg context.Context) {
	var timeout <-chan time.Time
	if j.cfg.Timeout > 0 {
		t := time.NewTimer(j.cfg.Timeout)
		defer t.Stop()
		timeout = t.C
	}
	select {
	case <-bg.Done():
	case <-ctx.Done():
		j.terminate(fmt.Errorf("launcher: %w", context.Cause(ctx)), syscall.SIGTERM)
	case <-timeout:
		j.terminate(&TimeoutError{After: j.cfg.Timeout}, syscall.SIGTERM)
	}
}

// forwardSignals passes the first signal to every host's ranks and kills
// them on the second.
func (j *remoteJob) forwardSignals(ctx context.Context) {
	first := true
	for {
		select {
		case <-ctx.Done():
			return
		case s := <-j.cfg.Signals:
			sig, ok := s.(syscall.Signal)
			if !ok {
				sig = syscall.SIGTERM
			}
			if first {
				first = false
				j.terminate(&SignalError{Signal: sig}, sig)
				continue
			}
			for _, a := range j.agents {
				a.send(frameKill, nil)
			}
		}
	}
}

// forwardStdin sends Config.Stdin to rank 0's agent.
func (j *remoteJob) forwardStdin() {
	var a0 *remoteAgent
	for _, a := range j.agents {
		if a.ranks[0] == 0 {
			a0 = a
		}
	}
	if j.cfg.Stdin != nil {
		buf := make([]byte, 32<<10)
		for {
			n, err := j.cfg.Stdin.Read(buf)
			if n > 0 && a0.send(frameStdin, buf[:n]) != nil {
				return
			}
			if err != nil {
				break
			}
		}
	}
	a0.send(frameStdinEOF, nil)
}

// terminate ends the job because of cause (the first cause counts; nil
// records none, as job.terminate): the ranks hear it on the bus, and every
// agent signals its ranks, with SIGKILL after the grace period.
func (j *remoteJob) terminate(cause error, sig syscall.Signal) {
	j.mu.Lock()
	if j.cause != nil {
		j.mu.Unlock()
		return
	}
	// The last rank to exit may be the one that failed on its own: its
	// failure is the verdict even though nothing is left to end.
	j.cause = cause
	if j.left == 0 {
		j.mu.Unlock()
		return
	}
	ending := j.ending
	if !ending {
		j.ending, j.termSig = true, sig
	}
	j.mu.Unlock()
	if ending {
		return
	}
	rank, reason := -1, "another rank failed"
	if cause != nil {
		reason = cause.Error()
	}
	if ee, ok := cause.(*ExitError); ok {
		rank, reason = ee.Rank, exitReason(ee)
	}
	j.nc.Publish(jobenv.SubjectAbort(j.id), []byte(fmt.Sprintf("%d %s", rank, reason)))
	j.nc.Flush()
	j.log.debugf("ending the job (%v): sending %v", cause, sig)
	for _, a := range j.agents {
		a.send(frameTerm, []byte(fmt.Sprint(int(sig))))
	}
}

// rankExited accounts for a rank's exit report.
func (j *remoteJob) rankExited(a *remoteAgent, x rankExit) {
	if !j.account(a, []int{x.Rank}) {
		return
	}
	if x.Code == 0 {
		return
	}
	ee := exitError(x.Rank, x.Code, syscall.Signal(x.Signal), x.Reason)
	if x.Aborted {
		// As job.rankAborted: end the job, but the verdict waits for a
		// rank that failed on its own.
		j.mu.Lock()
		if j.aborted == nil {
			j.aborted = ee
		}
		j.mu.Unlock()
		j.terminate(nil, syscall.SIGTERM)
		return
	}
	j.terminate(ee, syscall.SIGTERM)
}

// hostLost gives up on a host's ranks that have not exited.
func (j *remoteJob) hostLost(a *remoteAgent, reason string) {
	ranks := a.unreported()
	if len(ranks) == 0 {
		return
	}
	j.terminate(&HostLostError{Host: a.host, Ranks: ranks, Reason: reason}, syscall.SIGTERM)
	j.account(a, ranks)
	a.kill()
}

// account marks ranks of a as done; it reports whether the first was new.
func (j *remoteJob) account(a *remoteAgent, ranks []int) bool {
	j.mu.Lock()
	defer j.mu.Unlock()
	fresh := false
	for i, r := range ranks {
		if a.done[r] {
			continue
		}
		if i == 0 {
			fresh = true
		}
		a.done[r] = true
		j.left--
		if j.left == 0 {
			close(j.settled)
		}
	}
	return fresh
}

// finish tells every agent the job is over and waits for them to exit;
// one that does not is killed.
func (j *remoteJob) finish() {
	for _, a := range j.agents {
		a.send(frameFinish, nil)
	}
	deadline := time.After(j.cfg.grace() + 2*time.Second)
	for _, a := range j.agents {
		select {
		case <-a.exited:
		case <-deadline:
			a.kill()
			<-a.exited
		}
	}
}

// nodeOf maps each rank to the index of the host it runs on.
func (j *remoteJob) nodeOf() func(rank int) int {
	node := make([]int, j.size)
	for i, a := range j.agents {
		for _, r := range a.ranks {
			node[r] = i
		}
	}
	return func(rank int) int {
		if rank < 0 || rank >= len(node) {
			return -1
		}
		return node[rank]
	}
}
