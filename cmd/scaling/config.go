package main

import (
	"errors"
	"fmt"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
)

// config is one sweep.
type config struct {
	Workloads    []workload
	Ranks        []int    // rank counts, ascending
	Modes        []string // "processes", "goroutines"
	Scalings     []string // "strong", "weak"
	Repeat       int
	StrongFactor int // the value of {n} in strong runs
	Cores        int // marked on the plots
	Out          string
	Gorun        string
	Interval     string // --monitor-interval of every run
	Timeout      string // --timeout of every run ("" = none)
	Warmup       bool
}

// workload is one program and its argument templates.
type workload struct {
	Name string
	Args []string // Args[0] is the program
}

// parseWorkload reads "NAME=PROGRAM ARG..." (arguments split at spaces).
func parseWorkload(s string) (workload, error) {
	name, cmd, ok := strings.Cut(s, "=")
	name = strings.TrimSpace(name)
	if !ok || name == "" || strings.ContainsAny(name, " /") || len(strings.Fields(cmd)) == 0 {
		return workload{}, fmt.Errorf("--workload %q: want NAME=PROGRAM [ARG...] with a NAME of no spaces or slashes", s)
	}
	w := workload{Name: name, Args: strings.Fields(cmd)}
	if _, err := w.expand(1, "TMP"); err != nil {
		return workload{}, err
	}
	return w, nil
}

// defaultName names a workload after its program.
func defaultName(program string) string { return filepath.Base(program) }

// template matches one {...} in an argument.
var template = regexp.MustCompile(`\{[^{}]*\}`)

// expand returns the command line for problem-size factor n: {n} becomes
// n, {n*K} becomes n*K, {tmp} the sweep's scratch directory (removed at
// the end: a place for output files), and an argument that is exactly
// {rep:ARG} (or {rep*K:ARG}) becomes n (n*K) copies of ARG, say an input
// path repeated.
func (w workload) expand(n int, tmp string) ([]string, error) {
	var out []string
	for _, a := range w.Args {
		if k, arg, ok := parseRep(a); ok {
			for range n * k {
				out = append(out, arg)
			}
			continue
		}
		var bad string
		s := template.ReplaceAllStringFunc(a, func(t string) string {
			if t == "{tmp}" {
				return tmp
			}
			v, err := templateValue(t[1:len(t)-1], n)
			if err != nil && bad == "" {
				bad = t
			}
			return v
		})
		if bad != "" {
			return nil, fmt.Errorf("workload %s: argument %q: bad template %s (want {n}, {n*K}, {tmp}, or a whole argument {rep:ARG} or {rep*K:ARG})", w.Name, a, bad)
		}
		out = append(out, s)
	}
	return out, nil
}

// parseRep reads a whole argument {rep:ARG} or {rep*K:ARG}.
func parseRep(a string) (k int, arg string, ok bool) {
	body, ok := strings.CutPrefix(a, "{rep")
	if !ok || !strings.HasSuffix(body, "}") {
		return 0, "", false
	}
	body = body[:len(body)-1]
	spec, arg, ok := strings.Cut(body, ":")
	if !ok || arg == "" || strings.ContainsAny(arg, "{}") {
		return 0, "", false
	}
	k = 1
	if spec != "" {
		v, err := strconv.Atoi(strings.TrimPrefix(spec, "*"))
		if !strings.HasPrefix(spec, "*") || err != nil || v < 1 {
			return 0, "", false
		}
		k = v
	}
	return k, arg, true
}

// templateValue is the value of "n" or "n*K" for factor n.
func templateValue(t string, n int) (string, error) {
	if t == "n" {
		return strconv.Itoa(n), nil
	}
	if k, ok := strings.CutPrefix(t, "n*"); ok {
		if v, err := strconv.Atoi(k); err == nil && v > 0 {
			return strconv.Itoa(n * v), nil
		}
	}
	return "", errors.New("bad template")
}

// sizeDependent reports whether the workload has a template, without
// which weak scaling cannot grow the problem.
func (w workload) sizeDependent() bool {
	for _, a := range w.Args {
		if _, _, ok := parseRep(a); ok {
			return true
		}
		for _, t := range template.FindAllString(a, -1) {
			if t != "{tmp}" {
				return true
			}
		}
	}
	return false
}

// parseRanks reads "1,2,4,8".
func parseRanks(s string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			return nil, fmt.Errorf("--ranks %q: %q is not a rank count of 1 or more", s, f)
		}
		if len(out) > 0 && n <= out[len(out)-1] {
			return nil, fmt.Errorf("--ranks %q: rank counts must increase", s)
		}
		out = append(out, n)
	}
	if out[0] != 1 {
		return nil, fmt.Errorf("--ranks %q: must start at 1, the baseline of speedup", s)
	}
	return out, nil
}

// powersOfTwo is 1, 2, 4, ... up to max (and max itself when it is not a
// power of two).
func powersOfTwo(max int) []int {
	var out []int
	for n := 1; n <= max; n *= 2 {
		out = append(out, n)
	}
	if out[len(out)-1] != max {
		out = append(out, max)
	}
	return out
}

// parseChoice reads a comma list whose items must be among allowed.
func parseChoice(flag, s string, allowed ...string) ([]string, error) {
	var out []string
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		ok := false
		for _, a := range allowed {
			ok = ok || f == a
		}
		if !ok {
			return nil, fmt.Errorf("--%s %q: %q is not one of %s", flag, s, f, strings.Join(allowed, ", "))
		}
		out = append(out, f)
	}
	return out, nil
}

func (cfg *config) validate() error {
	switch {
	case len(cfg.Workloads) == 0:
		return errors.New("no workload: give --workload NAME=PROGRAM... or -- PROGRAM ARGS (see --help)")
	case cfg.Repeat < 1:
		return fmt.Errorf("--repeat %d: must be 1 or more", cfg.Repeat)
	case cfg.StrongFactor < 1:
		return fmt.Errorf("--strong-factor %d: must be 1 or more", cfg.StrongFactor)
	case cfg.Out == "":
		return errors.New("--out DIR is required")
	}
	seen := map[string]bool{}
	for _, w := range cfg.Workloads {
		if seen[w.Name] {
			return fmt.Errorf("workload name %q used twice", w.Name)
		}
		seen[w.Name] = true
		for _, s := range cfg.Scalings {
			if s == "weak" && !w.sizeDependent() {
				return fmt.Errorf("workload %s: weak scaling needs a {n}, {n*K} or {rep:ARG} argument to grow the problem", w.Name)
			}
		}
	}
	return nil
}
