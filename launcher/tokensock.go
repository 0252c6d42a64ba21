package launcher

import (
	"fmt"
	"net"
	"sync"
	"time"

	"github.com/gorun-dev/gorun/comm/natsbus"
)

// tokenServer hands each rank process its bus secret (its own credentials,
// jobenv.Credentials, or the job's token), once, and to no one else, over a Unix socket in the abstract namespace (named in
// jobenv.EnvTokenSock): it answers a connection only when the kernel's
// SO_PEERCRED pid of the peer is a rank this job started that has not
// taken the token yet. A program that never asks (a shell rank, hostname)
// holds no copy of the token, and neither do its children, which a
// descriptor passed at exec would have given them; a child that asks is
// refused, its pid being not a rank's.
type tokenServer struct {
	ln   *net.UnixListener
	name string

	mu      sync.Mutex
	pids    map[int]string // rank pid -> its secret, until taken
	started chan struct{}
	once    sync.Once
}

// startTokenServer listens on a fresh abstract socket.
func startTokenServer() (*tokenServer, error) {
	suffix, err := natsbus.RandomToken()
	if err != nil {
		return nil, err
	}
	name := "@gorun-token-" + suffix
	ln, err := net.ListenUnix("unix", &net.UnixAddr{Name: name, Net: "unix"})
	if err != nil {
		return nil, fmt.Errorf("launcher: token socket: %w", err)
	}
	ts := &tokenServer{ln: ln, name: name, pids: make(map[int]string), started: make(chan struct{})}
	go ts.serve()
	return ts, nil
}

// allow lets the rank process pid take secret once.
func (ts *tokenServer) allow(pid int, secret string) {
	ts.mu.Lock()
	ts.pids[pid] = secret
	ts.mu.Unlock()
}

// allStarted says that every rank has started: a peer not allowed by then
// never will be.
func (ts *tokenServer) allStarted() { ts.once.Do(func() { close(ts.started) }) }

func (ts *tokenServer) close() {
	ts.allStarted()
	ts.ln.Close()
}

func (ts *tokenServer) serve() {
	for {
		c, err := ts.ln.AcceptUnix()
		if err != nil {
			return // closed
		}
		go ts.answer(c)
	}
}

// answer writes its secret to c if its peer is a rank that has not had it.
func (ts *tokenServer) answer(c *net.UnixConn) {
	defer c.Close()
	pid, ok := peerPID(c)
	if !ok {
		return
	}
	secret := ts.take(pid)
	if secret == "" {
		// A rank that asks before Start has returned in the launcher.
		<-ts.started
		if secret = ts.take(pid); secret == "" {
			return
		}
	}
	c.SetWriteDeadline(time.Now().Add(10 * time.Second))
	c.Write([]byte(secret))
}

// take returns pid's secret ("" for none), using its one turn.
func (ts *tokenServer) take(pid int) string {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	secret := ts.pids[pid]
	ts.pids[pid] = ""
	return secret
}
