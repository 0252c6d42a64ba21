package launcher

import (
	"context"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gorun-dev/gorun/comm/jobenv"
	"github.com/nats-io/nats.go"
	"github.com/schollz/progressbar/v3"
)

// DefaultProgressEvery is how often a Progress without a bar prints a line
// (it also prints one at every 10% step).
const DefaultProgressEvery = 5 * time.Second

// Progress is an Observer that adds up the ranks' c.Progress(done, total)
// reports ("<rank> <done> <total>" on jobenv.SubjectProgress) into one
// figure: done is the sum of every rank's latest done, total the sum of
// their totals (a rank that hands out dynamic work may carry the whole
// total while the others report 0). With Bar it draws a progress bar with
// rate and ETA, meant for a terminal; without, it prints a plain line
// every Every and at every 10% step. Nothing is printed for a job whose
// ranks never report.
//
// The bar is github.com/schollz/progressbar/v3: maintained, pure Go, no
// cgo, and it already does what a hand-written bar would have to get
// right: rate and ETA smoothing, throttled redraws, terminal width, and
// a clean final line.
//
// Reports travel over the job's bus in process mode; in goroutine mode
// the one process writes its goroutine ranks' reports to a pipe.
type Progress struct {
	Stderr io.Writer
	Bar    bool
	Every  time.Duration // 0 means DefaultProgressEvery

	now func() time.Time // for tests; nil means time.Now
}

var _ Observer = (*Progress)(nil)

// tally is the latest report of every rank.
type tally struct {
	mu      sync.Mutex
	done    map[int]int64
	total   map[int]int64
	changed bool
	bad     int // malformed reports, ignored
}

// add records one "<rank> <done> <total>" report.
func (t *tally) add(msg []byte) {
	f := strings.Fields(string(msg))
	if len(f) != 3 {
		t.mu.Lock()
		t.bad++
		t.mu.Unlock()
		return
	}
	r, err1 := strconv.Atoi(f[0])
	d, err2 := strconv.ParseInt(f[1], 10, 64)
	n, err3 := strconv.ParseInt(f[2], 10, 64)
	t.mu.Lock()
	defer t.mu.Unlock()
	if err1 != nil || err2 != nil || err3 != nil || d < 0 || n < 0 {
		t.bad++
		return
	}
	t.done[r], t.total[r] = d, n
	t.changed = true
}

// sums returns the summed done and total, whether anything changed since
// the last call, and whether any rank reported at all.
func (t *tally) sums() (done, total int64, changed, seen bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for r, d := range t.done {
		done += d
		total += t.total[r]
	}
	changed, t.changed = t.changed, false
	return done, total, changed, len(t.done) > 0
}

// Observe follows the job's progress reports until ctx is done.
func (p *Progress) Observe(ctx context.Context, job *Job) error {
	if job.Conn == nil && job.reports == nil || p.Stderr == nil {
		return nil
	}
	t := &tally{done: map[int]int64{}, total: map[int]int64{}}
	stop, err := job.subscribeProgress(t.add)
	if err != nil {
		return fmt.Errorf("progress: %w", err)
	}
	defer stop()
	var out progressOutput
	if p.Bar {
		out = &barOutput{w: p.Stderr}
	} else {
		out = &lineOutput{w: p.Stderr, every: p.Every, now: p.now}
	}
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-tick.C:
			if done, total, changed, _ := t.sums(); changed {
				out.update(done, total)
			}
		case <-ctx.Done():
			// The ranks have exited: their last reports are in (or lost
			// with the connection).
			if job.Conn != nil {
				job.Conn.Flush()
			}
			done, total, changed, seen := t.sums()
			if changed {
				out.update(done, total)
			}
			if seen {
				out.finish(done, total)
			}
			return nil
		}
	}
}

// subscribeProgress sends fn every progress report of the job's ranks,
// from the pipe of a goroutine-mode process or from the bus.
func (jb *Job) subscribeProgress(fn func(msg []byte)) (stop func(), err error) {
	if jb.reports != nil {
		return jb.reports.subscribe(fn)
	}
	// A report naming another rank than its subject reaches fn as nil: a
	// malformed report.
	sub, err := jb.Conn.Subscribe(jobenv.SubjectProgress(jb.ID)+".*", func(m *nats.Msg) { fn(fromRank(m)) })
	if err != nil {
		return nil, err
	}
	return func() { sub.Unsubscribe() }, nil
}

