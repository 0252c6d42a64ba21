package natsbus

import (
	"crypto/tls"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"time"

	"github.com/nats-io/nats-server/v2/server"
)

// Cluster joins an embedded server to others by routes, as the servers of
// a multi-host job are: the client port stays on 127.0.0.1, the route port
// listens on Host and takes only servers that present User and Password.
type Cluster struct {
	Host      string   // address the route port listens on (its port is random)
	Advertise string   // HOST:PORT other servers dial for this one; "" for Host's
	User      string   // route credentials, the same on every server of the job
	Password  string   //
	Seeds     []string // HOST:PORT route addresses to dial; the others are learnt from them

	// Ping is the route keep-alive interval; a route that misses three
	// answers is closed. 0 means one second.
	Ping time.Duration

	// TLS, when set, makes every route mutual TLS (RouteTLS.Config): the
	// route port then refuses plaintext connections.
	TLS *tls.Config
}

func (c *Cluster) apply(so *server.Options) {
	ping := c.Ping
	if ping == 0 {
		ping = time.Second
	}
	so.Cluster = server.ClusterOpts{
		Name:           "gorun",
		Host:           c.Host,
		Port:           server.RANDOM_PORT,
		Username:       c.User,
		Password:       c.Password,
		Advertise:      c.Advertise,
		AuthTimeout:    5,
		ConnectRetries: 3,
		PingInterval:   ping,
		MaxPingsOut:    3,
		Compression:    server.CompressionOpts{Mode: server.CompressionOff},
	}
	if c.TLS != nil {
		so.Cluster.TLSConfig = c.TLS
		so.Cluster.TLSTimeout = 5 // seconds: a loaded host is slow to handshake
	}
	for _, s := range c.Seeds {
		so.Routes = append(so.Routes, &url.URL{Scheme: "nats-route", User: url.UserPassword(c.User, c.Password), Host: s})
	}
}

// RouteAddr is the HOST:PORT the route port listens on ("" without routes).
func (s *Server) RouteAddr() string {
	a := s.srv.ClusterAddr()
	if a == nil {
		return ""
	}
	return net.JoinHostPort(a.IP.String(), strconv.Itoa(a.Port))
}

// Remotes is the number of other servers this one has a route to.
func (s *Server) Remotes() int { return s.srv.NumRemotes() }

// Interest reports whether this server knows of a subscription matching
// subject, its own clients' or learnt over a route: a message published
// here now reaches that subscriber.
func (s *Server) Interest(subject string) bool {
	return s.srv.GlobalAccount().SubscriptionInterest(subject)
}

// Name is the server's id, as other servers know it.
func (s *Server) Name() string { return s.srv.ID() }

// String describes the server for logs.
func (s *Server) String() string {
	return fmt.Sprintf("nats %s (routes %s)", s.URL(), s.RouteAddr())
}

// RemoteIDs lists the ids (Name) of the servers this one has a route to.
func (s *Server) RemoteIDs() map[string]bool {
	rz, err := s.srv.Routez(nil)
	ids := make(map[string]bool)
	if err != nil {
		return ids
	}
	for _, r := range rz.Routes {
		ids[r.RemoteID] = true
	}
	return ids
}

// StartMesh starts n servers on 127.0.0.1 joined by routes, all with one
// token, and returns once each has a route to every other: a NATS
// cluster in one process, for tests of what crosses a route.
func StartMesh(n int, opts Options) ([]*Server, error) {
	if opts.Token == "" {
		tok, err := RandomToken()
		if err != nil {
			return nil, err
		}
		opts.Token = tok
	}
	pass, err := RandomToken()
	if err != nil {
		return nil, err
	}
	var servers []*Server
	fail := func(err error) ([]*Server, error) {
		for _, s := range servers {
			s.Shutdown()
		}
		return nil, err
	}
	for i := range n {
		o := opts
		o.Cluster = &Cluster{Host: "127.0.0.1", User: "mesh", Password: pass}
		if i > 0 {
			o.Cluster.Seeds = []string{servers[0].RouteAddr()}
		}
		s, err := Start(o)
		if err != nil {
			return fail(err)
		}
		servers = append(servers, s)
	}
	deadline := time.Now().Add(30 * time.Second)
	for _, s := range servers {
		for s.Remotes() < n-1 {
			if time.Now().After(deadline) {
				return fail(fmt.Errorf("natsbus: mesh of %d: a server has routes to %d others after 30s", n, s.Remotes()))
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
	return servers, nil
}
