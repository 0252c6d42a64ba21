package comm

import "context"

// RankError is an error of a rank's own code (bad input, say) as every
// rank learns it from AgreeError or LoadOnce: its message, the rank it
// came from (-1 when not known), and, on that rank, the error itself
// (Unwrap), so errors.Is and As still see it there. Errors of the
// collective call itself (a failed peer, ctx) are never a *RankError.
type RankError struct {
	Rank int
	Msg  string
	Err  error // the original error, on the rank it came from; else nil
}

func (e *RankError) Error() string { return e.Msg }
func (e *RankError) Unwrap() error { return e.Err }

// AgreeError makes every rank learn whether any rank failed. It returns,
// on every rank, a *RankError for the lowest-numbered rank whose local
// error is not nil (in a program that reads its input in rank order, the
// error a serial run would meet first), or nil when every rank's is nil.
// It is a collective: every rank calls it, even with a nil error.
func AgreeError(ctx context.Context, c *Comm, local error) error {
	msg := ""
	if local != nil {
		msg = errText(local)
	}
	msgs, err := Allgather(ctx, c, msg)
	if err != nil {
		return err
	}
	for r, m := range msgs {
		if m == "" {
			continue
		}
		e := &RankError{Rank: r, Msg: m}
		if r == c.rank {
			e.Err = local
		}
		return e
	}
	return nil
}

// errText is err's message, never empty (an empty one would read as no
// error on the other ranks).
func errText(err error) string {
	if s := err.Error(); s != "" {
		return s
	}
	return "error with no message"
}