// progressOutput draws the summed progress.
type progressOutput interface {
	update(done, total int64)
	finish(done, total int64)
}

// barOutput is a terminal progress bar.
type barOutput struct {
	w         io.Writer
	bar       *progressbar.ProgressBar
	start     time.Time
	noPredict bool // the ETA would overflow the bar's time.Duration
}

func (b *barOutput) update(done, total int64) {
	if b.bar != nil && !b.noPredict && done > 0 && total > done {
		if s := time.Since(b.start).Seconds(); s > 0 && float64(total-done)/(float64(done)/s) >= maxETA {
			b.noPredict = true // the bar would show a negative ETA: redraw it without one
			b.bar.Exit()
			io.WriteString(b.w, "\n")
			b.bar = nil
		}
	}
	if b.bar == nil {
		if b.start.IsZero() {
			b.start = time.Now()
		}
		b.bar = progressbar.NewOptions64(max(total, 1),
			progressbar.OptionSetWriter(b.w),
			progressbar.OptionSetDescription("gorun"),
			progressbar.OptionShowCount(),
			progressbar.OptionShowIts(),
			progressbar.OptionSetPredictTime(!b.noPredict),
			progressbar.OptionSetElapsedTime(true),
			progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionSetWidth(30),
			progressbar.OptionUseANSICodes(true),
		)
	}
	if total > 0 && total != b.bar.GetMax64() {
		b.bar.ChangeMax64(total)
	}
	_ = b.bar.Set64(min(done, max(total, 1)))
}

func (b *barOutput) finish(done, total int64) {
	if b.bar == nil {
		return
	}
	_ = b.bar.Exit() // leave the bar as it stands, then a newline
	io.WriteString(b.w, "\n")
}

// lineOutput prints "gorun: progress: ..." lines for logs and pipes.
type lineOutput struct {
	w       io.Writer
	every   time.Duration
	now     func() time.Time
	start   time.Time
	last    time.Time
	lastPct int // last 10% step printed
	printed bool
}

func (l *lineOutput) clock() time.Time {
	if l.now != nil {
		return l.now()
	}
	return time.Now()
}

func (l *lineOutput) update(done, total int64) {
	now := l.clock()
	if l.start.IsZero() {
		l.start, l.last, l.lastPct = now, now, -1
	}
	every := l.every
	if every <= 0 {
		every = DefaultProgressEvery
	}
	step := -1
	if total > 0 {
		step = int(percent(done, total) / 10)
	}
	if step > l.lastPct || now.Sub(l.last) >= every {
		l.print(now, done, total)
		l.lastPct = max(l.lastPct, step)
	}
}

func (l *lineOutput) finish(done, total int64) {
	if !l.printed || (total > 0 && done >= total && l.lastPct < 10) {
		l.print(l.clock(), done, total)
	}
}

func (l *lineOutput) print(now time.Time, done, total int64) {
	l.last, l.printed = now, true
	fmt.Fprintln(l.w, progressLine(done, total, now.Sub(l.start)))
}

// progressLine is "gorun: progress: 45% (450/1000), 120/s, ETA 4.6s".
func progressLine(done, total int64, elapsed time.Duration) string {
	var b strings.Builder
	b.WriteString("gorun: progress: ")
	if total > 0 {
		fmt.Fprintf(&b, "%d%% (%d/%d)", percent(done, total), done, total)
	} else {
		fmt.Fprintf(&b, "%d done", done)
	}
	if s := elapsed.Seconds(); s > 0 && done > 0 {
		rate := float64(done) / s
		fmt.Fprintf(&b, ", %.4g/s", rate)
		if total > done {
			fmt.Fprintf(&b, ", ETA %s", eta(float64(total-done)/rate))
		}
	}
	return b.String()
}

// percent is 100*done/total, rounded down, without overflowing int64.
func percent(done, total int64) int64 {
	if done <= math.MaxInt64/100 {
		return 100 * done / total
	}
	return done / (total / 100) // total >= done > 2^56: exact enough
}

// maxETA is the longest time a time.Duration holds, in seconds (292 years).
const maxETA = float64(math.MaxInt64 / int64(time.Second))

// eta formats secs as a Duration ("4.6s", "2h3m0s"), or in years where a
// Duration would overflow.
func eta(secs float64) string {
	if secs >= maxETA {
		return fmt.Sprintf("%.3g years", secs/(365.25*24*3600))
	}
	return (time.Duration(secs * float64(time.Second))).Round(100 * time.Millisecond).String()
}
