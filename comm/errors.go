package comm

import (
	"errors"
	"fmt"

	"github.com/gorun-dev/gorun/comm/transport"
)

// ErrAborted is wrapped by every error a blocked call returns because the
// world was aborted: a peer failed or left, or the job was stopped.
var ErrAborted = transport.ErrAborted

// ErrClosed is returned by calls on a Comm after Close (and by calls
// blocked on it when Close ran).
var ErrClosed = transport.ErrClosed

// ErrCancelled is returned by Wait and Test on a receive withdrawn by
// Request.Cancel (whose Status then has Cancelled set).
var ErrCancelled = errors.New("comm: request cancelled")

// ErrNoPeers is wrapped by the error of a receive from AnySource that no
// rank is left to satisfy: every other rank has exited. It also wraps
// ErrAborted.
var ErrNoPeers = errors.New("comm: every other rank has exited")

// RankFailedError reports that a peer rank died or left while this rank
// still needed it. It wraps ErrAborted.
type RankFailedError struct {
	Rank   int
	Reason string // "exited", "closed", "killed by signal 9", ...
	// Err is the rank's own error, where this process knows it (a rank
	// of the same goroutine world); errors.As looks into it, so a
	// *MismatchError that failed a peer is found on every rank.
	Err error
}

func (e *RankFailedError) Error() string {
	if e.Reason == "" {
		return fmt.Sprintf("comm: rank %d failed", e.Rank)
	}
	return fmt.Sprintf("comm: rank %d failed: %s", e.Rank, e.Reason)
}

func (e *RankFailedError) Unwrap() []error {
	if e.Err == nil {
		return []error{ErrAborted}
	}
	return []error{ErrAborted, e.Err}
}

// MismatchError reports that ranks called different collectives (or the
// same collective with different roots, or reductions with different ops)
// at the same point in their sequence of collective calls. The rank that
// finds it tells every peer, so every rank's call fails with one, though
// Rank and Peer name the two ranks that saw the difference.
type MismatchError struct {
	Seq      int64
	Rank     int    // the rank that found the mismatch
	Call     string // what this rank called, e.g. "Bcast(root 0)"
	Peer     int
	PeerCall string

	outer bool // in the terms of the outer call and its family already: lift (coll_hier.go) leaves it
}

func (e *MismatchError) Error() string {
	return fmt.Sprintf("comm: mismatched collectives at call #%d: rank %d called %s but rank %d called %s",
		e.Seq, e.Rank, e.Call, e.Peer, e.PeerCall)
}

// sendErr gives a transport's Send error comm's types: a peer that has
// gone is a *RankFailedError of this package, for errors.As.
func sendErr(err error) error {
	var tr *transport.RankFailedError
	if err != nil && errors.As(err, &tr) {
		return &RankFailedError{Rank: tr.Rank, Reason: tr.Reason}
	}
	return err
}
