package comm

import (
	"context"
	"reflect"
)

// parkAny blocks until one of the active receives in reqs may have
// completed, or ctx ends (then it returns ctx's error). Every receive stays
// posted either way: only its parked state is set and undone.
func parkAny(ctx context.Context, reqs []*Request) error {
	cases := []reflect.SelectCase{{Dir: reflect.SelectRecv, Chan: reflect.ValueOf(ctx.Done())}}
	var parked []parking
	ready := false
	for _, r := range reqs {
		if r == nil {
			continue
		}
		if r.done || r.w == nil {
			ready = true
			break
		}
		p, ok := park(r.w)
		if !ok {
			ready = true
			break
		}
		parked = append(parked, p)
		cases = append(cases, reflect.SelectCase{Dir: reflect.SelectRecv, Chan: reflect.ValueOf(p.ch)})
	}
	chosen := -1
	var err error
	if !ready {
		chosen, _, _ = reflect.Select(cases)
		if chosen == 0 {
			err = ctx.Err()
		}
	}
	for j, p := range parked {
		p.unpark(j+1 == chosen)
	}
	return err
}

// parking is one receive parked by parkAny.
type parking struct {
	w    *waiter
	slot *mailbox // the mailbox whose hand-off holds w, or nil
	st   uint64   // the hand-off's state before parking
	ch   chan struct{}
}

// park marks w as parked, so that its completion signals ch; it reports
// false when w has completed (or a frame is on its way to it).
func park(w *waiter) (parking, bool) {
	if m := w.slot; m != nil {
		s := &m.slot
		st := s.state.Load()
		if st&slotPhase != slotPosted || !s.state.CompareAndSwap(st, st|slotParked) {
			return parking{}, false
		}
		return parking{w: w, slot: m, st: st, ch: m.slotWake}, true
	}
	if !w.state.CompareAndSwap(waitPending, waitParked) {
		return parking{}, false
	}
	return parking{w: w, ch: w.done}, true
}

// unpark undoes park. If the receive completed meanwhile, its signal is
// taken from ch, unless woken says the select took it already.
func (p parking) unpark(woken bool) {
	if p.slot != nil {
		if p.slot.slot.state.CompareAndSwap(p.st|slotParked, p.st) {
			return
		}
	} else if p.w.state.CompareAndSwap(waitParked, waitPending) {
		return
	}
	if !woken {
		<-p.ch
	}
}
