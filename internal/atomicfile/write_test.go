//go:build unix

package atomicfile_test

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/gorun-dev/gorun/internal/atomicfile"
)

// text returns a fill that writes s.
func text(s string) func(io.Writer) error {
	return func(w io.Writer) error {
		_, err := io.WriteString(w, s)
		return err
	}
}

// wantFile fails unless path holds want.
func wantFile(t *testing.T, path, want string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil || string(b) != want {
		t.Fatalf("%s holds %q (%v), want %q", path, b, err, want)
	}
}

// wantEntries fails unless dir holds exactly names: no temporary files.
func wantEntries(t *testing.T, dir string, names ...string) {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range ents {
		got = append(got, e.Name())
	}
	if strings.Join(got, " ") != strings.Join(names, " ") {
		t.Fatalf("%s holds %q, want %q", dir, got, names)
	}
}

func TestWriteNewAndReplace(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.csv")
	if err := atomicfile.Write(path, text("a,b\n")); err != nil {
		t.Fatal(err)
	}
	wantFile(t, path, "a,b\n")
	old := syscall.Umask(0)
	syscall.Umask(old)
	if st, _ := os.Stat(path); st.Mode() != fs.FileMode(0o666&^old) {
		t.Errorf("new file has mode %v, want 0666 less the umask %#o", st.Mode(), old)
	}
	if err := atomicfile.Write(path, text("c,d\n")); err != nil {
		t.Fatal(err)
	}
	wantFile(t, path, "c,d\n")
	wantEntries(t, dir, "out.csv")
}

func TestWriteFailureKeepsOldFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.csv")
	os.WriteFile(path, []byte("old\n"), 0o644)
	boom := errors.New("boom")
	err := atomicfile.Write(path, func(w io.Writer) error {
		io.WriteString(w, "half")
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Write = %v, want boom", err)
	}
	wantFile(t, path, "old\n")
	wantEntries(t, dir, "out.csv")
}

