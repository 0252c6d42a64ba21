package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/gorun-dev/gorun/cmd/internal/outfile"
)

// hostsConfig is what a multi-host sweep adds to a sweep (--hosts).
type hostsConfig struct {
	Hosts        []string // from the hostfile, in order: runs on h hosts use the first h
	RanksPerHost []int
	Link         string   // the link speed, as the plots and CSV name it ("" = not given)
	AgentFlags   []string // --launch-agent or --ssh, passed to gorun
}

// readHostfile reads one host per line; "#" starts a comment, and a
// ":SLOTS" or " slots=N" after the name is ignored (the sweep sets the
// slots).
func readHostfile(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("--hosts: %w", err)
	}
	defer f.Close()
	var hosts []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line, _, _ := strings.Cut(sc.Text(), "#")
		fields := strings.Fields(line)
		if len(fields) == 0 {
			continue
		}
		name, _, _ := strings.Cut(fields[0], ":")
		hosts = append(hosts, name)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("--hosts %s: %w", path, err)
	}
	if len(hosts) == 0 {
		return nil, fmt.Errorf("--hosts %s: no hosts", path)
	}
	return hosts, nil
}

// hostsRun is one timed run of one workload across hosts.
type hostsRun struct {
	Workload, Mode      string
	Hosts, PerHost, Rep int
	WallSec             float64
	PeakRSS             int64 // sum of the rank processes' reported peak RSS
	Within, Between     int64 // payload bytes sent within a host and between hosts
}

// hostsPoint is one cell of a multi-host sweep.
type hostsPoint struct {
	w              workload
	mode           string
	hosts, perHost int
}

// sweepHosts runs every point Repeat times (see rounds).
func sweepHosts(ctx context.Context, cfg *config, hc *hostsConfig, log io.Writer) ([]hostsRun, error) {
	var points []hostsPoint
	for _, w := range cfg.Workloads {
		for _, m := range cfg.Modes {
			for h := 1; h <= len(hc.Hosts); h++ {
				for _, k := range hc.RanksPerHost {
					points = append(points, hostsPoint{w, m, h, k})
				}
			}
		}
	}
	var warm []hostsPoint
	if cfg.Warmup {
		for _, w := range cfg.Workloads {
			warm = append(warm, hostsPoint{w, cfg.Modes[0], 1, 1})
		}
	}
	return rounds(cfg, log, points, warm, func(p hostsPoint, rep int, tmp string) (hostsRun, error) {
		return runHosts(ctx, cfg, hc, p, rep, tmp)
	}, func(p hostsPoint, r hostsRun) string {
		return fmt.Sprintf("%s %s %d hosts x %d: %.3fs", p.w.Name, p.mode, p.hosts, p.perHost, r.WallSec)
	})
}

// runHosts runs gorun once at p and reads its monitor summary.
func runHosts(ctx context.Context, cfg *config, hc *hostsConfig, p hostsPoint, rep int, tmp string) (hostsRun, error) {
	args, err := p.w.expand(cfg.StrongFactor, tmp)
	if err != nil {
		return hostsRun{}, err
	}
	var hl []string
	for _, h := range hc.Hosts[:p.hosts] {
		hl = append(hl, h+":"+strconv.Itoa(p.perHost))
	}
	flags := append([]string{"-H", strings.Join(hl, ","), "-n", strconv.Itoa(p.hosts * p.perHost), "--mode", p.mode},
		hc.AgentFlags...)
	what := fmt.Sprintf("%s (%s, %d hosts x %d ranks)", p.w.Name, p.mode, p.hosts, p.perHost)
	m, err := runMonitored(ctx, cfg, tmp, what, flags, args)
	if err != nil {
		return hostsRun{}, err
	}
	return hostsRun{Workload: p.w.Name, Mode: p.mode, Hosts: p.hosts, PerHost: p.perHost, Rep: rep, WallSec: m.wall,
		PeakRSS: m.rep.SumPeakRSS, Within: m.rep.WithinHostBytes, Between: m.rep.BetweenHostsBytes}, nil
}

// hostsSummary is the medians of one point.
type hostsSummary struct {
	Workload, Mode       string
	Hosts, PerHost, Reps int
	Time                 spread
	Speedup              float64 // against the same mode and ranks per host on one host
	PeakRSS              float64
	Within, Between      float64
}

