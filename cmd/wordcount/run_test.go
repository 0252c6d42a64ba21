package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/gorun-dev/gorun/comm"
	"github.com/gorun-dev/gorun/kernels/wordcount"
)

const (
	testText   = "../../testdata/text"
	sotuDir    = "/work/shared/data/text/sotu"
	sotuGolden = "/work/shared/data/ref/wordcount_sotu.tsv.gz"
)

// TestMain lets the test binary stand in for the wordcount binary (the
// os/exec helper-process pattern): with WORDCOUNT_BE_MAIN=1 it runs main.
func TestMain(m *testing.M) {
	if os.Getenv("WORDCOUNT_BE_MAIN") == "1" {
		os.Args = append([]string{"wordcount"}, strings.Fields(os.Getenv("WORDCOUNT_ARGS"))...)
		main()
	}
	os.Exit(m.Run())
}

func textFiles(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(testText, "*.txt"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no testdata: %v", err)
	}
	return files
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// lockedBuffer is rank 0's stdout in a goroutine world.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

// runWorld runs wordcount on n goroutine ranks and returns its stdout.
func runWorld(t *testing.T, n int, cfg config) ([]byte, error) {
	t.Helper()
	var out lockedBuffer
	cfg.Stdout = &out
	if cfg.ChunkBytes == 0 {
		cfg.ChunkBytes = 4 << 20
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	err := comm.Run(ctx, n, func(ctx context.Context, c *comm.Comm) error { return run(ctx, c, cfg) })
	return out.b.Bytes(), err
}

func TestRunGolden(t *testing.T) {
	want := readFile(t, filepath.Join(testText, "golden.tsv"))
	for _, n := range []int{1, 2, 3, 4} {
		for _, chunk := range []int64{4 << 20, 5000} {
			t.Run(fmt.Sprintf("ranks=%d/chunk=%d", n, chunk), func(t *testing.T) {
				got, err := runWorld(t, n, config{Paths: textFiles(t), ChunkBytes: chunk})
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(got, want) {
					t.Errorf("output (%d bytes) differs from golden.tsv (%d bytes)", len(got), len(want))
				}
			})
		}
	}
}

func TestRunTop(t *testing.T) {
	golden := readFile(t, filepath.Join(testText, "golden.tsv"))
	lines := strings.SplitAfter(string(golden), "\n")
	for _, k := range []int{1, 10, 1000} {
		for _, n := range []int{1, 3} {
			t.Run(fmt.Sprintf("top=%d/ranks=%d", k, n), func(t *testing.T) {
				got, err := runWorld(t, n, config{Paths: textFiles(t), Top: k})
				if err != nil {
					t.Fatal(err)
				}
				if want := strings.Join(lines[:k], ""); string(got) != want {
					t.Errorf("--top %d printed %d bytes, want the first %d golden lines (%d bytes)", k, len(got), k, len(want))
				}
			})
		}
	}
}

// TestRunSOTU checks the whole corpus against the reference answer.
func TestRunSOTU(t *testing.T) {
	if _, err := os.Stat(sotuDir); err != nil {
		t.Skipf("full SOTU corpus not on this machine (%v); TestRunGolden covers testdata/text", err)
	}
	if testing.Short() {
		t.Skip("-short: skipping the 10.8 MB corpus")
	}
	z, err := os.Open(sotuGolden)
	if err != nil {
		t.Fatal(err)
	}
	defer z.Close()
	zr, err := gzip.NewReader(z)
	if err != nil {
		t.Fatal(err)
	}
	want, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []int{1, 2, 3, 4} {
		t.Run(fmt.Sprint("ranks=", n), func(t *testing.T) {
			got, err := runWorld(t, n, config{Paths: []string{sotuDir}, ChunkBytes: 1 << 20})
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("output (%d bytes) differs from %s (%d bytes)", len(got), sotuGolden, len(want))
			}
		})
	}
}

func TestRunOutFile(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "counts.tsv")
	if err := os.WriteFile(out, []byte("old\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	stdout, err := runWorld(t, 2, config{Paths: textFiles(t), Out: out})
	if err != nil {
		t.Fatal(err)
	}
	if len(stdout) != 0 {
		t.Errorf("wrote %d bytes to stdout with --out", len(stdout))
	}
	if got, want := readFile(t, out), readFile(t, filepath.Join(testText, "golden.tsv")); !bytes.Equal(got, want) {
		t.Errorf("%s differs from golden.tsv", out)
	}
	assertOnly(t, dir, "counts.tsv")
}

// assertOnly fails unless dir holds exactly the named entries.
func assertOnly(t *testing.T, dir string, names ...string) {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range ents {
		got = append(got, e.Name())
	}
	if strings.Join(got, ",") != strings.Join(names, ",") {
		t.Errorf("%s holds %v, want %v", dir, got, names)
	}
}

func TestRunBadInput(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.txt")
	// 40 lines of good text, then an invalid byte on line 41.
	text := strings.Repeat("good words here\n", 40) + "bad \xff byte\nmore\n"
	if err := os.WriteFile(bad, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	bad2 := filepath.Join(dir, "bad2.txt")
	if err := os.WriteFile(bad2, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	good := textFiles(t)[0]
	// A directory whose last file, stat'ed by the last rank, is a dangling link.
	linked := filepath.Join(dir, "linked")
	for name, target := range map[string]string{"a.txt": good, "b.txt": good, "z.txt": filepath.Join(dir, "gone")} {
		if err := os.MkdirAll(linked, 0o755); err != nil {
			t.Fatal(err)
		}
		abs, err := filepath.Abs(target)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(abs, filepath.Join(linked, name)); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name  string
		paths []string
		want  string
	}{
		{"missing file", []string{good, filepath.Join(dir, "missing.txt")}, "missing.txt"},
		{"invalid UTF-8", []string{good, bad}, bad + ":41: invalid UTF-8 at byte offset 644"},
		{"invalid UTF-8 first", []string{bad, good}, bad + ":41:"},
		{"dangling link", []string{linked}, filepath.Join(linked, "z.txt")},
		// Whichever rank counts which, the first bad file in the input is reported.
		{"two bad files", append(append([]string{bad}, textFiles(t)...), bad2), bad + ":41:"},
	}
	t.Run("output directory missing", func(t *testing.T) {
		out := filepath.Join(dir, "nodir", "out.tsv")
		_, err := runWorld(t, 2, config{Paths: []string{good}, Out: out})
		if ee, ok := errors.AsType[*comm.ExitError](err); !ok || ee.Code != 2 || !strings.Contains(err.Error(), out) {
			t.Errorf("err = %v, want an exit-2 error naming %s", err, out)
		}
	})
	for _, tt := range tests {
		for _, n := range []int{1, 2, 3} {
			t.Run(fmt.Sprintf("%s/ranks=%d", tt.name, n), func(t *testing.T) {
				out := filepath.Join(dir, fmt.Sprintf("out%d.tsv", n))
				_, err := runWorld(t, n, config{Paths: tt.paths, Out: out, ChunkBytes: 100})
				ee, ok := errors.AsType[*comm.ExitError](err)
				if !ok || ee.Code != 2 {
					t.Fatalf("err = %v, want an exit-2 *comm.ExitError", err)
				}
				if !strings.Contains(err.Error(), tt.want) {
					t.Errorf("error %q does not contain %q", err, tt.want)
				}
				if _, err := os.Stat(out); !os.IsNotExist(err) {
					t.Errorf("output file exists after bad input (stat: %v)", err)
				}
			})
		}
	}
	assertOnly(t, dir, "bad.txt", "bad2.txt", "linked")
}

// An --out that is an input, or inside an input directory, is refused
// with exit status 2 before any work, and the input is left as it was.
func TestRunOutputIsInput(t *testing.T) {
	dir := t.TempDir()
	f := filepath.Join(dir, "f.txt")
	os.WriteFile(f, []byte("some words\n"), 0o644)
	for _, tt := range []struct {
		name, out string
		paths     []string
		want      string
	}{
		{"the input file", f, []string{f}, "is the input " + f},
		{"inside the input directory", filepath.Join(dir, "counts.tsv"), []string{dir}, "inside the input directory " + dir},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := runWorld(t, 2, config{Paths: tt.paths, Out: tt.out, ChunkBytes: 100})
			if ee, ok := errors.AsType[*comm.ExitError](err); !ok || ee.Code != 2 || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want exit status 2 with %q", err, tt.want)
			}
			if got := readFile(t, f); string(got) != "some words\n" {
				t.Fatalf("the input became %q", got)
			}
			assertOnly(t, dir, "f.txt")
		})
	}
}

// TestMainExitCodes runs the real main (through the test binary) for its
// exit status and streams.
func TestMainExitCodes(t *testing.T) {
	golden := readFile(t, filepath.Join(testText, "golden.tsv"))
	tests := []struct {
		name   string
		args   string
		size   string
		code   int
		stdout []byte
		stderr string
	}{
		{"ok alone", "--top 3 " + strings.Join(textFiles(t), " "), "1", 0, firstLines(golden, 3), ""},
		{"ok two ranks", strings.Join(textFiles(t), " "), "2", 0, golden, ""},
		{"missing file", "nope.txt", "2", 2, nil, "nope.txt"},
		{"bad flag", "--top x a.txt", "1", 2, nil, "invalid argument"},
		{"no paths", "--top 3", "1", 2, nil, "no input PATH"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cmd := exec.Command(os.Args[0], "-test.run=^$")
			cmd.Env = append(os.Environ(), "WORDCOUNT_BE_MAIN=1", "WORDCOUNT_ARGS="+tt.args, "GORUN_SIZE="+tt.size, "GORUN_MODE=goroutines")
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			err := cmd.Run()
			code := 0
			if ee, ok := errors.AsType[*exec.ExitError](err); ok {
				code = ee.ExitCode()
			} else if err != nil {
				t.Fatal(err)
			}
			if code != tt.code {
				t.Errorf("exit %d, want %d (stderr %q)", code, tt.code, stderr.String())
			}
			if !bytes.Equal(stdout.Bytes(), tt.stdout) {
				t.Errorf("stdout %d bytes, want %d", stdout.Len(), len(tt.stdout))
			}
			if !strings.Contains(stderr.String(), tt.stderr) {
				t.Errorf("stderr %q does not contain %q", stderr.String(), tt.stderr)
			}
		})
	}
}

