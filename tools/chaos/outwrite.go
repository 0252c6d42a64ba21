//go:build linux

package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// outputRows are the trials of "kill during output writes": the output is
// the old file or the whole new one, and its directory holds nothing else.
func outputRows() []Row {
	var rows []Row
	for _, k := range []writeKill{
		{name: "wordcount", midWrite: false},
		{name: "wordcount", midWrite: true},
		{name: "gorun -n 2 wordcount", gorun: []string{"-n", "2", "-q", "--oversubscribe"}, midWrite: true},
		{name: "gorun -n 2 --mode goroutines wordcount", gorun: []string{"-n", "2", "-q", "--mode", "goroutines"}, midWrite: true},
	} {
		when := "at a random moment"
		if k.midWrite {
			when = "while writing --out"
		}
		rows = append(rows, Row{Name: "SIGKILL " + k.name + " " + when, Trial: k.trial})
	}
	return rows
}

// writeKill kills wordcount --out (alone, or gorun running it) with
// SIGKILL: at a random moment of its usual run time, or as soon as a
// process of it holds a file open in the output's directory.
type writeKill struct {
	name     string
	gorun    []string // gorun's flags; nil: the program alone
	midWrite bool
}

// fixture is the input every output trial counts and its whole output,
// made once per run.
var fixture struct {
	once          sync.Once
	input, golden string
	runtime       time.Duration // one uncut run of wordcount alone
	err           error
}

// makeFixture writes 300,000 distinct words (about 3 MB of output) and
// runs wordcount on them once, uncut.
func makeFixture(e *Env) error {
	fixture.once.Do(func() {
		fixture.input = filepath.Join(e.Data, "words.txt")
		fixture.golden = filepath.Join(e.Data, "golden.tsv")
		var b bytes.Buffer
		r := rand.New(rand.NewPCG(1, 2))
		for i := range 300_000 {
			b.WriteString("w" + strconv.FormatUint(r.Uint64()>>20, 36) + strconv.Itoa(i))
			b.WriteByte(" \n"[i%2])
		}
		if fixture.err = os.WriteFile(fixture.input, b.Bytes(), 0o644); fixture.err != nil {
			return
		}
		start := time.Now()
		out, err := exec.Command(filepath.Join(e.Bin, "wordcount"), "--out", fixture.golden, fixture.input).CombinedOutput()
		fixture.runtime = time.Since(start)
		if err != nil {
			fixture.err = fmt.Errorf("wordcount on the fixture: %v: %s", err, out)
		}
	})
	return fixture.err
}

func (k writeKill) trial(ctx context.Context, e *Env, dir string) Outcome {
	if err := makeFixture(e); err != nil {
		return Outcome{Fail: err.Error()}
	}
	out := filepath.Join(dir, "out.tsv")
	const old = "old output\n"
	hadOld := e.Rand.IntN(2) == 0
	if hadOld {
		if err := os.WriteFile(out, []byte(old), 0o644); err != nil {
			return Outcome{Fail: err.Error()}
		}
	}
	args := []string{filepath.Join(e.Bin, "wordcount"), "--out", out, fixture.input}
	if k.gorun != nil {
		args = append(append([]string{filepath.Join(e.Bin, "gorun")}, k.gorun...), args...)
	}
	cmd := exec.CommandContext(ctx, args[0], args[1:]...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		return Outcome{Fail: err.Error()}
	}
	counts := map[string]int{}
	pid := cmd.Process.Pid
	if k.midWrite {
		// From the moment the output is open, a random moment of the write.
		if waitWriting(pid, dir, time.Now().Add(20*fixture.runtime+10*time.Second)) {
			time.Sleep(time.Duration(e.Rand.Int64N(int64(10 * time.Millisecond))))
			if holdsFileIn(descendants(pid), dir) {
				counts["killed mid-write"]++
			}
		}
	} else {
		time.Sleep(time.Duration(e.Rand.Int64N(int64(fixture.runtime + fixture.runtime/5))))
	}
	tree := descendants(pid)
	syscall.Kill(pid, syscall.SIGKILL)
	cmd.Wait()
	if left := waitGone(tree, time.Now().Add(5*time.Second)); len(left) > 0 {
		for _, p := range left {
			syscall.Kill(p, syscall.SIGKILL)
		}
		return Outcome{Fail: fmt.Sprintf("processes %v outlived the SIGKILL of %d by 5s", left, pid), Counts: counts}
	}
	fail, finished := checkOutput(dir, out, hadOld, old)
	if finished {
		counts["finished first"]++
	}
	return Outcome{Fail: fail, Counts: counts}
}

