//go:build unix

package atomicfile_test

import (
	"bufio"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gorun-dev/gorun/internal/atomicfile"
)

// TestHelperProcess is a writer for the tests below, run as its own
// process: with ATOMICFILE_HELPER=block it writes 8 MiB to the path in
// ATOMICFILE_PATH, says "writing" on stdout and blocks until killed; with
// ATOMICFILE_HELPER=write it writes "hello\n" there and exits.
func TestHelperProcess(t *testing.T) {
	mode, path := os.Getenv("ATOMICFILE_HELPER"), os.Getenv("ATOMICFILE_PATH")
	if mode == "" {
		return
	}
	err := atomicfile.Write(path, func(w io.Writer) error {
		if mode == "write" {
			_, err := io.WriteString(w, "hello\n")
			return err
		}
		chunk := []byte(strings.Repeat("partial,row\n", 1<<12))
		for n := 0; n < 8<<20; n += len(chunk) {
			if _, err := w.Write(chunk); err != nil {
				return err
			}
		}
		os.Stdout.WriteString("writing\n")
		select {}
	})
	if err != nil {
		os.Stderr.WriteString(err.Error() + "\n")
		os.Exit(1)
	}
	os.Exit(0)
}

// helper is the test binary as a helper process in mode, writing path.
func helper(t *testing.T, mode, path string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcess$")
	cmd.Env = append(os.Environ(), "ATOMICFILE_HELPER="+mode, "ATOMICFILE_PATH="+path)
	cmd.Stderr = os.Stderr
	return cmd
}

// A writer killed by SIGKILL in the middle of its write leaves the old
// file whole and nothing else in the directory (O_TMPFILE: the kernel
// frees the unnamed file with the process).
func TestSIGKILLLeavesNoLitter(t *testing.T) {
	for _, fresh := range []bool{false, true} {
		name := map[bool]string{false: "replacing", true: "creating"}[fresh]
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "out.csv")
			if !fresh {
				os.WriteFile(path, []byte("old,output\n"), 0o644)
			}
			cmd := helper(t, "block", path)
			out, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			line, err := bufio.NewReader(out).ReadString('\n')
			if line != "writing\n" {
				cmd.Process.Kill()
				cmd.Wait()
				t.Fatalf("helper said %q (%v), want writing", line, err)
			}
			cmd.Process.Kill() // SIGKILL: no deferred cleanup runs
			cmd.Wait()
			if fresh {
				wantEntries(t, dir)
			} else {
				wantFile(t, path, "old,output\n")
				wantEntries(t, dir, "out.csv")
			}
		})
	}
}

// /dev/stdout is the writer's standard output: written directly when it
// is a pipe, replaced through the link when it is a regular file.
func TestWriteDevStdout(t *testing.T) {
	t.Run("pipe", func(t *testing.T) {
		got, err := helper(t, "write", "/dev/stdout").Output()
		if err != nil || string(got) != "hello\n" {
			t.Fatalf("stdout %q (%v), want hello", got, err)
		}
	})
	t.Run("file", func(t *testing.T) {
		dir := t.TempDir()
		path := filepath.Join(dir, "stdout.txt")
		f, err := os.Create(path)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		cmd := helper(t, "write", "/dev/stdout")
		cmd.Stdout = f
		if err := cmd.Run(); err != nil {
			t.Fatal(err)
		}
		wantFile(t, path, "hello\n")
		wantEntries(t, dir, "stdout.txt")
	})
}

// Where O_TMPFILE is unsupported, a named temporary file does the same,
// less the guarantee against SIGKILL.
func TestWriteNamedTemp(t *testing.T) {
	defer atomicfile.UseNamedTemp()()
	dir := t.TempDir()
	path := filepath.Join(dir, "out.csv")
	os.WriteFile(path, []byte("old\n"), 0o600)
	os.Chmod(path, 0o600)
	if err := atomicfile.Write(path, text("new\n")); err != nil {
		t.Fatal(err)
	}
	wantFile(t, path, "new\n")
	if st, _ := os.Stat(path); st.Mode() != 0o600 {
		t.Errorf("mode %v, want -rw------- kept", st.Mode())
	}
	boom := io.ErrUnexpectedEOF
	if err := atomicfile.Write(path, func(w io.Writer) error { return boom }); err == nil {
		t.Fatal("a failed fill succeeded")
	}
	wantFile(t, path, "new\n")
	wantEntries(t, dir, "out.csv")
}
