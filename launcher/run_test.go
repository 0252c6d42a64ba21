//go:build linux

package launcher_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/gorun-dev/gorun/launcher"
)

func TestEnvironmentContract(t *testing.T) {
	cfg, out, errb := helperConfig(3, "env")
	t.Setenv("EXTRA", "from-parent")
	t.Setenv("GORUN_RANK", "7") // a stale contract must not leak into ranks
	t.Setenv("GORUN_TOKEN", "stale")
	cfg.Env = append(cfg.Env, "EXTRA")
	var seen launcher.Job
	cfg.Observers = []launcher.Observer{observerFunc(func(ctx context.Context, j *launcher.Job) error {
		seen = *j
		if j.Conn == nil || !j.Conn.IsConnected() {
			t.Errorf("observer got no live bus connection")
		}
		<-ctx.Done() // the job's end
		return nil
	})}
	if err := launcher.Run(context.Background(), cfg); err != nil {
		t.Fatalf("Run: %v; stderr:\n%s", err, errb)
	}
	if seen.Size != 3 || len(seen.PIDs) != 3 || seen.Mode != launcher.ModeProcesses {
		t.Errorf("observer saw %+v, want 3 ranks with 3 PIDs in process mode", seen)
	}
	re := regexp.MustCompile(`^\[rank (\d)\] rank=(\d) size=3 mode=processes job=([0-9a-f]{12}) url=(nats://127\.0\.0\.1:\d+) fd= token=rank-(\d):([0-9a-f]{32})$`)
	var ranks []string
	jobs, tokens := map[string]bool{}, map[string]bool{}
	for _, line := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		if strings.Contains(line, "extra=") {
			if !strings.HasSuffix(line, "extra=from-parent envtoken=") {
				t.Errorf("-x EXTRA not passed: %q", line)
			}
			continue
		}
		m := re.FindStringSubmatch(line)
		if m == nil {
			t.Errorf("line %q does not match %v", line, re)
			continue
		}
		if m[1] != m[2] || m[1] != m[5] {
			t.Errorf("line tagged rank %s says rank %s with the credentials of rank %s", m[1], m[2], m[5])
		}
		ranks = append(ranks, m[2])
		jobs[m[3]], tokens[m[6]] = true, true
	}
	sort.Strings(ranks)
	if got := strings.Join(ranks, ","); got != "0,1,2" {
		t.Errorf("ranks %s, want 0,1,2", got)
	}
	if len(jobs) != 1 || len(tokens) != 3 || !jobs[seen.ID] {
		t.Errorf("ranks disagree on job %v, share a password %v, or disagree with the observer's job %q", jobs, tokens, seen.ID)
	}
}

func TestGoroutineMode(t *testing.T) {
	cfg, out, errb := helperConfig(4, "env")
	cfg.Mode = launcher.ModeGoroutines
	if err := launcher.Run(context.Background(), cfg); err != nil {
		t.Fatalf("Run: %v; stderr:\n%s", err, errb)
	}
	// One process, untagged, with no rank of its own; with no Observer to
	// listen to its reports it gets no bus (TestGoroutineModeStartsNoBus).
	want := regexp.MustCompile(`^rank= size=4 mode=goroutines job=\w+ url= fd= token=\n`)
	if got := out.String(); !want.MatchString(got) {
		t.Errorf("goroutine mode environment: got %q, want %v", got, want)
	}

	// The one process has no GORUN_RANK, which the helper reads as 0.
	cfg, _, _ = helperConfig(4, "exit", "0", "5")
	cfg.Mode = launcher.ModeGoroutines
	err := launcher.Run(context.Background(), cfg)
	var ee *launcher.ExitError
	if !errors.As(err, &ee) || ee.Rank != -1 || ee.Code != 5 || err.Error() != "the job's process exited with code 5" {
		t.Errorf("Run = %v, want the job's process exited with code 5 (rank -1)", err)
	}
}

