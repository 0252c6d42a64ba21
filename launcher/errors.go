package launcher

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"syscall"
	"time"

	"github.com/gorun-dev/gorun/comm/jobenv"
)

// Exit codes of gorun besides a rank's own; see the package doc.
const (
	ExitUsage         = 2
	ExitTimeout       = 124
	ExitInternal      = 125
	ExitNotExecutable = 126
	ExitNotFound      = 127
)

// ExitError reports the first rank that failed: Err says how it ended
// ("exited with code 3", "killed by signal 9 (killed)"). Rank is -1 in
// goroutine mode, where the one process holds every rank. It is
// jobenv.ExitError, the type comm.Exit returns too.
type ExitError = jobenv.ExitError

// exitError is the ExitError of a rank that ended as reason says.
func exitError(rank, code int, sig syscall.Signal, reason string) *ExitError {
	if rank < 0 {
		reason = "the job's process " + reason
	}
	return &ExitError{Rank: rank, Code: code, Signal: sig, Err: errors.New(reason)}
}

// exitReason is how ee's rank ended, without the rank.
func exitReason(ee *ExitError) string {
	if ee.Err == nil {
		return fmt.Sprintf("exited with code %d", ee.Code)
	}
	return ee.Err.Error()
}

// SignalError reports that the job was ended because the launcher received
// a signal.
type SignalError struct{ Signal syscall.Signal }

func (e *SignalError) Error() string {
	return fmt.Sprintf("interrupted by signal %d (%v)", int(e.Signal), e.Signal)
}

// TimeoutError reports that the job ran past Config.Timeout.
type TimeoutError struct{ After time.Duration }

func (e *TimeoutError) Error() string { return fmt.Sprintf("job timed out after %v", e.After) }

// StartError reports that the program could not be started.
type StartError struct {
	Program string
	Err     error
}

func (e *StartError) Error() string { return fmt.Sprintf("cannot run %s: %v", e.Program, e.Err) }
func (e *StartError) Unwrap() error { return e.Err }

// ExitCode maps an error from Run to gorun's exit status (see the package
// doc): 0 for nil.
func ExitCode(err error) int {
	var (
		ee *ExitError
		se *SignalError
		te *TimeoutError
		st *StartError
		ue *UsageError
	)
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ee):
		return ee.Code
	case errors.As(err, &se):
		return 128 + int(se.Signal)
	case errors.As(err, &te):
		return ExitTimeout
	case errors.As(err, &ue):
		return ExitUsage
	case errors.As(err, &st):
		switch {
		case errors.Is(st.Err, os.ErrNotExist) || errors.Is(st.Err, exec.ErrNotFound):
			return ExitNotFound
		case errors.Is(st.Err, fs.ErrPermission) || errors.Is(st.Err, syscall.ENOEXEC) ||
			errors.Is(st.Err, syscall.EISDIR) || errors.Is(st.Err, syscall.ETXTBSY):
			return ExitNotExecutable
		}
		// fork itself failed (EAGAIN at the process limit, ENOMEM): the
		// launcher's failure, not the program's.
	}
	var es interface{ ExitStatus() int }
	if errors.As(err, &es) {
		return es.ExitStatus()
	}
	return ExitInternal
}

// exitErrorFrom builds the ExitError for a rank whose wait status says it
// failed, or returns nil if it exited 0.
func exitErrorFrom(rank int, state *os.ProcessState, panicLine string) *ExitError {
	if state == nil {
		return nil
	}
	ws, ok := state.Sys().(syscall.WaitStatus)
	if !ok {
		if state.Success() {
			return nil
		}
		return exitError(rank, 1, 0, state.String())
	}
	switch {
	case ws.Signaled():
		sig := ws.Signal()
		return exitError(rank, 128+int(sig), sig, fmt.Sprintf("killed by signal %d (%v)", int(sig), sig))
	case ws.ExitStatus() != 0:
		reason := fmt.Sprintf("exited with code %d", ws.ExitStatus())
		if ws.ExitStatus() == jobenv.ExitAborted {
			reason += " (aborted because of another rank)"
		}
		if panicLine != "" {
			reason += " after " + panicLine
		}
		return exitError(rank, ws.ExitStatus(), 0, reason)
	}
	return nil
}
