package comm

import (
	"context"
	"fmt"
)

// The non-blocking forms of the collectives (see coll_nonblocking.go).
// Each starts the operation and returns at once; the request completes
// when the blocking form would have returned, and its result is then in
// *out. Until then the operation owns the values passed in and *out: the
// caller must neither modify nor read them, as with MPI's buffers. Every
// rank must start the non-blocking collectives of a communicator in the
// same order; ctx bounds the operation itself, and an error (ctx's
// included) fails this rank's world view, as for a blocking collective.
// Wait on the request returns when ctx given to Wait ends, leaving the
// operation to go on.

// Ibarrier starts a barrier: the request completes once every rank has
// started it (MPI_Ibarrier).
func (c *Comm) Ibarrier(ctx context.Context) *Request {
	return c.startColl(ctx, "Ibarrier", func(ctx context.Context, lc *Comm) error {
		return lc.Barrier(ctx)
	})
}

// Ibcast starts a Bcast of *v from root: on completion every rank's *v
// holds root's value.
func Ibcast[T any](ctx context.Context, c *Comm, root int, v *T) *Request {
	if r := c.badStart("Ibcast", root, v != nil); r != nil {
		return r
	}
	return c.startColl(ctx, "Ibcast", func(ctx context.Context, lc *Comm) error {
		return Bcast(ctx, lc, root, v)
	})
}

// Ireduce starts a Reduce of every rank's v with op at root, storing its
// result (the zero value off root) in *out.
func Ireduce[T any](ctx context.Context, c *Comm, root int, v T, op Op, out *T) *Request {
	if r := c.badStart("Ireduce", root, out != nil); r != nil {
		return r
	}
	return c.startColl(ctx, "Ireduce", func(ctx context.Context, lc *Comm) (err error) {
		*out, err = Reduce(ctx, lc, root, v, op)
		return err
	})
}

// Iallreduce starts an Allreduce of every rank's v with op, storing the
// result in *out on every rank.
func Iallreduce[T any](ctx context.Context, c *Comm, v T, op Op, out *T) *Request {
	if r := c.badStart("Iallreduce", 0, out != nil); r != nil {
		return r
	}
	return c.startColl(ctx, "Iallreduce", func(ctx context.Context, lc *Comm) (err error) {
		*out, err = Allreduce(ctx, lc, v, op)
		return err
	})
}

// Iscan starts a Scan (inclusive prefix reduction) of v with op into *out.
func Iscan[T any](ctx context.Context, c *Comm, v T, op Op, out *T) *Request {
	if r := c.badStart("Iscan", 0, out != nil); r != nil {
		return r
	}
	return c.startColl(ctx, "Iscan", func(ctx context.Context, lc *Comm) (err error) {
		*out, err = Scan(ctx, lc, v, op)
		return err
	})
}

// Iexscan starts an Exscan (exclusive prefix reduction) of v with op into
// *out.
func Iexscan[T any](ctx context.Context, c *Comm, v T, op Op, out *T) *Request {
	if r := c.badStart("Iexscan", 0, out != nil); r != nil {
		return r
	}
	return c.startColl(ctx, "Iexscan", func(ctx context.Context, lc *Comm) (err error) {
		*out, err = Exscan(ctx, lc, v, op)
		return err
	})
}

// IreduceScatter starts a ReduceScatter of v with op, storing this rank's
// block of counts in *out.
func IreduceScatter[T any](ctx context.Context, c *Comm, v []T, counts []int, op Op, out *[]T) *Request {
	if r := c.badStart("IreduceScatter", 0, out != nil); r != nil {
		return r
	}
	return c.startColl(ctx, "IreduceScatter", func(ctx context.Context, lc *Comm) (err error) {
		*out, err = ReduceScatter(ctx, lc, v, counts, op)
		return err
	})
}

// Igather starts a Gather of every rank's v at root, storing the values in
// rank order in *out at root (nil elsewhere).
func Igather[T any](ctx context.Context, c *Comm, root int, v T, out *[]T) *Request {
	if r := c.badStart("Igather", root, out != nil); r != nil {
		return r
	}
	return c.startColl(ctx, "Igather", func(ctx context.Context, lc *Comm) (err error) {
		*out, err = Gather(ctx, lc, root, v)
		return err
	})
}

