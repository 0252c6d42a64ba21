package main

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gorun-dev/gorun/internal/buildtest"
)

// As a rank (GORUN_MAIN_TEST_HELPER=1), the test binary exits with
// os.Args[1+rank] after printing its rank.
func TestMain(m *testing.M) {
	if os.Getenv("GORUN_MAIN_TEST_HELPER") == "1" {
		rank, _ := strconv.Atoi(os.Getenv("GORUN_RANK"))
		fmt.Printf("rank %d of %s\n", rank, os.Getenv("GORUN_SIZE"))
		code := 0
		if 1+rank < len(os.Args) {
			code, _ = strconv.Atoi(os.Args[1+rank])
		}
		if code < 0 {
			time.Sleep(time.Hour)
		}
		os.Exit(code)
	}
	if os.Getenv("GORUN_MAIN_TEST_AS_GORUN") == "1" { // the test binary as gorun itself
		os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
	}
	os.Exit(buildtest.Main(m))
}

func TestGorun(t *testing.T) {
	self := os.Args[0]
	helper := []string{"-x", "GORUN_MAIN_TEST_HELPER=1", "-x", "GORACE=atexit_sleep_ms=0", "--oversubscribe"}
	tests := []struct {
		name      string
		args      []string
		code      int
		stdout    string // every line of it, sorted
		stdoutHas string // substring
		stderr    string // substring
		noStder   bool
	}{
		{name: "help", args: []string{"--help"}, code: 0, stdoutHas: "124      the job ran past --timeout", noStder: true},
		{name: "help -h", args: []string{"-h"}, code: 0, stdoutHas: "-n, --np int", noStder: true},
		{name: "no program", args: []string{"-n", "2"}, code: 2, stderr: "gorun: no program to run"},
		{name: "bad flag", args: []string{"--bogus", "true"}, code: 2, stderr: "gorun: unknown flag: --bogus (see gorun --help)\n"},
		{name: "bad number", args: []string{"-n", "x", "true"}, code: 2, stderr: "gorun: invalid argument \"x\" for \"-n, --np\" flag: invalid syntax (see gorun --help)\n"},
		{name: "zero ranks", args: []string{"-n", "0", "true"}, code: 2, stderr: "gorun: -n 0: the number of ranks must be at least 1\n"},
		{name: "zero monitor interval", args: []string{"--monitor", "m", "--monitor-interval", "0", "true"}, code: 2,
			stderr: "gorun: --monitor-interval 0s: must be positive\n"},
		{name: "bad mode", args: []string{"--mode", "threads", "true"}, code: 2, stderr: `gorun: --mode "threads"`},
		{name: "not found", args: []string{"-n", "1", "no-such-program-here"}, code: 127,
			stderr: "gorun: cannot run no-such-program-here"},
		{name: "all succeed", args: append(helper, "-n", "3", self, "0", "0", "0"), code: 0,
			stdout: "[rank 0] rank 0 of 3\n[rank 1] rank 1 of 3\n[rank 2] rank 2 of 3\n", noStder: true},
		{name: "flags after the program are its own", args: append(helper, "-n", "1", self, "-n"), code: 0,
			stdout: "rank 0 of 1\n", noStder: true},
		{name: "no tag", args: append(helper, "-n", "2", "--no-tag", self), code: 0,
			stdout: "rank 0 of 2\nrank 1 of 2\n"},
		{name: "rank fails", args: append(helper, "-n", "3", self, "-1", "-1", "3"), code: 3,
			stderr: "gorun: rank 2 exited with code 3\n"},
		{name: "quiet failure", args: append(helper, "-n", "2", "-q", self, "0", "5"), code: 5, noStder: true},
		{name: "timeout", args: append(helper, "-n", "2", "--timeout", "200ms", self, "-1", "-1"), code: 124,
			stderr: "gorun: job timed out after 200ms\n"},
		{name: "goroutines", args: append(helper, "-n", "4", "--mode", "goroutines", self), code: 0,
			stdout: "rank 0 of 4\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(tt.args, strings.NewReader(""), &stdout, &stderr)
			if code != tt.code {
				t.Errorf("exit %d, want %d; stderr:\n%s", code, tt.code, &stderr)
			}
			if tt.stdout != "" && sorted(stdout.String()) != tt.stdout {
				t.Errorf("stdout %q, want %q", stdout.String(), tt.stdout)
			}
			if !strings.Contains(stdout.String(), tt.stdoutHas) {
				t.Errorf("stdout %q, want it to contain %q", &stdout, tt.stdoutHas)
			}
			if !strings.Contains(stderr.String(), tt.stderr) {
				t.Errorf("stderr %q, want it to contain %q", &stderr, tt.stderr)
			}
			if tt.noStder && stderr.Len() > 0 {
				t.Errorf("stderr %q, want nothing", &stderr)
			}
			if lines := strings.Count(stderr.String(), "gorun: "); tt.code != 0 && tt.code != 2 && !tt.noStder && lines != 1 {
				t.Errorf("%d gorun lines on stderr, want one:\n%s", lines, &stderr)
			}
		})
	}
}

func sorted(s string) string {
	lines := strings.SplitAfter(s, "\n")
	for i := 1; i < len(lines); i++ {
		for j := i; j > 0 && lines[j] < lines[j-1]; j-- {
			lines[j], lines[j-1] = lines[j-1], lines[j]
		}
	}
	return strings.Join(lines, "")
}

// Ctrl-C and SIGTERM sent to gorun end the job with 128+signal and one line.
func TestSignalToGorun(t *testing.T) {
	tests := []struct {
		sig  syscall.Signal
		code int
		msg  string
	}{
		{syscall.SIGINT, 130, "gorun: interrupted by signal 2 (interrupt)\n"},
		{syscall.SIGTERM, 143, "gorun: interrupted by signal 15 (terminated)\n"},
	}
	for _, tt := range tests {
		t.Run(tt.sig.String(), func(t *testing.T) {
			cmd := exec.Command(os.Args[0], "-n", "2", "-x", "GORUN_MAIN_TEST_HELPER=1", os.Args[0], "-1", "-1")
			cmd.Env = append(os.Environ(), "GORUN_MAIN_TEST_AS_GORUN=1", "GORACE=atexit_sleep_ms=0")
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			stdout, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			sc := bufio.NewScanner(stdout)
			for i := 0; i < 2 && sc.Scan(); i++ { // both ranks are up
			}
			t0 := time.Now()
			cmd.Process.Signal(tt.sig)
			err = cmd.Wait()
			wall := time.Since(t0)
			if code := cmd.ProcessState.ExitCode(); code != tt.code {
				t.Errorf("exit %d (%v), want %d", code, err, tt.code)
			}
			if stderr.String() != tt.msg {
				t.Errorf("stderr %q, want %q", &stderr, tt.msg)
			}
			// A hang is what this catches (the launcher's tests time the
			// ending): the bound leaves a loaded machine room.
			if wall > 10*time.Second {
				t.Errorf("gorun took %v to end after %v", wall, tt.sig)
			}
		})
	}
}
