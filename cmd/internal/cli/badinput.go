package cli

import (
	"errors"

	"github.com/gorun-dev/gorun/comm"
)

// badInputError marks an error caused by the user's input.
type badInputError struct{ error }

func (e badInputError) Unwrap() error { return e.error }

// BadInput marks err as caused by the user's input (a missing file, a
// malformed line): Exit turns it into exit status 2.
func BadInput(err error) error { return badInputError{err} }

// Exit maps a rank's error for comm.Main: bad input (see BadInput) is
// ExitBadInput, anything else fails the rank as it is.
func Exit(c *comm.Comm, err error) error {
	if bad, ok := errors.AsType[badInputError](err); ok {
		return ExitBadInput(c, bad.error)
	}
	return err
}

// ExitBadInput is what every rank returns for bad input that every rank
// has seen: exit status 2 with err on rank 0, nil elsewhere, so the job
// reports it once.
func ExitBadInput(c *comm.Comm, err error) error {
	if c.Rank() != 0 {
		return nil
	}
	return comm.Exit(2, err)
}

// AgreedBadInput marks an error that comm.AgreeError or comm.LoadOnce
// agreed on (a *comm.RankError: a rank's reading of the input failed) as
// bad input; any other error (the collective itself failed) passes as is.
func AgreedBadInput(err error) error {
	if _, ok := errors.AsType[*comm.RankError](err); ok {
		return BadInput(err)
	}
	return err
}