func summarizeHosts(runs []hostsRun) []hostsSummary {
	type key struct {
		w, m string
		h, k int
	}
	groups := map[key][]hostsRun{}
	var keys []key
	for _, r := range runs {
		k := key{r.Workload, r.Mode, r.Hosts, r.PerHost}
		if groups[k] == nil {
			keys = append(keys, k)
		}
		groups[k] = append(groups[k], r)
	}
	sort.SliceStable(keys, func(i, j int) bool {
		a, b := keys[i], keys[j]
		if a.w != b.w {
			return a.w < b.w
		}
		if a.m != b.m {
			return a.m < b.m
		}
		if a.k != b.k {
			return a.k < b.k
		}
		return a.h < b.h
	})
	med := func(g []hostsRun, f func(hostsRun) float64) float64 {
		var xs []float64
		for _, r := range g {
			xs = append(xs, f(r))
		}
		return median(xs)
	}
	var out []hostsSummary
	for _, k := range keys {
		g := groups[k]
		var ts []float64
		for _, r := range g {
			ts = append(ts, r.WallSec)
		}
		out = append(out, hostsSummary{Workload: k.w, Mode: k.m, Hosts: k.h, PerHost: k.k, Reps: len(g),
			Time:    newSpread(ts),
			PeakRSS: med(g, func(r hostsRun) float64 { return float64(r.PeakRSS) }),
			Within:  med(g, func(r hostsRun) float64 { return float64(r.Within) }),
			Between: med(g, func(r hostsRun) float64 { return float64(r.Between) })})
	}
	for i := range out {
		for _, b := range out {
			if b.Workload == out[i].Workload && b.Mode == out[i].Mode && b.PerHost == out[i].PerHost && b.Hosts == 1 {
				out[i].Speedup = b.Time.Median / out[i].Time.Median
			}
		}
	}
	return out
}

const hostsHeader = "workload,mode,link,hosts,ranks_per_host,ranks,repeats,time_median_s,time_min_s,time_max_s," +
	"speedup_vs_one_host,peak_rss_bytes,within_host_bytes,between_hosts_bytes"

func writeHostsCSV(w io.Writer, rows []hostsSummary, link string) error {
	bw := bufio.NewWriter(w)
	bw.WriteString(hostsHeader + "\n")
	for _, r := range rows {
		f := []string{r.Workload, r.Mode, link, itoa(r.Hosts), itoa(r.PerHost), itoa(r.Hosts * r.PerHost), itoa(r.Reps),
			num(r.Time.Median), num(r.Time.Min), num(r.Time.Max), num(r.Speedup),
			bytesNum(r.PeakRSS), bytesNum(r.Within), bytesNum(r.Between)}
		bw.WriteString(strings.Join(f, ",") + "\n")
	}
	return bw.Flush()
}

const hostsRunsHeader = "workload,mode,link,hosts,ranks_per_host,repeat,time_s,peak_rss_bytes,within_host_bytes,between_hosts_bytes"

func writeHostsRunsCSV(w io.Writer, runs []hostsRun, link string) error {
	bw := bufio.NewWriter(w)
	bw.WriteString(hostsRunsHeader + "\n")
	for _, r := range runs {
		f := []string{r.Workload, r.Mode, link, itoa(r.Hosts), itoa(r.PerHost), itoa(r.Rep), num(r.WallSec),
			strconv.FormatInt(r.PeakRSS, 10), strconv.FormatInt(r.Within, 10), strconv.FormatInt(r.Between, 10)}
		bw.WriteString(strings.Join(f, ",") + "\n")
	}
	return bw.Flush()
}

// runHostsSweep runs a multi-host sweep and writes its CSVs and plots,
// their names suffixed with the link speed when given.
func runHostsSweep(ctx context.Context, cfg *config, hc *hostsConfig, log io.Writer) ([]string, error) {
	if err := os.MkdirAll(cfg.Out, 0o755); err != nil {
		return nil, err
	}
	runs, err := sweepHosts(ctx, cfg, hc, log)
	if err != nil {
		return nil, err
	}
	rows := summarizeHosts(runs)
	suffix := ""
	if hc.Link != "" {
		suffix = "_" + hc.Link
	}
	sumPath := filepath.Join(cfg.Out, "scaling_hosts"+suffix+".csv")
	runsPath := filepath.Join(cfg.Out, "scaling_hosts_runs"+suffix+".csv")
	if err := outfile.Write(sumPath, func(w io.Writer) error { return writeHostsCSV(w, rows, hc.Link) }); err != nil {
		return nil, err
	}
	if err := outfile.Write(runsPath, func(w io.Writer) error { return writeHostsRunsCSV(w, runs, hc.Link) }); err != nil {
		return nil, err
	}
	files := []string{sumPath, runsPath}
	for _, w := range cfg.Workloads {
		base := filepath.Join(cfg.Out, w.Name+"_hosts"+suffix)
		if err := plotHosts(cfg, hc, w.Name, rows, base); err != nil {
			return nil, fmt.Errorf("plotting %s: %w", base, err)
		}
		files = append(files, base+".png", base+".svg")
	}
	return files, nil
}

// parseHosts fills hc from the --hosts flags.
func parseHosts(hc *hostsConfig, hostfile, perHost, launchAgent, sshCmd string) error {
	var err error
	if hc.Hosts, err = readHostfile(hostfile); err != nil {
		return err
	}
	for _, f := range strings.Split(perHost, ",") {
		k, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || k < 1 {
			return fmt.Errorf("--ranks-per-host %q: %q is not a count of 1 or more", perHost, f)
		}
		hc.RanksPerHost = append(hc.RanksPerHost, k)
	}
	if strings.ContainsAny(hc.Link, "/ ") {
		return fmt.Errorf("--link %q: a label without spaces or slashes, e.g. 1gbit", hc.Link)
	}
	if launchAgent != "" {
		hc.AgentFlags = append(hc.AgentFlags, "--launch-agent", launchAgent)
	}
	if sshCmd != "" {
		hc.AgentFlags = append(hc.AgentFlags, "--ssh", sshCmd)
	}
	return nil
}