func firstLines(b []byte, k int) []byte {
	lines := bytes.SplitAfter(b, []byte("\n"))
	return bytes.Join(lines[:k], nil)
}

func TestRunCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	cfg := config{Paths: textFiles(t), ChunkBytes: 1000, Stdout: io.Discard}
	err := comm.Run(ctx, 2, func(ctx context.Context, c *comm.Comm) error { return run(ctx, c, cfg) })
	if !errors.Is(err, context.Canceled) && !errors.Is(err, comm.ErrAborted) {
		t.Errorf("err = %v, want cancellation", err)
	}
	if _, ok := errors.AsType[*comm.ExitError](err); ok {
		t.Errorf("cancellation reported as bad input: %v", err)
	}
}

// A FIFO named as a path is read (by one rank) and counted with the
// files; a device is refused with exit status 2 naming it, never skipped.
func TestRunStreams(t *testing.T) {
	dir := t.TempDir()
	f := filepath.Join(dir, "f.txt")
	os.WriteFile(f, []byte("b a\n"), 0o644)
	for _, n := range []int{1, 2, 3} {
		t.Run(fmt.Sprintf("fifo/ranks=%d", n), func(t *testing.T) {
			fifo := filepath.Join(t.TempDir(), "pipe")
			mkfifo(t, fifo)
			wrote := make(chan error, 1)
			go func() {
				w, err := os.OpenFile(fifo, os.O_WRONLY, 0)
				if err == nil {
					_, err = io.WriteString(w, "a a c\n")
					w.Close()
				}
				wrote <- err
			}()
			t.Cleanup(func() { // unblocks the writer if nothing opened the FIFO
				if r, err := os.OpenFile(fifo, os.O_RDONLY|syscall.O_NONBLOCK, 0); err == nil {
					r.Close()
				}
			})
			got, err := runWorld(t, n, config{Paths: []string{fifo, f}, ChunkBytes: 100})
			if err != nil {
				t.Fatal(err)
			}
			if want := "a\t3\nb\t1\nc\t1\n"; string(got) != want {
				t.Errorf("got %q, want %q", got, want)
			}
			if err := <-wrote; err != nil {
				t.Fatal(err)
			}
		})
	}
	t.Run("dev-zero", func(t *testing.T) {
		_, err := runWorld(t, 2, config{Paths: []string{f, "/dev/zero"}, ChunkBytes: 100})
		if ee, ok := errors.AsType[*comm.ExitError](err); !ok || ee.Code != 2 || !strings.Contains(err.Error(), "/dev/zero") || !errors.Is(err, wordcount.ErrDevice) {
			t.Fatalf("err = %v, want exit status 2 naming /dev/zero as a device", err)
		}
	})
}
