package monitor

import (
	"os"
	"strconv"

	"github.com/gorun-dev/gorun/launcher"
)

// allHosts is the host column of the totals of a job across hosts.
const allHosts = "all"

// remoteRank is what the samples of one rank on another host add up to.
type remoteRank struct {
	host    string
	pid     int
	cpuLast float64 // the process's CPU seconds at its last sample
	peak    int64
}

// localHost is this machine's name, the host column of a job on one host.
func localHost() string {
	h, err := os.Hostname()
	if err != nil || h == "" {
		return "localhost"
	}
	return h
}

// merge adds the snapshots of a job's hosts, in the order the launcher
// received them: one row per rank, timed by the launcher's clock, then a
// total over the latest snapshot of every host (a host whose ranks have
// all exited sends an empty one, which drops it from the totals).
func (s *sampler) merge(snaps []launcher.HostSnapshot) {
	for _, sn := range snaps {
		ts := max(sn.At.Sub(s.t0).Seconds(), 0)
		rows := make([]Sample, 0, len(sn.Ranks))
		for _, r := range sn.Ranks {
			rows = append(rows, Sample{Time: ts, Host: sn.Host, Rank: strconv.Itoa(r.Rank), PID: r.PID, CPU: r.CPU, RSS: r.RSS})
			rr := s.remote[r.Rank]
			if rr == nil {
				rr = &remoteRank{}
				s.remote[r.Rank] = rr
			}
			rr.host, rr.pid, rr.cpuLast = sn.Host, r.PID, r.CPUSec
			rr.peak = max(rr.peak, r.PeakRSS, r.RSS)
		}
		s.rows = append(s.rows, rows...)
		s.latest[sn.Host] = rows
		total := Sample{Time: ts, Host: allHosts, Rank: "total"}
		for _, l := range s.latest {
			for _, r := range l {
				total.CPU += r.CPU
				total.RSS += r.RSS
			}
		}
		s.rows = append(s.rows, total)
	}
}
