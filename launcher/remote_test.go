//go:build linux

package launcher_test

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/gorun-dev/gorun/comm/natsbus"
	"github.com/gorun-dev/gorun/launcher"
	"github.com/gorun-dev/gorun/launcher/hosts"
)

// agentEnv makes the test binary act as a host's agent (gorun --agent).
const agentEnv = "LAUNCHER_TEST_AGENT"

// hostsConfig runs n helper ranks on two "hosts" of this machine,
// 127.0.0.1 (one slot) and 127.0.0.2 (the rest), each with an agent that
// is this test binary, started through a template: the multi-host path
// whole, without root or ssh.
func hostsConfig(n int, args ...string) (launcher.Config, *syncBuffer, *syncBuffer) {
	cfg, out, errb := helperConfig(n, args...)
	cfg.Hosts = []hosts.Host{{Name: "127.0.0.1", Slots: 1}, {Name: "127.0.0.2", Slots: n - 1}}
	cfg.LaunchAgent = "env " + agentEnv + "=1 GORACE=atexit_sleep_ms=0 HOST={host}"
	cfg.Agent = []string{os.Args[0]}
	cfg.HostTimeout = 10 * time.Second
	return cfg, out, errb
}

func TestHostsOutputAndEnv(t *testing.T) {
	cfg, out, errb := hostsConfig(3, "env")
	if err := launcher.Run(context.Background(), cfg); err != nil {
		t.Fatalf("%v\n%s", err, errb)
	}
	urls := map[string]bool{}
	for _, l := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		if strings.Contains(l, "token in environment") {
			t.Errorf("%s", l)
		}
		if i := strings.Index(l, " url="); i >= 0 {
			urls[strings.Fields(l[i+1:])[0]] = true
		}
	}
	// Each host's ranks connect to their own host's server.
	if len(urls) != 2 {
		t.Errorf("ranks used %d servers, want 2 (one a host):\n%s", len(urls), out)
	}
	for _, r := range []string{"[rank 0] rank=0 size=3", "[rank 1] rank=1 size=3", "[rank 2] rank=2 size=3"} {
		if !strings.Contains(out.String(), r) {
			t.Errorf("no line %q in:\n%s", r, out)
		}
	}
}

func TestHostsRankFails(t *testing.T) {
	cfg, _, errb := hostsConfig(3, "exit", "2", "3")
	t0 := time.Now()
	err := launcher.Run(context.Background(), cfg)
	var ee *launcher.ExitError
	if !errors.As(err, &ee) || ee.Rank != 2 || ee.Code != 3 {
		t.Fatalf("Run: %v, want rank 2 exited with code 3\n%s", err, errb)
	}
	if took := time.Since(t0); took > 10*time.Second {
		t.Errorf("the job took %v", took)
	}
}

// A rank that failed on its own is named even when it is the last to
// exit: its peers, told of the failure, exited ExitAborted first, and the
// job's SIGTERM reached it before its own exit status.
func TestHostsFailedRankExitsLast(t *testing.T) {
	for _, mode := range []launcher.Mode{launcher.ModeProcesses, launcher.ModeHybrid} {
		t.Run(string(mode), func(t *testing.T) {
			cfg, _, errb := hostsConfig(3, "faillast", "0")
			cfg.Mode = mode
			err := launcher.Run(context.Background(), cfg)
			var ee *launcher.ExitError
			if !errors.As(err, &ee) || ee.Rank != 0 || ee.Code != 3 {
				t.Fatalf("Run: %v, want rank 0 exited with code 3\n%s", err, errb)
			}
		})
	}
}

func TestHostsProgramNotFound(t *testing.T) {
	cfg, _, _ := hostsConfig(2, "print", "x", "y")
	cfg.Program = "gorun-no-such-program"
	err := launcher.Run(context.Background(), cfg)
	if code := launcher.ExitCode(err); code != launcher.ExitNotFound || !strings.Contains(err.Error(), "on host 127.0.0.") {
		t.Fatalf("Run: %v (exit %d), want %d naming the host", err, code, launcher.ExitNotFound)
	}
}

func TestHostsAgentCannotStart(t *testing.T) {
	cfg, _, _ := hostsConfig(2, "print", "x", "y")
	cfg.LaunchAgent = "false {host}" // the agent's command exits 1 at once
	err := launcher.Run(context.Background(), cfg)
	var hl *launcher.HostLostError
	if !errors.As(err, &hl) || launcher.ExitCode(err) != launcher.ExitHostLost {
		t.Fatalf("Run: %v, want a lost host (exit %d)", err, launcher.ExitHostLost)
	}
}

func TestHostsValidate(t *testing.T) {
	for _, tc := range []struct {
		edit func(*launcher.Config)
		want string
	}{
		{func(c *launcher.Config) { c.Mode = launcher.ModeGoroutines }, "across hosts use --mode processes or hybrid"},
		{func(c *launcher.Config) { c.Server = "nats://127.0.0.1:4222" }, "--server cannot be used with hosts"},
		{func(c *launcher.Config) { c.Size, c.Oversubscribe = 9, false }, "9 ranks but only 3 slots on 2 hosts"},
		{func(c *launcher.Config) { c.HostTimeout = -time.Second }, "--host-timeout"},
		{func(c *launcher.Config) { c.SSH = "ssh -v" }, "contradict"},
	} {
		cfg, _, _ := hostsConfig(3, "print", "x", "y")
		tc.edit(&cfg)
		err := cfg.Validate()
		var ue *launcher.UsageError
		if !errors.As(err, &ue) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Validate: %v, want a usage error with %q", err, tc.want)
		}
	}
}

// With route TLS (a CA made for the job, or given as files) the hosts'
// servers route over mutual TLS and the job runs as without.
func TestHostsRouteTLS(t *testing.T) {
	files, err := natsbus.NewJobCA("files")
	if err != nil {
		t.Fatal(err)
	}
	for name, r := range map[string]*natsbus.RouteTLS{"job CA": {}, "files": files} {
		t.Run(name, func(t *testing.T) {
			cfg, out, errb := hostsConfig(3, "sum")
			cfg.RouteTLS = r
			if err := launcher.Run(context.Background(), cfg); err != nil {
				t.Fatalf("%v\n%s", err, errb)
			}
			if n := strings.Count(out.String(), "sum=6"); n != 3 {
				t.Errorf("%d ranks printed sum=6:\n%s", n, out)
			}
		})
	}
	cfg, _, _ := hostsConfig(3, "sum")
	cfg.RouteTLS = &natsbus.RouteTLS{CA: files.CA, Cert: files.Cert, Key: []byte("not a key")}
	var ue *launcher.UsageError
	if err := launcher.Run(context.Background(), cfg); !errors.As(err, &ue) || !strings.Contains(err.Error(), "the certificate and key") {
		t.Fatalf("a bad key: %v, want a usage error about the certificate and key", err)
	}
}
