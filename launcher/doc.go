// Package launcher starts the N ranks of one gorun job and turns their fate
// into one exit status, the way mpirun does, and better.
//
// # Model
//
// Run starts Config.Program Size times (mode "processes") or once with Size
// goroutine ranks inside (mode "goroutines"; it gets GORUN_TAG and no bus:
// when Config.Observers may listen to its reports, it writes them to a pipe
// named by GORUN_REPORT_FD, so a goroutine job costs the program and a few
// milliseconds of the launcher's own). In process mode
// the ranks talk over a NATS bus: an embedded server on 127.0.0.1 with a random port and a
// random per-job token (Config.Server selects an existing NATS instead).
// Every rank gets the environment contract of package jobenv: GORUN_RANK,
// GORUN_SIZE, GORUN_URL, GORUN_JOB, GORUN_MODE and GORUN_TOKEN_SOCK, an
// abstract Unix socket that gives the bus token to each rank process once,
// on request, and to no other process (the kernel's SO_PEERCRED pid must be
// a rank's); the token never appears in argv, in the environment or in ps,
// and a program that never asks, with its children, holds no copy. On the
// job's own servers (embedded, each host's agent, a direct launch) a rank
// is handed not the token but its own bus user (jobenv.Credentials), whose
// permissions let it send frames and reports only as itself and read only
// its own inbox; a hybrid process is handed the credentials of each of its
// ranks (jobenv.CredentialsOf), one per connection. With --server, an
// existing NATS whose users the launcher cannot configure, every process is
// handed the token.
//
// The launcher listens for the ready barrier (natsbus.ListenReady) before the
// first rank starts and releases the ranks once all have asked, in the
// background: a program that never touches the bus, like /bin/hostname, runs
// and exits normally.
//
// Output of every rank is forwarded line by line to Config.Stdout and
// Config.Stderr; a line is written whole, so two ranks never share one line.
// With Tag on (the default when Size > 1) each line starts with "[rank N] ".
// Lines longer than MaxLine bytes are split. Standard input goes to rank 0.
//
// # Failure
//
// The job succeeds only when every rank exits 0. The first rank to fail
// (exit code not 0, or killed by a signal) decides the result: Run returns
// an *ExitError naming that rank, publishes "<rank> <reason>" (such as
// "2 exited with code 3"; rank -1 when a timeout or a signal ended the job)
// on jobenv.SubjectAbort(job) so blocked calls in the surviving ranks fail at
// once, sends the others SIGTERM, and SIGKILL after Config.Grace
// (DefaultGrace, 500ms). Each rank runs in its own process group, which is
// signalled whole (except rank 0 when its stdin is a terminal: it stays in
// the launcher's group so it may read the terminal). Ranks never outlive the launcher: they are started with
// Pdeathsig SIGKILL from one locked OS thread, so even a SIGKILLed gorun
// takes its ranks with it, and the embedded bus closes with it. Their
// children go too: a small /bin/sh watcher outside the job, told of each
// rank's process group, SIGKILLs those groups when the launcher dies
// without ending the job. A descendant that left its rank's group (setsid)
// is held by the job's cgroup v2 where one can be made, else by the rank's
// supervisor, a child subreaper that kills everything under the rank when
// the rank exits or the launcher dies (EnvNoCgroup forces this).
//
// A rank that fails only because the job was aborted is never blamed while
// a rank that failed on its own exists: a comm.Main program whose error
// wraps comm.ErrAborted (a peer failed first) exits jobenv.ExitAborted (120),
// as does one stopped by a signal, and a rank killed by a signal the
// launcher sent does not count either. Such a failure still ends the job,
// but the verdict waits for the rank that failed first, however the ranks
// happen to be reaped; only if none did is the aborted rank named. Before it
// exits, a comm rank that fails tells its peers which rank failed first, so
// that their blocked calls fail at once with a *comm.RankFailedError naming
// that rank and not each other.
//
// A signal received on Config.Signals (gorun forwards SIGINT, SIGTERM and
// SIGHUP) is passed on to every rank, as SIGTERM where this process ignores
// it (the ranks inherit that), and the ranks get SIGKILL after the grace
// period; a second signal kills them at once. Config.Timeout ends the job
// the same way.
//
// # Exit codes
//
// ExitCode maps Run's error to the exit status of gorun:
//
//	0        every rank exited 0
//	1-255    the first failing rank's exit code; 128+N if signal N killed it
//	         (a Go panic exits 2; 120 only when every failing rank was
//	         aborted, jobenv.ExitAborted)
//	2        bad usage or configuration (ExitUsage)
//	122      a host of a multi-host job was lost (ExitHostLost)
//	124      the job ran past Config.Timeout (ExitTimeout)
//	125      the launcher itself failed, e.g. the bus did not start or a rank
//	         could not be forked at the process limit (ExitInternal)
//	126      the program is not executable (ExitNotExecutable)
//	127      the program was not found (ExitNotFound)
//	128+N    gorun received signal N and ended the job (130 for Ctrl-C,
//	         143 for SIGTERM)
//
// # Many hosts
//
// With Config.Hosts set, Run places the ranks on the hosts (by slot, or
// round-robin with hosts.ByNode) and starts one agent per host: the same
// binary's RunAgent (gorun --agent), over ssh -x -o BatchMode=yes, or
// through Config.LaunchAgent, a template whose {host} is replaced. The
// job's secrets (the client token and the route credentials) are the
// first frame on the agent's stdin; frames on its stdout carry the ranks'
// output lines, exit reports and answers back (agent_wire.go). Each agent
// embeds a NATS server with its client port on 127.0.0.1 and a route port
// joined to the launcher's server and every other agent's, waits for the
// full mesh and the launcher's ready subscription, and starts its ranks
// with this package's own job machinery; the ranks connect to their
// host's server. The ready barrier holds until every server knows every
// rank's inbox, so no frame is sent before its receiver's interest has
// reached the sender's server. With Config.RouteTLS the routes are mutual
// TLS (natsbus.RouteTLS): with the caller's CA, certificate and key, or
// with a CA made for the job; the PEM material travels with the other
// secrets on the agents' stdin.
//
// Agents and launcher heartbeat on the bus. A host silent for
// Config.HostTimeout (DefaultHostTimeout), whose route to another server
// of the job closes (messages in flight on it are lost), or whose agent
// (or ssh) exits while ranks of it are still running, ends the job with a
// *HostLostError (ExitHostLost) naming the host and its ranks. An agent
// whose stdin closes, or that stops hearing the launcher for the host
// timeout, kills its ranks and exits: nothing of a job outlives it.
//
// # Observers
//
// Config.Observers watch a running job (a resource monitor, a progress
// display): each gets a *Job with the job id, the rank PIDs and the launcher's
// NATS connection once every rank has started, and runs until the job ends.
// Progress sums the ranks' reports (jobenv.SubjectProgress) into one bar
// drawn by github.com/schollz/progressbar/v3 (maintained, pure Go: rate,
// ETA, throttled redraws and terminal width, which a hand-written bar would
// have to get right), or plain lines when stderr is not a terminal. The
// resource monitor of gorun --monitor is package launcher/monitor.
package launcher
