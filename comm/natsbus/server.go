package natsbus

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats-server/v2/server"
)

// DefaultMaxPayload is the largest single NATS message the embedded server
// accepts. Larger comm messages are chunked by the transport.
const DefaultMaxPayload = 8 << 20

// AuthTimeout is how long a client of an embedded server has, once
// connected, to present its token before the server drops it.
const AuthTimeout = 10 * time.Second

// Options configure an embedded server. The zero value is usable.
type Options struct {
	Token      string // auth token; a random one when empty
	MaxPayload int32  // default DefaultMaxPayload
	Verbose    bool   // log server events to stderr
	// Host is the address the client port listens on; "" means
	// 127.0.0.1. Only a job whose ranks connect from other hosts to one
	// server (a direct launch) listens elsewhere, behind its token.
	Host string

	// Cluster, when set, joins the server to other servers by routes.
	Cluster *Cluster

	// Job and Ranks, when Ranks is not empty, make a bus user for each of
	// those ranks of job, with the password and permissions of
	// jobenv.RankPassword and jobenv.RankPermissions. Clients with the
	// token keep every permission (the launcher, the agents).
	Job   string
	Ranks []int
}

// Server is a running embedded NATS server.
type Server struct {
	srv   *server.Server
	token string
}

// Start starts a server on opts.Host (127.0.0.1) with a random port and waits until it
// accepts connections.
func Start(opts Options) (*Server, error) {
	token := opts.Token
	if token == "" {
		var err error
		if token, err = RandomToken(); err != nil {
			return nil, err
		}
	}
	maxPayload := opts.MaxPayload
	if maxPayload == 0 {
		maxPayload = DefaultMaxPayload
	}
	host := opts.Host
	if host == "" {
		host = "127.0.0.1"
	}
	so := &server.Options{
		Host:          host,
		Port:          server.RANDOM_PORT,
		NoSigs:        true,
		NoLog:         !opts.Verbose,
		Authorization: token,
		MaxPayload:    maxPayload,
		// A rank that is busy computing must not be cut off as a slow
		// consumer while data for it is in flight.
		MaxPending:    512 << 20,
		WriteDeadline: 30 * time.Second,
		// A client must present its token this long after it connects.
		// The server's default of 2 s cuts off ranks that start while
		// the host is busy (many ranks starting at once on few cores).
		AuthTimeout: AuthTimeout.Seconds(),
	}
	if opts.Cluster != nil {
		opts.Cluster.apply(so)
	}
	so.Users = rankUsers(token, opts.Job, opts.Ranks)
	srv, err := server.NewServer(so)
	if err != nil {
		return nil, fmt.Errorf("natsbus: %w", err)
	}
	if opts.Verbose {
		srv.ConfigureLogger()
	}
	srv.Start() // returns once the client listener is up
	if !srv.ReadyForConnections(10 * time.Second) {
		srv.Shutdown()
		return nil, errors.New("natsbus: embedded server did not become ready in 10s")
	}
	return &Server{srv: srv, token: token}, nil
}

// URL is the client URL, without credentials.
func (s *Server) URL() string { return s.srv.ClientURL() }

// Token is the auth token clients must present.
func (s *Server) Token() string { return s.token }

// Shutdown stops the server and closes every client connection.
func (s *Server) Shutdown() {
	s.srv.Shutdown()
	s.srv.WaitForShutdown()
}

// RandomToken returns 32 random hex characters.
func RandomToken() (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("natsbus: token: %w", err)
	}
	return hex.EncodeToString(b[:]), nil
}
