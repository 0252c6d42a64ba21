//go:build linux

package launcher_test

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/gorun-dev/gorun/comm/natsbus"
	"github.com/gorun-dev/gorun/launcher"
)

func TestReadyBarrier(t *testing.T) {
	tests := []struct {
		name     string
		external bool
		args     []string
		want     []string
		rank     int // failing rank, or -1
	}{
		{name: "embedded", args: []string{"ready"}, rank: -1,
			want: []string{"[rank 0] released", "[rank 1] released", "[rank 2] released"}},
		{name: "external nats-server", external: true, args: []string{"ready"}, rank: -1,
			want: []string{"[rank 0] released", "[rank 1] released", "[rank 2] released"}},
		{name: "abort notice", args: []string{"ready", "fail", "1"}, rank: 1,
			want: []string{"[rank 0] abort: 1 exited with code 3", "[rank 0] released",
				"[rank 1] released",
				"[rank 2] abort: 1 exited with code 3", "[rank 2] released"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, out, errb := helperConfig(3, tt.args...)
			if tt.external {
				cfg.Server, cfg.Token = startNATSServer(t)
			}
			err := launcher.Run(context.Background(), cfg)
			if tt.rank < 0 && err != nil {
				t.Fatalf("Run: %v; stderr:\n%s", err, errb)
			}
			if tt.rank >= 0 && err == nil {
				t.Fatalf("Run succeeded, want rank %d to fail", tt.rank)
			}
			if got := sortedLines(out.String()); fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("stdout %q, want %q; stderr:\n%s", got, tt.want, errb)
			}
		})
	}
}

// startNATSServer starts Debian's nats-server binary on a free loopback
// port with a token and returns its URL and token; the test is skipped,
// loudly, when the binary is missing.
func startNATSServer(t *testing.T) (url, token string) {
	t.Helper()
	bin, err := exec.LookPath("nats-server")
	if err != nil {
		if _, serr := os.Stat("/usr/sbin/nats-server"); serr != nil {
			t.Skip("SKIPPED LOUDLY: no nats-server binary (apt-get install -y nats-server); --server against an external NATS is untested")
		}
		bin = "/usr/sbin/nats-server"
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	token, err = natsbus.RandomToken()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "-a", "127.0.0.1", "-p", fmt.Sprint(port), "--auth", token)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	ready := make(chan bool, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			if strings.Contains(sc.Text(), "Server is ready") {
				ready <- true
			}
		}
		close(ready)
	}()
	select {
	case ok := <-ready:
		if !ok {
			t.Fatal("nats-server exited before it was ready")
		}
	case <-time.After(10 * time.Second):
		t.Fatal("nats-server not ready after 10s")
	}
	return fmt.Sprintf("nats://127.0.0.1:%d", port), token
}
