package launcher

import (
	"os"
	"os/signal"
	"syscall"
	"time"
)

// terminate ends the job because of cause: it records cause as the job's
// result (only the first counts; nil records nothing, for a rank that
// failed only because the job was aborted, see rankAborted), tells the
// ranks on the bus, sends every live rank sig and arms SIGKILL after the
// grace period. Only the first call ends the job.
func (j *job) terminate(cause error, sig syscall.Signal) {
	j.mu.Lock()
	if j.finished || j.cause != nil {
		j.mu.Unlock()
		return
	}
	j.cause = cause
	if j.ending {
		j.mu.Unlock()
		return
	}
	j.ending, j.sig = true, sig
	j.killTimer = time.AfterFunc(j.cfg.grace(), j.killAll)
	j.mu.Unlock()
	_, timedOut := cause.(*TimeoutError)
	noticed := false
	if j.bus != nil && j.bus.nc != nil {
		noticed = true
		rank, reason := -1, "another rank failed"
		if cause != nil {
			reason = cause.Error()
		}
		if ee, ok := cause.(*ExitError); ok {
			rank, reason = ee.Rank, exitReason(ee)
		}
		if err := j.bus.abort(rank, reason); err != nil {
			noticed = false
			j.log.debugf("%v", err)
		}
	}
	if timedOut && noticed && j.mode == ModeProcesses {
		// A rank blocked in comm ends on the notice and says what it was
		// waiting for (a deadlock report), which SIGTERM, cancelling its
		// ctx first, would pre-empt; SIGTERM follows for the others.
		j.log.debugf("ending the job (%v): SIGTERM in %v, SIGKILL in %v", cause, j.cfg.grace()/2, j.cfg.grace())
		time.AfterFunc(j.cfg.grace()/2, j.stopRanks)
		return
	}
	j.log.debugf("ending the job (%v): sending %v, SIGKILL in %v", cause, sig, j.cfg.grace())
	j.stopRanks() // exec calls each live rank's Cancel: j.termSignal()
}

// rankAborted ends the job after a rank failed only because the job was
// aborted (see induced), leaving the verdict open: a rank that failed on
// its own may be reaped later, and it is the one named. Only when none
// is, ee becomes the result.
func (j *job) rankAborted(ee *ExitError) {
	j.mu.Lock()
	if j.aborted == nil {
		j.aborted = ee
	}
	j.mu.Unlock()
	j.terminate(nil, syscall.SIGTERM)
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
				j.terminate(&SignalError{Signal: sig}, rankSignal(sig))
				continue
			}
			j.log.debugf("second signal %v: killing every rank", sig)
			j.killAll()
		}
	}
}

// rankSignal is the signal that passes sig on to the ranks. A rank
// inherits the signals this process ignores (SIGINT in a job a shell
// started in the background, SIGHUP under nohup) and would ignore sig
// too, running on until SIGKILL after the grace period; it gets SIGTERM
// instead. A program that catches sig (signal.Notify, as gorun does)
// starts its ranks with the default action, and they get sig itself.
func rankSignal(sig syscall.Signal) syscall.Signal {
	if signal.Ignored(sig) {
		return syscall.SIGTERM
	}
	return sig
}
