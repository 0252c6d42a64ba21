//go:build linux

package main

import (
	"bytes"
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// mismatchRows are the trials of ranks that disagree on a collective: a
// different call, root, reduction op or element count. Every rank must
// get a *comm.MismatchError: never a result, never a hang.
func mismatchRows() []Row {
	var rows []Row
	for _, mode := range []string{"processes", "goroutines"} {
		for _, kind := range []string{"collective", "root", "op", "count"} {
			k := mismatchKind{mode: mode, kind: kind}
			rows = append(rows, Row{Name: fmt.Sprintf("mismatched %s (%s)", k.what(), mode), Trial: k.trial})
		}
	}
	return rows
}

type mismatchKind struct{ mode, kind string }

func (k mismatchKind) what() string {
	return map[string]string{"collective": "collectives", "root": "roots", "op": "reduction ops", "count": "element counts"}[k.kind]
}

// reportLine is what rankprog mismatch prints per rank.
var reportLine = regexp.MustCompile(`(?m)^(?:\[rank \d+\] )?(mismatch|error|result) rank (\d+) in ([0-9.]+)s: (.*)$`)

// mismatchHang is how long a rank's call may take before the row counts
// it as hung: a mismatch is reported within about a second, and a rank
// blocked longer stays until its peers give up on it (rankprog lingers
// 3 s).
const mismatchHang = 2 * time.Second

func (k mismatchKind) trial(ctx context.Context, e *Env, dir string) Outcome {
	n := 2 + e.Rand.IntN(4)
	seed := e.Rand.Uint64()
	cmd := marked(e.Gorun, gorunArgs(e, k.mode, n, 8*time.Second, "mismatch", "--kind", k.kind,
		"--seed", strconv.FormatUint(seed, 10), "--dir", dir), dir)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil && cmd.ProcessState == nil {
		return Outcome{Fail: err.Error()}
	}
	var fails []string
	if f := leftovers(dir, 2*time.Second); f != "" {
		fails = append(fails, f)
	}
	counts := map[string]int{}
	if code := exitCode(cmd); code == 124 {
		counts["hang"]++
		fails = append(fails, fmt.Sprintf("hang: gorun -n %d ended by --timeout", n))
	} else if code != 0 {
		fails = append(fails, fmt.Sprintf("gorun exited %d: %s", code, firstLines(stderr.String(), 2)))
	}
	got := map[int]bool{}
	for _, m := range reportLine.FindAllStringSubmatch(stdout.String(), -1) {
		r, _ := strconv.Atoi(m[2])
		took, _ := strconv.ParseFloat(m[3], 64)
		got[r] = true
		if d := time.Duration(took * float64(time.Second)); d >= mismatchHang {
			counts["rank blocked"]++
			fails = append(fails, fmt.Sprintf("n=%d rank %d blocked %v: %s", n, r, d.Round(time.Millisecond), m[4]))
			continue
		}
		switch m[1] {
		case "result":
			counts["rank with a result"]++
			fails = append(fails, fmt.Sprintf("n=%d rank %d got a result: %s", n, r, m[4]))
		case "error":
			counts["rank with another error"]++
			fails = append(fails, fmt.Sprintf("n=%d rank %d: %s", n, r, m[4]))
		}
	}
	for r := range n {
		if !got[r] {
			fails = append(fails, fmt.Sprintf("n=%d rank %d reported nothing", n, r))
		}
	}
	return Outcome{Fail: strings.Join(fails, "; "), Counts: counts}
}
