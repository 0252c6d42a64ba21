package launcher

import (
	"os"
	"syscall"
	"time"
)

// terminate ends the job because of cause: it records cause as the job's
// result (only the first call counts), tells the ranks on the bus, sends
// every live rank sig and arms SIGKILL after the grace period.
func (j *job) terminate(cause error, sig syscall.Signal) {
	j.mu.Lock()
	if j.cause != nil || j.finished {
		j.mu.Unlock()
		return
	}
	j.cause, j.sig = cause, sig
	j.killTimer = time.AfterFunc(j.cfg.grace(), j.killAll)
	j.mu.Unlock()
	if j.bus != nil {
		rank, reason := -1, cause.Error()
		if ee, ok := cause.(*ExitError); ok {
			rank, reason = ee.Rank, ee.Reason
		}
		if err := j.bus.abort(rank, reason); err != nil {
			j.log.debugf("%v", err)
		}
	}
	j.log.debugf("ending the job (%v): sending %v, SIGKILL in %v", cause, sig, j.cfg.grace())
	j.stopRanks() // exec calls each live rank's Cancel: j.termSignal()
}

// termSignal is the signal ranks get when the job ends.
func (j *job) termSignal() syscall.Signal {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.sig
}

// killAll sends SIGKILL to every rank not yet reaped.
func (j *job) killAll() {
	j.mu.Lock()
	ranks := append([]*rank(nil), j.ranks...)
	j.mu.Unlock()
	for _, r := range ranks {
		r.signal(syscall.SIGKILL)
	}
}

// forwardSignals ends the job on the first signal from Config.Signals,
// passing it on to the ranks, and kills them at once on the second.
// It returns when done is closed.
func (j *job) forwardSignals(sigs <-chan os.Signal, done <-chan struct{}) {
	first := true
	for {
		select {
		case <-done:
			return
		case s := <-sigs:
			sig, ok := s.(syscall.Signal)
			if !ok {
				sig = syscall.SIGTERM
			}
			if first {
				first = false
				j.terminate(&SignalError{Signal: sig}, sig)
				continue
			}
			j.log.debugf("second signal %v: killing every rank", sig)
			j.killAll()
		}
	}
}
