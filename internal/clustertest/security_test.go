package clustertest

import (
	"io"
	"net"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
)

// agentLine is what an agent logs under -v about its server.
var agentLine = regexp.MustCompile(`gorun agent (\S+): server nats nats://127\.0\.0\.1:(\d+) \(routes (\S+)\)`)

// TestSecurity: while a job runs, its route port refuses a client and a
// server without the job's route credentials, a host's client port is
// unreachable from the other hosts and refuses a client without the
// token on its own host; then Ctrl-C ends the job on every host (130).
func TestSecurity(t *testing.T) {
	c := needCluster(t)
	cmd, wait := c.startHanging(t, c.via()["ssh"], "-v")
	defer func() {
		cmd.Process.Signal(syscall.SIGINT)
		r := wait()
		if r.code != 130 {
			t.Errorf("after Ctrl-C: exit %d, want 130\n%s", r.code, r.stderr)
		}
	}()
	var clientPort, routeAddr string
	deadline := time.Now().Add(10 * time.Second)
	for clientPort == "" {
		out, _ := cmd.Stderr.(interface{ String() string })
		for _, m := range agentLine.FindAllStringSubmatch(out.String(), -1) {
			if m[1] == c.hosts[1] {
				clientPort, routeAddr = m[2], m[3]
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no server line of host 2's agent in:\n%s", out)
		}
		time.Sleep(10 * time.Millisecond)
	}

	// A client on the route port, with and without made-up credentials.
	for _, url := range []string{"nats://" + routeAddr, "nats://gorun-x:guess@" + routeAddr} {
		if nc, err := nats.Connect(url, nats.Timeout(3*time.Second), nats.NoReconnect()); err == nil {
			nc.Close()
			t.Errorf("a client without the job's credentials connected to the route port %s", url)
		}
	}
	// A server: a route CONNECT with made-up credentials.
	conn, err := net.DialTimeout("tcp", routeAddr, 3*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(5 * time.Second))
	conn.Write([]byte(`CONNECT {"user":"gorun-x","pass":"guess","name":"intruder","cluster":"gorun"}` + "\r\nPING\r\n"))
	buf := make([]byte, 8192)
	var got strings.Builder
	for !strings.Contains(got.String(), "-ERR") {
		n, err := conn.Read(buf)
		got.Write(buf[:n])
		if err != nil {
			break
		}
	}
	if !strings.Contains(got.String(), "Authorization Violation") {
		t.Errorf("a route without the job's credentials was not refused: %q", got.String())
	}

	// The client port from another host, and from its own without the token.
	probe := "exec 3<>/dev/tcp/" + c.hosts[1] + "/" + clientPort
	if out, err := c.onHost(3, "bash", "-c", probe); err == nil {
		t.Errorf("host 3 reached host 2's client port %s: %s", clientPort, out)
	}
	noToken := `exec 3<>/dev/tcp/127.0.0.1/` + clientPort + `; read -t 3 info <&3; printf 'CONNECT {"verbose":false}\r\nPING\r\n' >&3; read -t 3 reply <&3; echo "$reply"`
	if out, _ := c.onHost(2, "bash", "-c", noToken); !strings.Contains(out, "Authorization Violation") {
		t.Errorf("host 2's client port took a client without the token: %q", out)
	}
}

// TestRouteTLS: with --tls (a CA made for the job) pi across 3 hosts
// gives the answer of one host, and while a job runs its route port
// refuses a plaintext connection.
func TestRouteTLS(t *testing.T) {
	c := needCluster(t)
	pi := filepath.Join(c.bin, "pi")
	one := c.gorun(t, time.Minute, "-n", "5", "--oversubscribe", "-q", pi)
	want := firstLine(one.stdout, "[rank 0] pi=")
	r := c.gorun(t, time.Minute, append(append([]string{"-H", c.hostList(1, 2, 2), "-q", "--tls"}, c.via()["ssh"]...), pi)...)
	if got := firstLine(r.stdout, "[rank 0] pi="); r.code != 0 || want == "" || got != want {
		t.Fatalf("exit %d, %q; on one host %q\n%s", r.code, got, want, r.stderr)
	}

	cmd, wait := c.startHanging(t, c.via()["template"], "-v", "--tls")
	defer func() {
		cmd.Process.Signal(syscall.SIGINT)
		if r := wait(); r.code != 130 {
			t.Errorf("after Ctrl-C: exit %d, want 130\n%s", r.code, r.stderr)
		}
	}()
	var routeAddr string
	deadline := time.Now().Add(10 * time.Second)
	for routeAddr == "" {
		out, _ := cmd.Stderr.(interface{ String() string })
		for _, m := range agentLine.FindAllStringSubmatch(out.String(), -1) {
			if m[1] == c.hosts[1] {
				routeAddr = m[3]
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no server line of host 2's agent in:\n%s", out)
		}
		time.Sleep(10 * time.Millisecond)
	}
	conn, err := net.DialTimeout("tcp", routeAddr, 3*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(15 * time.Second))
	conn.Write([]byte(`CONNECT {"user":"gorun-x","pass":"guess","name":"intruder","cluster":"gorun"}` + "\r\nPING\r\n"))
	got, err := io.ReadAll(conn)
	if strings.Contains(string(got), "PONG") || strings.Contains(string(got), "INFO") {
		t.Errorf("a plaintext route connection was answered: %q", got)
	}
	if ne, ok := err.(net.Error); ok && ne.Timeout() {
		t.Errorf("a plaintext route connection is still open after 15s")
	}
}