// A program that never touches the bus runs and exits normally.
func TestPlainProgram(t *testing.T) {
	out, errb := new(syncBuffer), new(syncBuffer)
	cfg := launcher.Config{Program: "sh", Args: []string{"-c", `echo "$GORUN_RANK of $GORUN_SIZE"`},
		Size: 3, Oversubscribe: true, Stdout: out, Stderr: errb}
	if err := launcher.Run(context.Background(), cfg); err != nil {
		t.Fatalf("Run: %v; stderr:\n%s", err, errb)
	}
	want := []string{"[rank 0] 0 of 3", "[rank 1] 1 of 3", "[rank 2] 2 of 3"}
	if got := sortedLines(out.String()); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("stdout %q, want %q", got, want)
	}
}

func TestOutput(t *testing.T) {
	tests := []struct {
		name    string
		n       int
		tag     launcher.TagMode
		stdin   string
		args    []string
		wantOut []string // sorted lines
		wantErr []string
	}{
		{name: "tagged by default", n: 2, args: []string{"print", "o", "e"},
			wantOut: []string{"[rank 0] o", "[rank 1] o"}, wantErr: []string{"[rank 0] e", "[rank 1] e"}},
		{name: "no tag", n: 2, tag: launcher.TagOff, args: []string{"print", "o", "e"},
			wantOut: []string{"o", "o"}, wantErr: []string{"e", "e"}},
		{name: "one rank untagged", n: 1, args: []string{"print", "o", "e"},
			wantOut: []string{"o"}, wantErr: []string{"e"}},
		{name: "one rank tagged", n: 1, tag: launcher.TagOn, args: []string{"print", "o", "e"},
			wantOut: []string{"[rank 0] o"}, wantErr: []string{"[rank 0] e"}},
		{name: "stdin to rank 0", n: 2, stdin: "hello\n", args: []string{"stdin"},
			wantOut: []string{`[rank 0] got "hello\n"`, `[rank 1] got ""`}},
		{name: "final line flushed", n: 2, args: []string{"long", "5"},
			wantOut: []string{"[rank 0] yyyyy", "[rank 1] yyyyy"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cfg, out, errb := helperConfig(tt.n, tt.args...)
			cfg.Tag = tt.tag
			if tt.stdin != "" {
				cfg.Stdin = strings.NewReader(tt.stdin)
			}
			if err := launcher.Run(context.Background(), cfg); err != nil {
				t.Fatalf("Run: %v; stderr:\n%s", err, errb)
			}
			if got := sortedLines(out.String()); fmt.Sprint(got) != fmt.Sprint(tt.wantOut) {
				t.Errorf("stdout %q, want %q", got, tt.wantOut)
			}
			if got := sortedLines(errb.String()); fmt.Sprint(got) != fmt.Sprint(tt.wantErr) {
				t.Errorf("stderr %q, want %q", got, tt.wantErr)
			}
		})
	}
}

func sortedLines(s string) []string {
	if s == "" {
		return nil
	}
	lines := strings.Split(strings.TrimSuffix(s, "\n"), "\n")
	sort.Strings(lines)
	return lines
}