// checkOutput says what is wrong with dir after a killed write of out:
// anything but out, or out neither old (when hadOld) nor the whole golden
// output. finished reports that out is the whole new output.
func checkOutput(dir, out string, hadOld bool, old string) (fail string, finished bool) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return err.Error(), false
	}
	var litter []string
	for _, ent := range ents {
		if ent.Name() != filepath.Base(out) {
			info, _ := ent.Info()
			size := int64(-1)
			if info != nil {
				size = info.Size()
			}
			litter = append(litter, fmt.Sprintf("%s (%d bytes)", ent.Name(), size))
		}
	}
	if len(litter) > 0 {
		return "litter: " + strings.Join(litter, ", "), false
	}
	got, err := os.ReadFile(out)
	switch {
	case os.IsNotExist(err) && !hadOld:
		return "", false
	case err != nil:
		return err.Error(), false
	case hadOld && string(got) == old:
		return "", false
	}
	want, err := os.ReadFile(fixture.golden)
	if err != nil {
		return err.Error(), false
	}
	if !bytes.Equal(got, want) {
		return fmt.Sprintf("partial output: %s holds %d bytes, neither the old file nor the whole %d-byte output", out, len(got), len(want)), false
	}
	return "", true
}

// waitWriting polls pid's process tree until one of its processes holds a
// file open in dir (the output being written: an O_TMPFILE shows as
// "dir/#N (deleted)", a named temporary file by its name), reporting
// true, or until deadline or until the output is complete.
func waitWriting(pid int, dir string, deadline time.Time) bool {
	for time.Now().Before(deadline) {
		if holdsFileIn(descendants(pid), dir) {
			return true
		}
		if !alive(pid) {
			return false
		}
		time.Sleep(200 * time.Microsecond)
	}
	return false
}

// holdsFileIn reports whether one of pids has a file in dir open.
func holdsFileIn(pids []int, dir string) bool {
	prefix := dir + string(filepath.Separator)
	for _, p := range pids {
		fds, _ := os.ReadDir(fmt.Sprintf("/proc/%d/fd", p))
		for _, fd := range fds {
			if target, err := os.Readlink(fmt.Sprintf("/proc/%d/fd/%s", p, fd.Name())); err == nil && strings.HasPrefix(target, prefix) {
				return true
			}
		}
	}
	return false
}

// descendants is pid and every process under it, from /proc's children
// lists.
func descendants(pid int) []int {
	all := []int{pid}
	for i := 0; i < len(all); i++ {
		tasks, _ := os.ReadDir(fmt.Sprintf("/proc/%d/task", all[i]))
		for _, t := range tasks {
			b, _ := os.ReadFile(fmt.Sprintf("/proc/%d/task/%s/children", all[i], t.Name()))
			for _, f := range strings.Fields(string(b)) {
				if c, err := strconv.Atoi(f); err == nil && !slices.Contains(all, c) {
					all = append(all, c)
				}
			}
		}
	}
	return all
}

// waitGone waits until every process of pids has exited (gone, or a
// zombie), returning those left at deadline.
func waitGone(pids []int, deadline time.Time) []int {
	for {
		var left []int
		for _, p := range pids {
			if alive(p) {
				left = append(left, p)
			}
		}
		if len(left) == 0 || time.Now().After(deadline) {
			return left
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// alive reports whether process p exists and is not a zombie.
func alive(p int) bool {
	f, err := os.Open(fmt.Sprintf("/proc/%d/stat", p))
	if err != nil {
		return false
	}
	defer f.Close()
	line, _ := bufio.NewReader(f).ReadString('\n')
	i := strings.LastIndexByte(line, ')')
	return i >= 0 && i+2 < len(line) && line[i+2] != 'Z'
}
