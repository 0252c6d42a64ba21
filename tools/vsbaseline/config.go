package main

import (
	"errors"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// workloads are the parts --only may name, in the order they run.
var workloads = []string{"tracts", "wordcount", "pi", "scaling", "memory"}

// config is everything one benchmark run needs.
type config struct {
	Bin       string // directory with gorun, tracts, wordcount, pi
	Baselines string // directory with seed_*.py
	Data      string // the shared data directory (tracts/, points/, text/sotu)
	Python    string // the Python interpreter; "" when none was found
	Only      map[string]bool
	Repeats   int
	Ranks     int           // n of the gorun sides (the targets' "gorun -n 2")
	MemRanks  int           // ranks of the memory check
	Dup       int           // --dup of the Python tracts side
	GoDup     int           // --dup of the Go tracts side (100: the lecture's size)
	PiSamples int64         // samples of both pi sides
	Text      string        // the word count corpus (default DATA/text/sotu)
	WCTimes   int           // the larger word count input is the corpus this many times
	WCLonger  int           // scaling also runs word count on the corpus this many times (0: not)
	Modes     []string      // gorun modes of the Go sides
	Timeout   time.Duration // limit of each run
	Format    string        // table or csv
	Quiet     bool
}

// wants reports whether the workload part w is to run.
func (c *config) wants(w string) bool { return c.Only[w] }

// validate checks the values and looks the paths up.
func (c *config) validate() error {
	switch {
	case c.Repeats < 1:
		return fmt.Errorf("--repeats %d: want at least 1", c.Repeats)
	case c.Ranks < 1 || c.MemRanks < 1:
		return errors.New("--ranks and --memory-ranks: want at least 1")
	case c.Dup < 1 || c.GoDup < 1:
		return errors.New("--dup and --go-dup: want at least 1")
	case c.PiSamples < 1:
		return fmt.Errorf("--pi-samples %d: want at least 1", c.PiSamples)
	case c.WCTimes < 1:
		return fmt.Errorf("--wordcount-times %d: want at least 1", c.WCTimes)
	case c.WCLonger < 0:
		return fmt.Errorf("--scaling-longer-times %d: want 0 (none) or more", c.WCLonger)
	case c.Format != "table" && c.Format != "csv":
		return fmt.Errorf("--format %q: want table or csv", c.Format)
	}
	for _, m := range c.Modes {
		if m != "processes" && m != "goroutines" {
			return fmt.Errorf("--modes: %q is not processes or goroutines", m)
		}
	}
	for _, p := range []string{"gorun", "tracts", "wordcount", "pi"} {
		if st, err := os.Stat(filepath.Join(c.Bin, p)); err != nil || st.IsDir() {
			return fmt.Errorf("--bin %s: no %s program there (run make build)", c.Bin, p)
		}
	}
	if c.Baselines == "" {
		return errors.New("--baselines DIR is required: the directory holding seed_tracts.py, seed_wordcount.py and seed_pi.py")
	}
	if c.Data == "" {
		return errors.New("--data DIR is required: the baselines' data directory (tracts/, points/, text/sotu)")
	}
	if st, err := os.Stat(c.Baselines); err != nil || !st.IsDir() {
		return fmt.Errorf("--baselines %s: not a directory", c.Baselines)
	}
	if st, err := os.Stat(c.Data); err != nil || !st.IsDir() {
		return fmt.Errorf("--data %s: not a directory", c.Data)
	}
	return nil
}

// parseOnly turns "tracts,pi" into a set, checking the names.
func parseOnly(s string) (map[string]bool, error) {
	set := map[string]bool{}
	for _, w := range strings.Split(s, ",") {
		w = strings.TrimSpace(w)
		if w == "" {
			continue
		}
		ok := false
		for _, k := range workloads {
			ok = ok || k == w
		}
		if !ok {
			return nil, fmt.Errorf("--only: unknown workload %q (want some of %s)", w, strings.Join(workloads, ","))
		}
		set[w] = true
	}
	if len(set) == 0 {
		return nil, errors.New("--only: no workload named")
	}
	return set, nil
}

// findPython is the interpreter to use, or "" when there is none.
func findPython(p string) string {
	if p == "" {
		return ""
	}
	if lp, err := exec.LookPath(p); err == nil {
		return lp
	}
	return ""
}

// count is a pflag value for a sample count: an integer with optional
// underscores, or an integral float such as 1e8.
type count int64

func (n *count) String() string { return strconv.FormatInt(int64(*n), 10) }
func (n *count) Type() string   { return "N" }

func (n *count) Set(s string) error {
	if v, err := strconv.ParseInt(s, 0, 64); err == nil {
		*n = count(v)
		return nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f != math.Trunc(f) || f > math.MaxInt64 || f < math.MinInt64 {
		return fmt.Errorf("%q is not a whole number", s)
	}
	*n = count(f)
	return nil
}
