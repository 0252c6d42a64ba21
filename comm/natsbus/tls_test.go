package natsbus

import (
	"bufio"
	"crypto/tls"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
)

// routeTLS is a tls.Config of a new job CA.
func routeTLS(t *testing.T) (*RouteTLS, *tls.Config) {
	t.Helper()
	r, err := NewJobCA("test")
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := r.Config()
	if err != nil {
		t.Fatal(err)
	}
	return r, cfg
}

// Two servers with certificates of one job CA form a route that carries
// messages; a peer with another CA's certificate, or without TLS, is
// refused on the route port.
func TestRouteTLS(t *testing.T) {
	_, cfg := routeTLS(t)
	start := func(seeds ...string) *Server {
		s, err := Start(Options{Token: "tok", Cluster: &Cluster{Host: "127.0.0.1", User: "u", Password: "p", Seeds: seeds, TLS: cfg}})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(s.Shutdown)
		return s
	}
	s1 := start()
	s2 := start(s1.RouteAddr())
	deadline := time.Now().Add(10 * time.Second)
	for s1.Remotes() != 1 || s2.Remotes() != 1 {
		if time.Now().After(deadline) {
			t.Fatalf("no TLS route after 10s: %d and %d remotes", s1.Remotes(), s2.Remotes())
		}
		time.Sleep(10 * time.Millisecond)
	}
	sub, err := nats.Connect(s2.URL(), nats.Token("tok"))
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	got, err := sub.SubscribeSync("x")
	if err != nil || sub.Flush() != nil {
		t.Fatal(err)
	}
	for !s1.Interest("x") {
		if time.Now().After(deadline) {
			t.Fatal("s1 never learnt of the subscription on s2")
		}
		time.Sleep(10 * time.Millisecond)
	}
	pub, err := nats.Connect(s1.URL(), nats.Token("tok"))
	if err != nil {
		t.Fatal(err)
	}
	defer pub.Close()
	pub.Publish("x", []byte("over TLS"))
	if m, err := got.NextMsg(10 * time.Second); err != nil || string(m.Data) != "over TLS" {
		t.Fatalf("across the route: %v %v", m, err)
	}

	t.Run("another CA", func(t *testing.T) {
		_, other := routeTLS(t)
		conn, err := net.DialTimeout("tcp", s1.RouteAddr(), 5*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		conn.SetDeadline(time.Now().Add(10 * time.Second))
		tc := tls.Client(conn, other)
		err = tc.Handshake()
		if err == nil {
			tc.Write([]byte("CONNECT {\"user\":\"u\",\"pass\":\"p\"}\r\nPING\r\n"))
			buf := make([]byte, 4096)
			var n int
			n, err = tc.Read(buf)
			if strings.Contains(string(buf[:n]), "PONG") {
				t.Fatalf("a route with another CA's certificate was answered: %q", buf[:n])
			}
		}
		if err == nil {
			t.Fatal("a route with another CA's certificate was not refused")
		}
	})
	t.Run("plaintext", func(t *testing.T) {
		conn, err := net.DialTimeout("tcp", s1.RouteAddr(), 5*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		conn.SetDeadline(time.Now().Add(10 * time.Second))
		// The server expects a TLS handshake first and closes the
		// connection when none comes.
		conn.Write([]byte("CONNECT {\"user\":\"u\",\"pass\":\"p\"}\r\nPING\r\n"))
		rest, err := bufio.NewReader(conn).ReadString(0)
		if strings.Contains(rest, "PONG") || strings.Contains(rest, "INFO") {
			t.Fatalf("a plaintext route was answered: %q", rest)
		}
		if ne, ok := err.(net.Error); ok && ne.Timeout() {
			t.Fatalf("a plaintext route is still open after 10s")
		}
	})
}

func TestRouteTLSConfigErrors(t *testing.T) {
	a, _ := routeTLS(t)
	b, _ := routeTLS(t)
	for _, tc := range []struct {
		name string
		r    RouteTLS
		want string
	}{
		{"no CA", RouteTLS{Cert: a.Cert, Key: a.Key}, "the CA holds no PEM certificate"},
		{"CA is a key", RouteTLS{CA: a.Key, Cert: a.Cert, Key: a.Key}, "the CA holds no PEM certificate"},
		{"key of another certificate", RouteTLS{CA: a.CA, Cert: a.Cert, Key: b.Key}, "the certificate and key"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := tc.r.Config(); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("%v, want an error containing %q", err, tc.want)
			}
		})
	}
}