func TestWriteKeepsModeAndOwner(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "secret.csv")
	if err := os.WriteFile(path, []byte("old\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	os.Chmod(path, 0o600) // whatever the umask
	owner := os.Getuid()
	if owner == 0 {
		owner = 4242 // root may give the file away: the new file must keep it
		if err := os.Chown(path, owner, owner); err != nil {
			t.Fatal(err)
		}
	}
	if err := atomicfile.Write(path, text("new\n")); err != nil {
		t.Fatal(err)
	}
	wantFile(t, path, "new\n")
	st, _ := os.Stat(path)
	if st.Mode() != 0o600 {
		t.Errorf("mode %v after the write, want -rw------- kept", st.Mode())
	}
	if uid := int(st.Sys().(*syscall.Stat_t).Uid); uid != owner {
		t.Errorf("owner %d after the write, want %d kept", uid, owner)
	}
}

func TestWriteThroughSymlink(t *testing.T) {
	dir := t.TempDir()
	os.Mkdir(filepath.Join(dir, "data"), 0o755)
	target := filepath.Join(dir, "data", "real.csv")
	os.WriteFile(target, []byte("old\n"), 0o644)
	link := filepath.Join(dir, "link.csv")
	if err := os.Symlink("data/real.csv", link); err != nil { // relative to its directory
		t.Fatal(err)
	}
	if err := atomicfile.Write(link, text("new\n")); err != nil {
		t.Fatal(err)
	}
	if st, err := os.Lstat(link); err != nil || st.Mode()&fs.ModeSymlink == 0 {
		t.Fatalf("the link is no longer a link: %v %v", st.Mode(), err)
	}
	wantFile(t, target, "new\n")
	wantEntries(t, filepath.Join(dir, "data"), "real.csv")

	// A dangling link creates its target.
	dangling := filepath.Join(dir, "dangling.csv")
	os.Symlink("data/made.csv", dangling)
	if err := atomicfile.Write(dangling, text("made\n")); err != nil {
		t.Fatal(err)
	}
	wantFile(t, filepath.Join(dir, "data", "made.csv"), "made\n")
	if st, _ := os.Lstat(dangling); st.Mode()&fs.ModeSymlink == 0 {
		t.Fatal("the dangling link was replaced")
	}
}

// A hard-linked file gets a new inode, as with sed -i: the other name keeps
// the old content (the package comment says why).
func TestWriteHardLinkGetsNewInode(t *testing.T) {
	dir := t.TempDir()
	path, other := filepath.Join(dir, "out.csv"), filepath.Join(dir, "other.csv")
	os.WriteFile(path, []byte("old\n"), 0o644)
	if err := os.Link(path, other); err != nil {
		t.Fatal(err)
	}
	if err := atomicfile.Write(path, text("new\n")); err != nil {
		t.Fatal(err)
	}
	wantFile(t, path, "new\n")
	wantFile(t, other, "old\n")
}

func TestWriteDevicesAndFIFOsDirectly(t *testing.T) {
	t.Run("dev-null", func(t *testing.T) {
		if err := atomicfile.Write("/dev/null", text("gone\n")); err != nil {
			t.Fatal(err)
		}
		if st, err := os.Stat("/dev/null"); err != nil || st.Mode()&fs.ModeCharDevice == 0 {
			t.Fatalf("/dev/null is now %v (%v)", st.Mode(), err)
		}
	})
	t.Run("own-device-node", func(t *testing.T) {
		if os.Getuid() != 0 {
			t.Skip("mknod of a device needs root")
		}
		dev := filepath.Join(t.TempDir(), "null")
		if err := syscall.Mknod(dev, syscall.S_IFCHR|0o666, 1<<8|3); err != nil { // 1,3: null
			t.Skip("mknod:", err)
		}
		if err := atomicfile.Write(dev, text("gone\n")); err != nil {
			t.Fatal(err)
		}
		if st, _ := os.Stat(dev); st.Mode()&fs.ModeCharDevice == 0 {
			t.Fatalf("the device node was replaced by a %v", st.Mode())
		}
	})
	t.Run("fifo", func(t *testing.T) {
		dir := t.TempDir()
		fifo := filepath.Join(dir, "pipe")
		if err := syscall.Mkfifo(fifo, 0o644); err != nil {
			t.Fatal(err)
		}
		got := make(chan string)
		go func() {
			f, err := os.Open(fifo)
			if err != nil {
				got <- err.Error()
				return
			}
			b, _ := io.ReadAll(f)
			f.Close()
			got <- string(b)
		}()
		if err := atomicfile.Write(fifo, text("through the pipe\n")); err != nil {
			t.Fatal(err)
		}
		if s := <-got; s != "through the pipe\n" {
			t.Errorf("the reader got %q", s)
		}
		if st, _ := os.Lstat(fifo); st.Mode()&fs.ModeNamedPipe == 0 {
			t.Fatalf("the FIFO was replaced by a %v", st.Mode())
		}
		wantEntries(t, dir, "pipe")
	})
}

func TestWriteErrorsNameThePath(t *testing.T) {
	dir := t.TempDir()
	t.Run("full device", func(t *testing.T) {
		err := atomicfile.Write("/dev/full", text("x"))
		if !errors.Is(err, syscall.ENOSPC) || err.Error() != "writing /dev/full: no space left on device" {
			t.Fatalf("Write = %v, want writing /dev/full: no space left on device", err)
		}
	})
	t.Run("fill's own error keeps its file name", func(t *testing.T) {
		_, readErr := os.ReadFile(filepath.Join(dir, "input.csv"))
		err := atomicfile.Write(filepath.Join(dir, "out.csv"), func(io.Writer) error { return readErr })
		if !strings.Contains(err.Error(), "input.csv") {
			t.Fatalf("Write = %v, want the input's name kept", err)
		}
	})
	for _, tt := range []struct {
		name, path string
		want       error
	}{
		{"missing directory", filepath.Join(dir, "missing", "out.csv"), fs.ErrNotExist},
		{"a directory", dir, syscall.EISDIR},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := atomicfile.Write(tt.path, text("x"))
			if !errors.Is(err, tt.want) || !strings.HasPrefix(err.Error(), "writing "+tt.path+": ") || strings.Contains(err.Error(), ".tmp") {
				t.Fatalf("Write = %v, want %v naming %s and no temporary file", err, tt.want, tt.path)
			}
		})
	}
}
