package monitor

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
)

// csvHeader is the first line of the samples CSV; csvHeaderNoHost that
// of files written before the host column, which ReadSamples still reads.
const (
	csvHeader       = "time_s,host,rank,pid,cpu_percent,rss_bytes"
	csvHeaderNoHost = "time_s,rank,pid,cpu_percent,rss_bytes"
)

// ReadReport reads the JSON summary of the job monitored as path (the
// value given to gorun --monitor: see Files).
func ReadReport(path string) (*Report, error) {
	_, jsonPath, _, _ := Files(path)
	b, err := os.ReadFile(jsonPath)
	if err != nil {
		return nil, fmt.Errorf("monitor: %w", err)
	}
	var rep Report
	if err := json.Unmarshal(b, &rep); err != nil {
		return nil, fmt.Errorf("monitor: %s: %w", jsonPath, err)
	}
	if rep.Size < 1 || len(rep.Ranks) == 0 {
		return nil, fmt.Errorf("monitor: %s: no ranks: not a gorun --monitor summary", jsonPath)
	}
	return &rep, nil
}

// ReadSamples reads the samples CSV of the job monitored as path.
func ReadSamples(path string) ([]Sample, error) {
	csvPath, _, _, _ := Files(path)
	f, err := os.Open(csvPath)
	if err != nil {
		return nil, fmt.Errorf("monitor: %w", err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = 0 // as many as the header has
	r.ReuseRecord = true
	head, err := r.Read()
	hasHost := err == nil && strings.Join(head, ",") == csvHeader
	if !hasHost && (err != nil || strings.Join(head, ",") != csvHeaderNoHost) {
		return nil, fmt.Errorf("monitor: %s: line 1: want the header %q", csvPath, csvHeader)
	}
	var out []Sample
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("monitor: %s: %w", csvPath, err)
		}
		host := ""
		if hasHost {
			host = rec[1]
			rec = append(rec[:1], rec[2:]...)
		}
		s, err := parseSample(rec)
		s.Host = host
		if err != nil {
			line, _ := r.FieldPos(0)
			return nil, fmt.Errorf("monitor: %s: line %d: %w", csvPath, line, err)
		}
		out = append(out, s)
	}
}

func parseSample(rec []string) (Sample, error) {
	s := Sample{Rank: rec[1]}
	var err error
	if s.Time, err = strconv.ParseFloat(rec[0], 64); err != nil {
		return s, fmt.Errorf("time_s %q: %w", rec[0], err)
	}
	if s.Rank != "total" {
		if _, err := strconv.Atoi(s.Rank); err != nil {
			return s, fmt.Errorf("rank %q: want a number or total", s.Rank)
		}
	}
	if s.PID, err = strconv.Atoi(rec[2]); err != nil {
		return s, fmt.Errorf("pid %q: %w", rec[2], err)
	}
	if s.CPU, err = strconv.ParseFloat(rec[3], 64); err != nil {
		return s, fmt.Errorf("cpu_percent %q: %w", rec[3], err)
	}
	if s.RSS, err = strconv.ParseInt(rec[4], 10, 64); err != nil {
		return s, fmt.Errorf("rss_bytes %q: %w", rec[4], err)
	}
	return s, nil
}
