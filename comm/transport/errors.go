package transport

import (
	"errors"
	"fmt"
)

// ErrAborted is wrapped by every error a blocked call returns because the
// world was aborted: a peer failed or left, or the job was stopped.
var ErrAborted = errors.New("comm: aborted")

// ErrClosed is returned by calls on a closed rank (and by calls blocked on
// it when it closed).
var ErrClosed = errors.New("comm: closed")

// RankFailedError reports that a peer rank died or left while this rank
// still needed it. It wraps ErrAborted.
type RankFailedError struct {
	Rank   int
	Reason string // "exited", "closed", "killed by signal 9", ...
}

func (e *RankFailedError) Error() string {
	if e.Reason == "" {
		return fmt.Sprintf("comm: rank %d failed", e.Rank)
	}
	return fmt.Sprintf("comm: rank %d failed: %s", e.Rank, e.Reason)
}

func (e *RankFailedError) Unwrap() error { return ErrAborted }
