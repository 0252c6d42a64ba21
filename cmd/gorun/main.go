package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"time"

	"github.com/gorun-dev/gorun/launcher"
	"github.com/gorun-dev/gorun/launcher/monitor"
	"github.com/spf13/pflag"
	"golang.org/x/term"
)

const usageHead = `usage: gorun [flags] [--] PROGRAM [ARGS...]

Runs PROGRAM as the N ranks of one job: N processes on an embedded NATS bus
(--mode processes), one process with N goroutine ranks (--mode goroutines),
or one process per host holding that host's ranks as goroutines, talking
to the other hosts' processes over the bus (--mode hybrid).

Flags:
`

const usageTail = `
Exit status:
  0        every rank exited 0
  1-255    the first failing rank's code, 128+N if signal N killed it
           (one line on stderr names the rank; a Go panic exits 2; a rank
           that failed only because another did exits 120 and is named
           only if no rank failed on its own)
  2        bad usage
  122      a host was lost (-H/--hostfile): silent for --host-timeout, or
           its agent or ssh exited (one line names the host and its ranks)
  124      the job ran past --timeout
  125      gorun itself failed (the bus did not start, a rank could not be
           forked: the process limit)
  126      PROGRAM is not executable
  127      PROGRAM was not found
  128+N    gorun got signal N and ended the job (130 Ctrl-C, 143 SIGTERM)
`

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run is gorun with its arguments and streams; it returns the exit status.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 1 && args[0] == "--agent" {
		return launcher.RunAgent(stdin, stdout, stderr)
	}
	var cfg launcher.Config
	var mode string
	var tag, noTag bool
	fs := pflag.NewFlagSet("gorun", pflag.ContinueOnError)
	fs.SetInterspersed(false)
	fs.SetOutput(stderr)
	fs.IntVarP(&cfg.Size, "np", "n", 0, fmt.Sprintf("number of ranks (default: the CPUs in the affinity mask, %d here)", launcher.CPUs()))
	fs.StringVar(&mode, "mode", string(launcher.ModeProcesses), "processes, goroutines, or hybrid (one process per host holding its ranks as goroutines)")
	fs.BoolVar(&cfg.Oversubscribe, "oversubscribe", false, "allow more ranks than CPUs")
	fs.StringArrayVarP(&cfg.Env, "env", "x", nil, "set KEY=VAL, or pass KEY from this environment, in every rank (repeatable)")
	fs.BoolVar(&tag, "tag-output", false, "prefix every output line with [rank N] (default when N > 1)")
	fs.BoolVar(&noTag, "no-tag", false, "do not prefix output lines")
	fs.DurationVar(&cfg.Timeout, "timeout", 0, "end the job after this long, with exit status 124 (e.g. 30s, 5m)")
	fs.StringVar(&cfg.Server, "server", "", "use this NATS (nats://HOST:PORT) instead of an embedded one")
	fs.StringVar(&cfg.Token, "token", "", "token for --server (default $GORUN_TOKEN; the environment keeps it out of ps)")
	fs.BoolVarP(&cfg.Verbose, "verbose", "v", false, "log the launcher's steps and the embedded server")
	fs.BoolVarP(&cfg.Quiet, "quiet", "q", false, "print no progress, no warnings, no monitor summary and no line about a failed rank")
	var hostList, hostfile, mapBy string
	fs.StringVarP(&hostList, "host", "H", "", "run across these hosts: HOST[:SLOTS],... (an agent on each, started over ssh)")
	fs.StringVar(&hostfile, "hostfile", "", "run across the hosts in this file: 'HOST slots=N' or 'HOST:N' lines, # comments")
	fs.StringVar(&mapBy, "map-by", "slot", "spread ranks over hosts by slot (fill each host in turn) or node (round-robin)")
	fs.StringVar(&cfg.LaunchAgent, "launch-agent", "", "start each host's agent with this command instead of ssh; {host} is replaced, the agent's command appended")
	fs.StringVar(&cfg.SSH, "ssh", "", "the ssh command and options that start agents (default ssh; -x -o BatchMode=yes are added)")
	fs.DurationVar(&cfg.HostTimeout, "host-timeout", launcher.DefaultHostTimeout, fmt.Sprintf("a host silent this long is lost: the job ends with status %d", launcher.ExitHostLost))
	var tlsOn bool
	var tlsFiles tlsFiles
	fs.BoolVar(&tlsOn, "tls", false, "mutual TLS on the routes between hosts, with a CA made for this job")
	fs.StringVar(&tlsFiles.ca, "tls-ca", "", "mutual TLS on the routes between hosts: the CA certificate (PEM) that admits a host")
	fs.StringVar(&tlsFiles.cert, "tls-cert", "", "with --tls-ca: every host's route certificate (PEM)")
	fs.StringVar(&tlsFiles.key, "tls-key", "", "with --tls-ca: its private key (PEM); it reaches the agents on their stdin")
	var direct bool
	fs.BoolVar(&direct, "rank", false, "run one rank of a job srun started one task per rank: srun -n N gorun --rank PROG")
	var monitorPath string
	var monitorEvery time.Duration
	fs.StringVar(&monitorPath, "monitor", "", "sample every rank's CPU and memory; write FILE.csv, FILE.json, a summary, and FILE.png, FILE.svg with gorun-plot (with -H: each host's agent samples its own ranks; the CSV has a host column)")
	fs.DurationVar(&monitorEvery, "monitor-interval", monitor.DefaultInterval, "sampling interval of --monitor")
	fs.SortFlags = false
	fs.Usage = func() {} // help goes to stdout, errors get one line
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			fmt.Fprint(stdout, usageHead, fs.FlagUsages(), usageTail)
			return 0
		}
		// pflag quotes strconv: "strconv.ParseInt: parsing "x": invalid syntax"
		msg := regexp.MustCompile(`strconv\.Parse\w+: parsing "[^"]*": `).ReplaceAllString(err.Error(), "")
		fmt.Fprintf(stderr, "gorun: %s (see gorun --help)\n", msg)
		return launcher.ExitUsage
	}
	if fs.NArg() == 0 {
		fmt.Fprint(stderr, "gorun: no program to run (see gorun --help)\n")
		return launcher.ExitUsage
	}
	// The library reads 0 as "the default"; on the command line it is a
	// mistake, as mpirun's -n 0 is.
	if fs.Changed("np") && cfg.Size < 1 {
		fmt.Fprintf(stderr, "gorun: -n %d: the number of ranks must be at least 1\n", cfg.Size)
		return launcher.ExitUsage
	}
	if fs.Changed("monitor-interval") && monitorEvery <= 0 {
		fmt.Fprintf(stderr, "gorun: --monitor-interval %v: must be positive\n", monitorEvery)
		return launcher.ExitUsage
	}
	if tag && noTag {
		fmt.Fprint(stderr, "gorun: --tag-output and --no-tag contradict each other\n")
		return launcher.ExitUsage
	}
	switch {
	case tag:
		cfg.Tag = launcher.TagOn
	case noTag:
		cfg.Tag = launcher.TagOff
	}
	if cfg.Token == "" {
		cfg.Token = os.Getenv("GORUN_TOKEN")
	}
	if err := parseHosts(&cfg, hostList, hostfile, mapBy); err != nil {
		fmt.Fprintf(stderr, "gorun: %v\n", err)
		return launcher.ExitUsage
	}
	if err := tlsFiles.read(&cfg, tlsOn); err != nil {
		fmt.Fprintf(stderr, "gorun: %v\n", err)
		return launcher.ExitUsage
	}
	cfg.Mode = launcher.Mode(mode)
	if direct {
		return runDirect(cfg, fs.Args(), stdin, stdout, stderr)
	}
	if err := useAllocation(&cfg, os.Getenv, fs.Changed("np")); err != nil {
		fmt.Fprintf(stderr, "gorun: SLURM allocation: %v\n", err)
		return launcher.ExitUsage
	}
	cfg.Program, cfg.Args = fs.Arg(0), fs.Args()[1:]
	cfg.Stdin, cfg.Stdout, cfg.Stderr = stdin, stdout, stderr
	obs, err := observers(&cfg, monitorPath, monitorEvery, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "gorun: %v\n", err)
		return launcher.ExitUsage
	}
	cfg.Observers = obs

	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP)
	defer signal.Stop(sigs)
	cfg.Signals = sigs

	return report(cfg, launcher.Run(context.Background(), cfg), stderr)
}

