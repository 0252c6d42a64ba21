package comm

import (
	"context"
	"errors"
)

// LoadOnce gives every rank the value load makes, loaded once for the
// world: the SPMD "read on one rank, then share" pattern.
//   - In a world whose ranks share memory (a goroutine world), the first
//     rank to ask runs load and every rank gets that one instance, which
//     is then read-only by contract (as with Shared, under key).
//   - Otherwise it is BcastLoad: rank 0 loads and broadcasts. In a hybrid
//     world the ranks of one process keep one instance between them.
//
// When load fails, every rank returns a *RankError with its message. It is
// a collective: every rank calls it with the same key.
func LoadOnce[T any](ctx context.Context, c *Comm, key string, load func() (T, error),
	encode func(T) ([]byte, error), decode func([]byte) (T, error)) (T, error) {
	if !c.SharesMemory() {
		if c.hybrid {
			// One instance per process: rank 0 keeps what it loaded,
			// and the first of the other processes' ranks to receive
			// the bytes decodes them for all of its process's ranks.
			shared := func(make func() (T, error)) func() (T, error) {
				return func() (T, error) { return Shared(ctx, c, key, make) }
			}
			load = shared(load)
			dec := decode
			decode = func(b []byte) (T, error) { return shared(func() (T, error) { return dec(b) })() }
		}
		return BcastLoad(ctx, c, load, encode, decode)
	}
	v, err := Shared(ctx, c, key, load)
	if err != nil && ctx.Err() == nil {
		return v, &RankError{Rank: -1, Msg: errText(err), Err: err}
	}
	return v, err
}

// BcastLoad runs load on rank 0, which keeps the value and broadcasts
// encode's bytes; every other rank turns them back into a value with
// decode. encode may leave one byte of spare capacity in what it returns,
// which saves copying it. When load (or encode) fails, every rank returns
// a *RankError with its message. It is a collective.
func BcastLoad[T any](ctx context.Context, c *Comm, load func() (T, error),
	encode func(T) ([]byte, error), decode func([]byte) (T, error)) (T, error) {
	var zero, v T
	var local error
	// The broadcast is encode's bytes and a status byte after them
	// (loadOK), or the error's message and loadFailed.
	var b []byte
	if c.rank == 0 {
		v, local = load()
		if local == nil {
			b, local = encode(v)
		}
		if local == nil {
			b = append(b, loadOK)
		} else {
			b = append([]byte(errText(local)), loadFailed)
		}
	}
	if err := Bcast(ctx, c, 0, &b); err != nil {
		return zero, err
	}
	if len(b) == 0 {
		return zero, errors.New("comm: BcastLoad: empty broadcast")
	}
	body, status := b[:len(b)-1], b[len(b)-1]
	switch {
	case status != loadOK:
		return zero, &RankError{Rank: 0, Msg: string(body), Err: local}
	case c.rank == 0:
		return v, nil
	}
	return decode(body)
}

// The status byte that ends a BcastLoad broadcast.
const (
	loadOK     byte = 0
	loadFailed byte = 1
)
