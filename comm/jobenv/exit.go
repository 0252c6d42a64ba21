package jobenv

import (
	"fmt"
	"syscall"
)

// ExitError is an exit status and its cause, on either side of the
// contract. A rank's function returns one (comm.Exit) to choose its
// process's exit status; a launcher returns one naming the first rank
// that failed. comm.ExitError and launcher.ExitError are this type.
type ExitError struct {
	// Rank is the rank that exited, or -1: a whole process (a goroutine
	// world) or a program's own request, which its caller attributes.
	Rank   int
	Code   int            // the exit status; 128+Signal for a signal
	Signal syscall.Signal // the signal that ended the process, or 0
	Err    error          // why: "exited with code 3", or the program's error
}

// Error is "rank R " followed by Err, or Err alone when Rank is -1.
func (e *ExitError) Error() string {
	why := fmt.Sprintf("exited with code %d", e.Code)
	if e.Err != nil {
		why = e.Err.Error()
	}
	if e.Rank < 0 {
		return why
	}
	return fmt.Sprintf("rank %d %s", e.Rank, why)
}

func (e *ExitError) Unwrap() error { return e.Err }