// report prints the job's failure line, unless quiet about a rank's
// failure, and returns gorun's exit status.
func report(cfg launcher.Config, err error, stderr io.Writer) int {
	var ee *launcher.ExitError
	if err != nil && !(cfg.Quiet && errors.As(err, &ee)) {
		fmt.Fprintf(stderr, "gorun: %s\n", strings.TrimPrefix(err.Error(), "launcher: "))
	}
	return launcher.ExitCode(err)
}

// observers are the progress display (unless --quiet) and the --monitor.
func observers(cfg *launcher.Config, path string, every time.Duration, stderr io.Writer) ([]launcher.Observer, error) {
	var obs []launcher.Observer
	if !cfg.Quiet {
		f, ok := stderr.(*os.File)
		obs = append(obs, &launcher.Progress{Stderr: stderr, Bar: ok && term.IsTerminal(int(f.Fd()))})
	}
	if path != "" {
		m := &monitor.Monitor{Path: path, Interval: every, Plot: plotWithGorunPlot}
		if err := m.Validate(); err != nil {
			return nil, err
		}
		if !cfg.Quiet {
			m.Stderr = stderr
		}
		obs = append(obs, m)
	}
	return obs, nil
}

// plotWithGorunPlot draws the monitor's figures by running gorun-plot, from
// gorun's own directory or else $PATH, so that gorun does not link a
// plotting library.
func plotWithGorunPlot(path string) error {
	prog := "gorun-plot"
	if self, err := os.Executable(); err == nil {
		if p := filepath.Join(filepath.Dir(self), prog); isExecutable(p) {
			prog = p
		}
	}
	prog, err := exec.LookPath(prog)
	if err != nil {
		return fmt.Errorf("gorun-plot is not beside gorun or on $PATH, so no figures; install it (go install github.com/gorun-dev/gorun/cmd/gorun-plot@latest) and run gorun-plot %s", path)
	}
	out, err := exec.Command(prog, path).CombinedOutput()
	if err != nil {
		return fmt.Errorf("%s %s: %v: %s", prog, path, err, bytes.TrimSpace(out))
	}
	return nil
}

func isExecutable(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.Mode().IsRegular() && fi.Mode()&0o111 != 0
}
