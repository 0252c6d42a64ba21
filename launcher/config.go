package launcher

import (
	"context"
	"fmt"
	"io"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/gorun-dev/gorun/comm/jobenv"
	"github.com/gorun-dev/gorun/comm/natsbus"
	"github.com/gorun-dev/gorun/launcher/hosts"
	"github.com/gorun-dev/gorun/launcher/slurm"
)

// Mode selects how ranks are run.
type Mode string

const (
	// ModeProcesses runs every rank as its own process on a NATS bus.
	ModeProcesses Mode = jobenv.ModeProcesses
	// ModeGoroutines runs one process holding Size goroutine ranks.
	ModeGoroutines Mode = jobenv.ModeGoroutines
	// ModeHybrid runs one process per host holding that host's ranks as
	// goroutines; the processes talk over the bus.
	ModeHybrid Mode = jobenv.ModeHybrid
)

// TagMode says whether output lines carry a "[rank N] " prefix.
type TagMode int

const (
	TagAuto TagMode = iota // on when Size > 1 (the zero value)
	TagOn
	TagOff
)

// DefaultGrace is how long a rank has between SIGTERM and SIGKILL.
const DefaultGrace = 500 * time.Millisecond

// Config describes one job. The zero value with only Program set runs one
// rank per usable CPU, in process mode, on an embedded bus, with output to
// os.Stdout and os.Stderr.
type Config struct {
	Program string   // path or name looked up in $PATH
	Args    []string // arguments after the program

	Size          int  // number of ranks; 0 means CPUs in the affinity mask
	Mode          Mode // "" means ModeProcesses
	Oversubscribe bool // allow more ranks than CPUs

	// Env adds "KEY=VAL" to every rank's environment, or "KEY" to pass
	// KEY's value from this process (skipped when unset). Ranks inherit
	// the launcher's environment; GORUN_* variables are always set by the
	// launcher itself.
	Env []string

	Tag     TagMode
	Timeout time.Duration // 0 means none
	Grace   time.Duration // SIGTERM to SIGKILL; 0 means DefaultGrace

	Server string // existing NATS URL; "" starts an embedded server
	Token  string // token for Server ("" for none); ignored when embedded

	Verbose bool // log the launcher's steps and the embedded server to Stderr
	Quiet   bool // no launcher warnings (errors are still returned)

	Stdin  io.Reader // to rank 0; nil means no input
	Stdout io.Writer // nil means os.Stdout
	Stderr io.Writer // nil means os.Stderr

	// Signals, when not nil, delivers signals to forward: the first ends
	// the job with a *SignalError after passing the signal to every rank,
	// the second kills the ranks at once.
	Signals <-chan os.Signal

	Observers []Observer

	// Hosts, when set, runs the job across these hosts, by an agent on
	// each (see Many hosts in the package doc). Size 0 then means every
	// slot.
	Hosts []hosts.Host
	MapBy hosts.Mapping
	// LaunchAgent is the template that starts an agent: {host} is replaced
	// by the host's name and the agent's command appended. "" means ssh.
	LaunchAgent string
	SSH         string        // the ssh command and its options ("" means ssh)
	HostTimeout time.Duration // a host silent this long is lost; 0 means DefaultHostTimeout
	// RouteTLS, when set, makes the routes between the hosts' servers
	// mutual TLS with its CA, certificate and key (PEM), which reach the
	// agents on their stdin; all three empty means a CA made for the job.
	RouteTLS *natsbus.RouteTLS
	// Slurm, when set, is the SLURM allocation the launcher runs in:
	// Hosts must be nodes of it, and agents start as job steps (srun)
	// unless LaunchAgent or SSH says otherwise.
	Slurm *slurm.Allocation
	// Agent is the command that runs gorun's agent on a host; nil means
	// this executable with --agent (the same path on every host).
	Agent []string
}

// An Observer watches a running job, for example a resource monitor or a
// progress display.
type Observer interface {
	// Observe is called once every rank has started. ctx is cancelled
	// when the last rank has exited; Observe must then return. Its error
	// is logged, it never fails the job.
	Observe(ctx context.Context, job *Job) error
}

// UsageError reports a configuration that cannot run. Its message is meant
// for the user as is.
type UsageError struct{ Msg string }

func (e *UsageError) Error() string { return e.Msg }

func usagef(format string, args ...any) error {
	return &UsageError{Msg: fmt.Sprintf(format, args...)}
}

// Validate reports the first reason the configuration cannot run as a
// *UsageError.
func (c *Config) Validate() error {
	if c.Program == "" {
		return usagef("no program to run")
	}
	if c.Size < 0 {
		return usagef("-n %d: the number of ranks must be at least 1", c.Size)
	}
	switch c.Mode {
	case "", ModeProcesses, ModeGoroutines, ModeHybrid:
	default:
		return usagef("--mode %q: want %q, %q or %q", c.Mode, ModeProcesses, ModeGoroutines, ModeHybrid)
	}
	if n, cpus := c.size(), CPUs(); len(c.Hosts) == 0 && n > cpus && !c.Oversubscribe {
		return usagef("%d ranks but only %d CPUs in the affinity mask: add --oversubscribe to run more ranks than CPUs", n, cpus)
	}
	if c.Timeout < 0 {
		return usagef("--timeout %v: must not be negative", c.Timeout)
	}
	if c.Grace < 0 {
		return usagef("grace period %v: must not be negative", c.Grace)
	}
	for _, kv := range c.Env {
		key, _, _ := strings.Cut(kv, "=")
		if key == "" || strings.ContainsAny(key, " \t\n\x00") {
			return usagef("-x %q: want KEY or KEY=VALUE", kv)
		}
		if jobenv.Reserved(key) {
			return usagef("-x %q: %s is set by gorun itself", kv, key)
		}
	}
	if c.Server != "" {
		u, err := url.Parse(c.Server)
		if err != nil || u.Host == "" || (u.Scheme != "nats" && u.Scheme != "tls") {
			return usagef("--server %q: want nats://HOST:PORT", c.Server)
		}
		if u.User != nil {
			return usagef("--server %q: pass credentials with --token or GORUN_TOKEN, not in the URL", c.Server)
		}
	}
	if len(c.Hosts) > 0 {
		return c.validateHosts()
	}
	if c.RouteTLS != nil {
		return usagef("--tls secures the routes between hosts: it needs -H or --hostfile")
	}
	return nil
}

func (c *Config) size() int {
	if c.Size == 0 {
		return CPUs()
	}
	return c.Size
}

func (c *Config) mode() Mode {
	if c.Mode == "" {
		return ModeProcesses
	}
	return c.Mode
}

func (c *Config) grace() time.Duration {
	if c.Grace == 0 {
		return DefaultGrace
	}
	return c.Grace
}

func (c *Config) tagged() bool {
	switch c.Tag {
	case TagOn:
		return true
	case TagOff:
		return false
	}
	return c.size() > 1
}

func (c *Config) stdout() io.Writer {
	if c.Stdout == nil {
		return os.Stdout
	}
	return c.Stdout
}

func (c *Config) stderr() io.Writer {
	if c.Stderr == nil {
		return os.Stderr
	}
	return c.Stderr
}
