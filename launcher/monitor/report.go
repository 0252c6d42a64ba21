package monitor

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"time"

	"github.com/gorun-dev/gorun/internal/atomicfile"
	"github.com/gorun-dev/gorun/launcher"
)

// Report is the JSON summary a Monitor writes next to its CSV.
type Report struct {
	Mode       launcher.Mode `json:"mode"`
	Size       int           `json:"size"` // ranks
	CPUs       int           `json:"cpus"` // CPUs this launcher may use
	WallSec    float64       `json:"wall_s"`
	IntervalMS float64       `json:"interval_ms"`
	Samples    int           `json:"samples"`
	Ranks      []RankSummary `json:"ranks"` // one per process; rank -1 in goroutine mode; across hosts (no PID) one per report

	PeakTotalRSS int64   `json:"peak_total_rss_bytes"` // largest sum of RSS at one sample
	SumPeakRSS   int64   `json:"sum_peak_rss_bytes"`   // sum of every process's VmHWM
	CPUSec       float64 `json:"cpu_s"`                // CPU seconds of all ranks while sampled
	MeanCPU      float64 `json:"mean_cpu_percent"`     // CPUSec / WallSec, percent of one CPU

	// Payload bytes the ranks sent to ranks on their own host and on
	// other hosts, as they reported at exit (launcher.Job.Traffic); both
	// 0 when no rank reported (a goroutine world).
	WithinHostBytes   int64 `json:"within_host_bytes"`
	BetweenHostsBytes int64 `json:"between_hosts_bytes"`

	BusReadBytes    int64 `json:"bus_read_bytes"`    // launcher rchar over the job
	BusWrittenBytes int64 `json:"bus_written_bytes"` // launcher wchar over the job

	SamplerBusySec float64 `json:"sampler_busy_s"` // wall time spent taking samples
	SamplerCPUSec  float64 `json:"sampler_cpu_s"`  // CPU time of the monitor's thread over the job
}

// RankSummary is one process's line of the summary.
type RankSummary struct {
	Rank    int     `json:"rank"`
	Host    string  `json:"host,omitempty"` // as in the CSV's host column
	PID     int     `json:"pid"`
	PeakRSS int64   `json:"peak_rss_bytes"`
	CPUSec  float64 `json:"cpu_s"`
	MeanCPU float64 `json:"mean_cpu_percent"`
}

// report sums up the samples.
func (s *sampler) report(job *launcher.Job, interval time.Duration) *Report {
	rep := &Report{Mode: job.Mode, Size: job.Size, CPUs: launcher.CPUs(),
		IntervalMS: float64(interval) / float64(time.Millisecond), Samples: s.n,
		SamplerBusySec: s.busy.Seconds()}
	if s.n > 0 {
		rep.WallSec = s.now().Sub(s.t0).Seconds() // the job ended just now
	}
	for _, r := range s.rows {
		if r.Rank == "total" {
			rep.PeakTotalRSS = max(rep.PeakTotalRSS, r.RSS)
		}
	}
	for i, pid := range job.PIDs {
		rank := i
		if job.Mode == launcher.ModeGoroutines {
			rank = -1
		}
		cpu, peak := s.cpuLast[i]-s.cpu0[i], s.peak[i]
		if u, ok := job.Exited(pid); ok { // exact, even for a job shorter than one interval
			cpu = u.CPU.Seconds()
		}
		if v, ok := job.ReportedPeakRSS(rank); ok { // its own VmHWM at exit: exact
			peak = max(peak, v)
		}
		rs := RankSummary{Rank: rank, Host: s.host, PID: pid, PeakRSS: peak, CPUSec: cpu}
		if rep.WallSec > 0 {
			rs.MeanCPU = 100 * cpu / rep.WallSec
		}
		rep.Ranks = append(rep.Ranks, rs)
		rep.SumPeakRSS += peak
		rep.CPUSec += cpu
	}
	if len(job.PIDs) == 0 {
		// The ranks ran on other hosts: their agents' samples and their
		// own reports at exit say what they used.
		peaks := job.ReportedPeaks()
		var ranks []int
		for r := range peaks {
			ranks = append(ranks, r)
		}
		for r := range s.remote {
			if _, ok := peaks[r]; !ok {
				ranks = append(ranks, r)
			}
		}
		slices.Sort(ranks)
		for _, r := range ranks {
			rs := RankSummary{Rank: r, PeakRSS: peaks[r]}
			if rr := s.remote[r]; rr != nil {
				rs.Host, rs.PID, rs.CPUSec = rr.host, rr.pid, rr.cpuLast
				rs.PeakRSS = max(rs.PeakRSS, rr.peak)
				if rep.WallSec > 0 {
					rs.MeanCPU = 100 * rs.CPUSec / rep.WallSec
				}
			}
			rep.Ranks = append(rep.Ranks, rs)
			rep.SumPeakRSS += rs.PeakRSS
			rep.CPUSec += rs.CPUSec
		}
	}
	rep.WithinHostBytes, rep.BetweenHostsBytes, _ = job.Traffic()
	if rep.WallSec > 0 {
		rep.MeanCPU = 100 * rep.CPUSec / rep.WallSec
	}
	return rep
}

