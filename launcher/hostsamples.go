package launcher

import (
	"encoding/json"
	"sync"
	"time"

	"github.com/gorun-dev/gorun/launcher/procstat"
)

// A Sampler is an Observer that samples the ranks' processes every
// SampleInterval (package monitor's Monitor). In a job across hosts the
// launcher cannot see those processes: it has each host's agent sample its
// own ranks at that interval and hands the readings to the Observer
// through Job.TakeHostSnapshots.
type Sampler interface {
	Observer
	SampleInterval() time.Duration
}

// HostSnapshot is one reading of every live rank process on one host of a
// job across hosts, taken by that host's agent. An empty Ranks means none
// of the host's ranks is running any more.
type HostSnapshot struct {
	Host  string      // the host's name in the host list
	At    time.Time   // when the launcher received it (one clock for every host)
	Ranks []RankUsage // one per process
}

// RankUsage is one rank process's reading from /proc.
type RankUsage struct {
	Rank    int     // the world rank (a hybrid process: its first rank)
	PID     int     // on its host
	CPU     float64 // percent of one CPU since the host's previous snapshot
	CPUSec  float64 // utime+stime so far
	RSS     int64   // bytes (VmRSS)
	PeakRSS int64   // bytes (VmHWM)
}

// TakeHostSnapshots returns, and forgets, the snapshots the hosts' agents
// sent since the last call, in the order they arrived; nil for a job on
// one host.
func (jb *Job) TakeHostSnapshots() []HostSnapshot {
	if jb.snapshots == nil {
		return nil
	}
	return jb.snapshots.take()
}

// snapshotQueue holds the agents' snapshots until the Observer takes them.
type snapshotQueue struct {
	mu   sync.Mutex
	list []HostSnapshot
}

func (q *snapshotQueue) add(s HostSnapshot) {
	q.mu.Lock()
	q.list = append(q.list, s)
	q.mu.Unlock()
}

func (q *snapshotQueue) take() []HostSnapshot {
	q.mu.Lock()
	defer q.mu.Unlock()
	l := q.list
	q.list = nil
	return l
}

// sampleInterval is the shortest interval of the job's Samplers; 0 when
// it has none.
func (cfg *Config) sampleInterval() time.Duration {
	var d time.Duration
	for _, o := range cfg.Observers {
		if s, ok := o.(Sampler); ok {
			if iv := s.SampleInterval(); iv > 0 && (d == 0 || iv < d) {
				d = iv
			}
		}
	}
	return d
}

// sampleRanks sends a snapshot of this host's rank processes every
// interval (frameSamples: the JSON of []RankUsage) until stop is closed; the last one after every rank has exited
// is empty.
func (a *agent) sampleRanks(every time.Duration, stop <-chan struct{}) {
	prev := map[int]float64{} // CPU seconds by pid at the previous snapshot
	last := time.Now()
	var buf []byte
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		now := time.Now()
		dt := now.Sub(last).Seconds()
		last = now
		var snap []RankUsage
		next := map[int]float64{}
		for _, r := range a.liveRanks() {
			ps, b, err := procstat.Read(r.pid, buf)
			buf = b
			if err != nil || ps.RSS == 0 {
				continue // exited, or a zombie
			}
			cpu := 0.0
			if c, ok := prev[r.pid]; ok && dt > 0 {
				cpu = 100 * (ps.CPUSec - c) / dt
			}
			next[r.pid] = ps.CPUSec
			snap = append(snap, RankUsage{Rank: r.id, PID: r.pid, CPU: cpu, CPUSec: ps.CPUSec, RSS: ps.RSS, PeakRSS: ps.PeakRSS})
		}
		wasEmpty := len(prev) == 0
		prev = next
		if len(snap) > 0 || !wasEmpty {
			b, _ := json.Marshal(snap)
			a.out.send(frameSamples, b)
		}
		select {
		case <-stop:
			return
		case <-t.C:
		}
	}
}

type rankPID struct{ id, pid int }

// liveRanks are the started, unreaped rank processes of this host.
func (a *agent) liveRanks() []rankPID {
	j := a.j
	j.mu.Lock()
	defer j.mu.Unlock()
	var out []rankPID
	for _, r := range j.ranks {
		if r.cmd != nil && r.cmd.Process != nil && !r.reaped.Load() {
			out = append(out, rankPID{r.id, r.pid()})
		}
	}
	return out
}
