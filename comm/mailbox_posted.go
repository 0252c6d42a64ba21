package comm

import "github.com/gorun-dev/gorun/comm/transport"

// postedList is the mailbox's posted receives, oldest first. Each entry
// carries a copy of its waiter's match key, and the first entry lives inline
// in the mailbox next to its lock: a sender delivering to a rank that waits
// for one message takes the lock and finds the match on the same cache line,
// instead of following the list and the waiter to two more lines the
// receiver has just written (a cache line moved between cores is the main
// cost of a message).
type postedList struct {
	items  []posting // in inline while it fits
	inline [1]posting
}

// posting is one posted receive.
type posting struct {
	kind transport.Kind
	peek bool
	want uint8
	comm uint32
	src  int32 // or AnySource
	tag  int64 // or AnyTag; ignored for collectives
	w    *waiter
}

func (p *posting) matches(f *transport.Frame) bool {
	return p.kind == f.Kind && p.comm == f.Comm &&
		(p.src == AnySource || p.src == f.Src) &&
		(p.kind == transport.KindColl || p.tag == AnyTag || p.tag == f.Tag)
}

func (l *postedList) len() int { return len(l.items) }

func (l *postedList) at(i int) *posting { return &l.items[i] }

func (l *postedList) add(w *waiter) {
	if l.items == nil {
		l.items = l.inline[:0]
	}
	l.items = append(l.items, posting{kind: w.kind, peek: w.peek, want: w.want, comm: w.comm, src: w.src, tag: w.tag, w: w})
}

// removeAt drops entry i, keeping the order of the rest.
func (l *postedList) removeAt(i int) {
	n := copy(l.items[i:], l.items[i+1:])
	l.items[i+n] = posting{}
	l.items = l.items[:i+n]
	if len(l.items) == 0 {
		l.items = l.inline[:0] // back inline after a burst
	}
}

// remove drops w's entry and reports whether it was there.
func (l *postedList) remove(w *waiter) bool {
	for i := range l.items {
		if l.items[i].w == w {
			l.removeAt(i)
			return true
		}
	}
	return false
}

// keep drops the entries for which f is false.
func (l *postedList) keep(f func(w *waiter) bool) {
	for i := 0; i < len(l.items); {
		if f(l.items[i].w) {
			i++
		} else {
			l.removeAt(i)
		}
	}
}
