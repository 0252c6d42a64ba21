package comm

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"strconv"
	"sync"
	"syscall"

	"github.com/gorun-dev/gorun/comm/jobenv"
)

// ExitError asks Main to exit with Code after printing Err. It is
// jobenv.ExitError, the type the launcher reports a failed rank with; the
// one Exit returns has Rank -1, since Main names the rank itself.
type ExitError = jobenv.ExitError

// Exit wraps err so that Main exits with code (2 for bad input, by the
// convention of the gorun programs).
func Exit(code int, err error) error { return &ExitError{Rank: -1, Code: code, Err: err} }

// ExitAborted is the exit status of a rank process that failed only
// because its job was aborted: its error wraps ErrAborted (a peer failed
// first, or the launcher ended the job), or a signal stopped it. The gorun
// launcher never blames such a rank while another rank failed on its own.
const ExitAborted = jobenv.ExitAborted

// Main is the whole main function of an SPMD program. It joins the world
// the environment describes and runs fn on this process's rank(s):
//   - started by gorun in process mode (GORUN_MODE=processes, GORUN_URL):
//     this process is one rank on the job's NATS bus;
//   - started by gorun in hybrid mode (GORUN_MODE=hybrid, GORUN_URL,
//     GORUN_RANKS): the listed ranks of the world, as goroutines of this
//     process that reach the ranks of other processes over the bus
//     (JoinHybrid);
//   - otherwise (gorun --mode goroutines, or no launcher at all): a world
//     of GORUN_SIZE goroutine ranks in this process (default 1).
//
// A process with GORUN_RANK set but without GORUN_MODE=processes and
// GORUN_URL is a rank started by hand with half the contract: Main exits 2
// saying so, rather than run a whole world of its own.
//
// SIGINT and SIGTERM cancel ctx. Main never returns: it exits 0 when fn
// succeeded on every local rank, the code of an *ExitError, 2 after a
// panic, ExitAborted when the rank failed only because the job was aborted
// (see ExitAborted), or 1, after printing the error to stderr as
// "<program>: rank R: <error>".
func Main(fn RankFunc) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	// Never called: the handlers stay until exit, so that the SIGTERM the
	// launcher sends everyone once a rank has failed cannot turn that
	// rank's own exit status into a death by signal.
	defer stop()
	// The ranks whose fn failed after a signal had arrived; later, it may
	// be the launcher ending the job because of the first one's failure.
	var stopped sync.Map
	err := runMain(ctx, func(rctx context.Context, c *Comm) error {
		err := fn(rctx, c)
		if err != nil && ctx.Err() != nil {
			stopped.Store(c.rank, true)
		}
		return err
	})
	first := -1
	var re *rankError
	if errors.As(err, &re) {
		first = re.rank
	}
	_, wasStopped := stopped.Load(first)
	os.Exit(report(err, wasStopped))
}