// Igatherv starts a Gatherv of every rank's slice at root, storing their
// concatenation in rank order in *out at root.
func Igatherv[T any](ctx context.Context, c *Comm, root int, v []T, out *[]T) *Request {
	if r := c.badStart("Igatherv", root, out != nil); r != nil {
		return r
	}
	return c.startColl(ctx, "Igatherv", func(ctx context.Context, lc *Comm) (err error) {
		*out, err = Gatherv(ctx, lc, root, v)
		return err
	})
}

// Iscatter starts a Scatter of root's vs (one per rank), storing this
// rank's element in *out.
func Iscatter[T any](ctx context.Context, c *Comm, root int, vs []T, out *T) *Request {
	if r := c.badStart("Iscatter", root, out != nil); r != nil {
		return r
	}
	return c.startColl(ctx, "Iscatter", func(ctx context.Context, lc *Comm) (err error) {
		*out, err = Scatter(ctx, lc, root, vs)
		return err
	})
}

// Iscatterv starts a Scatterv of root's v in blocks of counts, storing
// this rank's block in *out.
func Iscatterv[T any](ctx context.Context, c *Comm, root int, v []T, counts []int, out *[]T) *Request {
	if r := c.badStart("Iscatterv", root, out != nil); r != nil {
		return r
	}
	return c.startColl(ctx, "Iscatterv", func(ctx context.Context, lc *Comm) (err error) {
		*out, err = Scatterv(ctx, lc, root, v, counts)
		return err
	})
}

// Iallgather starts an Allgather of every rank's v, storing the values in
// rank order in *out on every rank.
func Iallgather[T any](ctx context.Context, c *Comm, v T, out *[]T) *Request {
	if r := c.badStart("Iallgather", 0, out != nil); r != nil {
		return r
	}
	return c.startColl(ctx, "Iallgather", func(ctx context.Context, lc *Comm) (err error) {
		*out, err = Allgather(ctx, lc, v)
		return err
	})
}

// Iallgatherv starts an Allgatherv of every rank's slice, storing their
// concatenation in rank order in *out on every rank.
func Iallgatherv[T any](ctx context.Context, c *Comm, v []T, out *[]T) *Request {
	if r := c.badStart("Iallgatherv", 0, out != nil); r != nil {
		return r
	}
	return c.startColl(ctx, "Iallgatherv", func(ctx context.Context, lc *Comm) (err error) {
		*out, err = Allgatherv(ctx, lc, v)
		return err
	})
}

// Ialltoall starts an Alltoall: vs[j] goes to rank j, and *out[i] is what
// rank i sent to this rank.
func Ialltoall[T any](ctx context.Context, c *Comm, vs []T, out *[]T) *Request {
	if r := c.badStart("Ialltoall", 0, out != nil); r != nil {
		return r
	}
	return c.startColl(ctx, "Ialltoall", func(ctx context.Context, lc *Comm) (err error) {
		*out, err = Alltoall(ctx, lc, vs)
		return err
	})
}

// Ialltoallv starts an Alltoallv: block j of send (counts[j] elements)
// goes to rank j; *out is the blocks received in rank order and
// *outCounts their lengths.
func Ialltoallv[T any](ctx context.Context, c *Comm, send []T, counts []int, out *[]T, outCounts *[]int) *Request {
	if r := c.badStart("Ialltoallv", 0, out != nil && outCounts != nil); r != nil {
		return r
	}
	return c.startColl(ctx, "Ialltoallv", func(ctx context.Context, lc *Comm) (err error) {
		*out, *outCounts, err = Alltoallv(ctx, lc, send, counts)
		return err
	})
}

// badStart returns a completed request with the error of a call that
// cannot start (a root out of range, a nil result pointer), or nil.
func (c *Comm) badStart(name string, root int, outOK bool) *Request {
	err := c.checkRank(name, root, false)
	if err == nil && !outOK {
		err = fmt.Errorf("comm: %s: nil result pointer", name)
	}
	if err == nil {
		return nil
	}
	return &Request{c: c, done: true, err: err, status: noStatus}
}