// write writes the CSV and the JSON summary, each atomically.
func (m *Monitor) write(rep *Report, rows []Sample) error {
	csvPath, jsonPath, _, _ := Files(m.Path)
	if err := writeAtomic(csvPath, func(w io.Writer) error { return writeSamplesCSV(w, rows) }); err != nil {
		return err
	}
	return writeAtomic(jsonPath, func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	})
}

// writeSamplesCSV writes "time_s,host,rank,pid,cpu_percent,rss_bytes"
// rows; rank "total" rows (pid 0) sum the ranks of one sample (in a job
// across hosts, host "all": the latest sample of every host).
func writeSamplesCSV(w io.Writer, rows []Sample) error {
	bw := bufio.NewWriter(w)
	bw.WriteString(csvHeader + "\n")
	var b []byte
	for _, r := range rows {
		b = strconv.AppendFloat(b[:0], r.Time, 'f', 3, 64)
		b = append(b, ',')
		b = append(b, r.Host...)
		b = append(b, ',')
		b = append(b, r.Rank...)
		b = append(b, ',')
		b = strconv.AppendInt(b, int64(r.PID), 10)
		b = append(b, ',')
		b = strconv.AppendFloat(b, r.CPU, 'f', 1, 64)
		b = append(b, ',')
		b = strconv.AppendInt(b, r.RSS, 10)
		b = append(b, '\n')
		bw.Write(b)
	}
	return bw.Flush()
}

// writeAtomic writes path atomically and durably (internal/atomicfile),
// so a failure or a kill never leaves a half-written file.
func writeAtomic(path string, fill func(io.Writer) error) error {
	if err := atomicfile.Write(path, fill); err != nil {
		return fmt.Errorf("monitor: %w", err)
	}
	return nil
}

// writeSummary prints peak RSS and mean CPU per rank, the totals and the
// monitor's own cost.
func writeSummary(w io.Writer, rep *Report, path string, plotted bool) {
	bw := bufio.NewWriter(w)
	defer bw.Flush()
	cost := 0.0
	if rep.CPUSec > 0 {
		cost = 100 * rep.SamplerCPUSec / rep.CPUSec
	}
	fmt.Fprintf(bw, "gorun: monitor: %d ranks (%s), %.2f s, %d samples every %gms; the monitor used %.1f ms CPU (%.2f%% of the ranks' %.2f s)\n",
		rep.Size, rep.Mode, rep.WallSec, rep.Samples, rep.IntervalMS, 1000*rep.SamplerCPUSec, cost, rep.CPUSec)
	for _, r := range rep.Ranks {
		name := "rank " + strconv.Itoa(r.Rank)
		if r.Rank < 0 {
			name = "all ranks"
		}
		on := ""
		if r.Host != "" {
			on = " on " + r.Host
		}
		fmt.Fprintf(bw, "gorun: monitor: %s (pid %d%s): peak RSS %s, mean CPU %.0f%%\n", name, r.PID, on, mib(r.PeakRSS), r.MeanCPU)
	}
	fmt.Fprintf(bw, "gorun: monitor: total: peak RSS %s (sum of peaks %s), mean CPU %.0f%% of %d%% (%d CPUs); bus and forwarded output: %s in, %s out\n",
		mib(rep.PeakTotalRSS), mib(rep.SumPeakRSS), rep.MeanCPU, 100*rep.CPUs, rep.CPUs, mib(rep.BusReadBytes), mib(rep.BusWrittenBytes))
	c, j, p, s := Files(path)
	if plotted {
		fmt.Fprintf(bw, "gorun: monitor: wrote %s %s %s %s\n", c, j, p, s)
	} else {
		fmt.Fprintf(bw, "gorun: monitor: wrote %s %s\n", c, j)
	}
}

// mib formats a byte count: "512 B", "3.0 KiB", "8.6 MiB", "1.2 GiB".
func mib(b int64) string {
	switch {
	case b < 1<<10:
		return fmt.Sprintf("%d B", b)
	case b < 1<<20:
		return fmt.Sprintf("%.1f KiB", float64(b)/(1<<10))
	case b < 1<<30:
		return fmt.Sprintf("%.1f MiB", float64(b)/(1<<20))
	}
	return fmt.Sprintf("%.2f GiB", float64(b)/(1<<30))
}
