package comm

import (
	"context"
	"errors"
	"fmt"
)

// The calls on several requests follow MPI: a nil *Request is inactive
// (MPI_REQUEST_NULL) and is skipped, and a request that completes in one of
// these calls is set to nil in the slice, so that the next call skips it.
// When ctx ends first, the call returns ctx's error and the requests not
// yet complete stay active (unlike Request.Wait, which withdraws its
// receive).

// Waitall waits until every request in reqs has completed. The statuses
// are in reqs' order (an inactive request's has Source AnySource and Tag
// AnyTag); the error joins the failed requests' errors, each naming its
// index.
func Waitall(ctx context.Context, reqs []*Request) ([]Status, error) {
	sts := make([]Status, len(reqs))
	for i := range sts {
		sts[i] = noStatus
	}
	var errs []error
	for {
		idx, err := waitSome(ctx, reqs, sts, &errs)
		if err != nil {
			return sts, err
		}
		if idx == nil {
			return sts, errors.Join(errs...)
		}
	}
}

// Waitany waits until one of the requests completes and returns its index
// and outcome; the index is -1 when every request is inactive.
func Waitany(ctx context.Context, reqs []*Request) (int, Status, error) {
	for {
		if i, st, done, err := Testany(reqs); done {
			return i, st, err
		}
		if err := parkAny(ctx, reqs); err != nil {
			return -1, noStatus, err
		}
	}
}

// Waitsome waits until at least one of the requests completes and returns
// the indices of all that have, with their statuses; indices is nil when
// every request is inactive. The error joins the failed requests' errors.
func Waitsome(ctx context.Context, reqs []*Request) ([]int, []Status, error) {
	var errs []error
	sts := make([]Status, len(reqs))
	idx, err := waitSome(ctx, reqs, sts, &errs)
	if err != nil {
		return nil, nil, err
	}
	return idx, pick(sts, idx), errors.Join(errs...)
}

// Testall reports whether every request has completed, without blocking.
// Only then are the requests set to nil and their statuses and errors
// returned; otherwise all stay active.
func Testall(reqs []*Request) ([]Status, bool, error) {
	for _, r := range reqs {
		if r != nil {
			if _, done, _ := r.Test(); !done {
				return nil, false, nil
			}
		}
	}
	sts, err := Waitall(context.Background(), reqs) // all complete: no wait
	return sts, true, err
}

// Testany reports whether one of the requests has completed, without
// blocking, and returns the first such one's index and outcome. It reports
// done with index -1 when every request is inactive (as MPI).
func Testany(reqs []*Request) (int, Status, bool, error) {
	active := false
	for i, r := range reqs {
		if r == nil {
			continue
		}
		active = true
		if st, done, err := r.Test(); done {
			reqs[i] = nil
			return i, st, true, err
		}
	}
	return -1, noStatus, !active, nil
}

// Testsome returns the indices and statuses of the requests that have
// completed, without blocking; indices is empty when none has.
func Testsome(reqs []*Request) ([]int, []Status, error) {
	var errs []error
	sts := make([]Status, len(reqs))
	idx := testSome(reqs, sts, &errs)
	return idx, pick(sts, idx), errors.Join(errs...)
}

// testSome completes the requests that are done, storing their statuses
// in sts and their errors in errs; it returns their indices.
func testSome(reqs []*Request, sts []Status, errs *[]error) []int {
	var idx []int
	for i, r := range reqs {
		if r == nil {
			continue
		}
		st, done, err := r.Test()
		if !done {
			continue
		}
		reqs[i], sts[i] = nil, st
		idx = append(idx, i)
		if err != nil {
			*errs = append(*errs, fmt.Errorf("request %d: %w", i, err))
		}
	}
	return idx
}

// waitSome blocks until at least one request completes (see testSome); it
// returns nil indices when none is active.
func waitSome(ctx context.Context, reqs []*Request, sts []Status, errs *[]error) ([]int, error) {
	for {
		if idx := testSome(reqs, sts, errs); idx != nil || !anyActive(reqs) {
			return idx, nil
		}
		if err := parkAny(ctx, reqs); err != nil {
			return nil, err
		}
	}
}

func anyActive(reqs []*Request) bool {
	for _, r := range reqs {
		if r != nil {
			return true
		}
	}
	return false
}

func pick(sts []Status, idx []int) []Status {
	out := make([]Status, len(idx))
	for j, i := range idx {
		out[j] = sts[i]
	}
	return out
}