func TestNotFound(t *testing.T) {
	plain := filepath.Join(t.TempDir(), "plain.txt")
	if err := os.WriteFile(plain, []byte("not a program\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		program string
		code    int
	}{
		{"no-such-program-here", launcher.ExitNotFound},
		{"./no/such/path", launcher.ExitNotFound},
		{plain, launcher.ExitNotExecutable},
	}
	for _, tt := range tests {
		t.Run(tt.program, func(t *testing.T) {
			err := launcher.Run(context.Background(), launcher.Config{Program: tt.program, Size: 1})
			var se *launcher.StartError
			if !errors.As(err, &se) || launcher.ExitCode(err) != tt.code {
				t.Errorf("Run = %v (exit %d), want a StartError with exit %d", err, launcher.ExitCode(err), tt.code)
			}
		})
	}
}

// A goroutine-mode job starts no bus unless an Observer may listen: its
// one process never talks to another.
func TestGoroutineModeStartsNoBus(t *testing.T) {
	for _, observed := range []bool{false, true} {
		t.Run(fmt.Sprintf("observed=%v", observed), func(t *testing.T) {
			cfg, out, errb := helperConfig(2, "env")
			cfg.Mode = launcher.ModeGoroutines
			if observed {
				cfg.Observers = []launcher.Observer{observerFunc(func(ctx context.Context, j *launcher.Job) error {
					if j.Conn != nil {
						t.Errorf("the observer of a goroutine job got a bus connection")
					}
					return nil
				})}
			}
			if err := launcher.Run(context.Background(), cfg); err != nil {
				t.Fatalf("Run: %v; stderr:\n%s", err, errb)
			}
			if strings.Contains(out.String(), "url=nats://") {
				t.Errorf("observed %v: the process was given a bus; stdout:\n%s", observed, out)
			}
		})
	}
}

// A goroutine job's progress and peak memory reach the observers through
// the report pipe, with no bus.
func TestGoroutineModeReports(t *testing.T) {
	cfg, _, errb := helperConfig(3, "progress")
	cfg.Mode = launcher.ModeGoroutines
	bar := new(syncBuffer)
	var peak int64
	var reported bool
	cfg.Observers = []launcher.Observer{
		&launcher.Progress{Stderr: bar},
		observerFunc(func(ctx context.Context, j *launcher.Job) error {
			<-ctx.Done() // the job's end: the process's exit report is in
			peak, reported = j.ReportedPeakRSS(-1)
			return nil
		}),
	}
	if err := launcher.Run(context.Background(), cfg); err != nil {
		t.Fatalf("Run: %v; stderr:\n%s", err, errb)
	}
	if got, want := bar.String(), "gorun: progress: 100% (300/300)"; !strings.Contains(got, want) {
		t.Errorf("progress output %q lacks %q", got, want)
	}
	if !reported || peak <= 0 {
		t.Errorf("ReportedPeakRSS(-1) = %d, %v; want the process's peak", peak, reported)
	}
}

// Lines written through comm's Comm.Stdout and Stderr read the same in
// both modes: tagged by rank, whole, unless --no-tag.
func TestRankWriterTags(t *testing.T) {
	for _, tt := range []struct {
		mode launcher.Mode
		tag  launcher.TagMode
	}{{launcher.ModeGoroutines, launcher.TagAuto}, {launcher.ModeProcesses, launcher.TagAuto}, {launcher.ModeGoroutines, launcher.TagOff}} {
		t.Run(fmt.Sprintf("%s tag=%d", tt.mode, tt.tag), func(t *testing.T) {
			t.Parallel()
			cfg, out, errb := helperConfig(3, "tagged")
			cfg.Mode, cfg.Tag = tt.mode, tt.tag
			if err := launcher.Run(context.Background(), cfg); err != nil {
				t.Fatalf("Run: %v; stderr:\n%s", err, errb)
			}
			for r := range 3 {
				prefix := fmt.Sprintf("[rank %d] ", r)
				if tt.tag == launcher.TagOff {
					prefix = ""
				}
				for _, want := range []string{prefix + fmt.Sprintf("hello from %d\n", r)} {
					if !strings.Contains("\n"+out.String(), "\n"+want) {
						t.Errorf("stdout lacks %q:\n%s", want, out)
					}
				}
				if want := prefix + fmt.Sprintf("last words of %d\n", r); !strings.Contains("\n"+errb.String(), "\n"+want) {
					t.Errorf("stderr lacks %q:\n%s", want, errb)
				}
			}
		})
	}
}

// The bus secret (the rank's own credentials, "rank-R:" and 32 hex
// digits) goes to each rank process once, on request, and to no other
// process: not to a rank's child (which a descriptor inherited at exec
// would have given it), and not twice.
func TestTokenOnlyToRanks(t *testing.T) {
	cfg, out, errb := helperConfig(2, "tokenchild")
	if err := launcher.Run(context.Background(), cfg); err != nil {
		t.Fatalf("Run: %v; stderr:\n%s", err, errb)
	}
	for r := range 2 {
		for _, want := range []string{
			fmt.Sprintf("[rank %d] child got 0 bytes (jobenv: GORUN_TOKEN_SOCK=", r),
			fmt.Sprintf("[rank %d] rank got %d bytes\n", r, len("rank-0:")+32),
			fmt.Sprintf("[rank %d] rank again got 0 bytes\n", r),
		} {
			if !strings.Contains(out.String(), want) {
				t.Errorf("stdout lacks %q:\n%s", want, out)
			}
		}
	}
	if strings.Contains(out.String(), "fd 3 is a pipe") {
		t.Errorf("a rank holds a token pipe:\n%s", out)
	}
}