func runMain(ctx context.Context, fn RankFunc) error {
	mode, url := os.Getenv(jobenv.EnvMode), os.Getenv(jobenv.EnvURL)
	if err := checkMode(mode, url); err != nil {
		return Exit(2, err)
	}
	if mode == jobenv.ModeHybrid && os.Getenv(jobenv.EnvRanks) == "" {
		return Exit(2, fmt.Errorf("comm: %s=%s but %s is not set: start hybrid ranks with gorun", jobenv.EnvMode, mode, jobenv.EnvRanks))
	}
	if mode == jobenv.ModeProcesses {
		c, err := joinNATSFromEnv(ctx)
		if err != nil {
			return fmt.Errorf("comm: joining the job: %w", err)
		}
		if err := routeWindowFromEnv(c.t); err != nil {
			return Exit(2, err)
		}
		if err := topologyFromEnv([]*Comm{c}); err != nil {
			return Exit(2, err)
		}
		if err := c.learnPlacement(ctx); err != nil {
			return fmt.Errorf("comm: learning where the ranks run: %w", err)
		}
		return RunWorld(ctx, []*Comm{c}, withUsageReport(fn))
	}
	opts, err := worldOptionsFromEnv()
	if err != nil {
		return err
	}
	if mode == jobenv.ModeHybrid {
		comms, err := joinHybridFromEnv(ctx, opts...)
		if err != nil {
			return fmt.Errorf("comm: joining the job: %w", err)
		}
		err = RunWorld(ctx, comms, withHybridUsageReport(comms, fn))
		reportFirstFailed(err)
		return err
	}
	n := 1
	if s := os.Getenv(jobenv.EnvSize); s != "" {
		v, err := strconv.Atoi(s)
		if err != nil || v < 1 {
			return Exit(2, fmt.Errorf("comm: bad %s=%q", jobenv.EnvSize, s))
		}
		n = v
	}
	comms, err := NewWorld(n, opts...)
	if err != nil {
		return err
	}
	if err := topologyFromEnv(comms); err != nil {
		return Exit(2, err)
	}
	if fd := os.Getenv(jobenv.EnvReportFD); mode == jobenv.ModeGoroutines && fd != "" {
		closePipe := reportOnPipe(comms, fd)
		defer closePipe()
	}
	return RunWorld(ctx, comms, fn)
}

// worldOptionsFromEnv reads the user's switches of a goroutine or hybrid
// world.
func worldOptionsFromEnv() ([]WorldOption, error) {
	switch s := os.Getenv(jobenv.EnvMessagesOnly); s {
	case "", "0":
		return nil, nil
	case "1":
		return []WorldOption{MessagesOnly()}, nil
	default:
		return nil, Exit(2, fmt.Errorf("comm: bad %s=%q: want 1 or 0", jobenv.EnvMessagesOnly, s))
	}
}

// checkMode refuses an environment that is half a rank's contract: a mode
// other than the two, process mode without a bus, or a rank number
// without process mode.
func checkMode(mode, url string) error {
	rank := os.Getenv(jobenv.EnvRank)
	switch {
	case mode != "" && mode != jobenv.ModeProcesses && mode != jobenv.ModeGoroutines && mode != jobenv.ModeHybrid:
		return fmt.Errorf("comm: %s=%q: want %q, %q or %q", jobenv.EnvMode, mode, jobenv.ModeProcesses, jobenv.ModeGoroutines, jobenv.ModeHybrid)
	case (mode == jobenv.ModeProcesses || mode == jobenv.ModeHybrid) && url == "":
		return fmt.Errorf("comm: %s=%s but %s is not set: start ranks with gorun, or set both", jobenv.EnvMode, mode, jobenv.EnvURL)
	case rank != "" && mode != jobenv.ModeProcesses:
		return fmt.Errorf("comm: %s=%s is set but %s=%q is not %q: start ranks with gorun, or set %s=%s, %s, %s and the token",
			jobenv.EnvRank, rank, jobenv.EnvMode, mode, jobenv.ModeProcesses, jobenv.EnvMode, jobenv.ModeProcesses, jobenv.EnvURL, jobenv.EnvSize)
	}
	return nil
}

// report prints err and returns the exit status for it; stopped says that
// a signal had cancelled Main's ctx when fn failed.
func report(err error, stopped bool) int {
	if err == nil {
		return 0
	}
	fmt.Fprintf(os.Stderr, "%s: %v\n", progName(), err)
	var ee *ExitError
	if errors.As(err, &ee) {
		return ee.Code
	}
	var pe *PanicError
	if errors.As(err, &pe) {
		return 2 // like an unrecovered Go panic
	}
	if errors.Is(err, ErrAborted) || stopped {
		return ExitAborted
	}
	return 1
}

func progName() string {
	if len(os.Args) == 0 {
		return "gorun-program"
	}
	name := os.Args[0]
	for i := len(name) - 1; i >= 0; i-- {
		if name[i] == '/' {
			return name[i+1:]
		}
	}
	return name
}
