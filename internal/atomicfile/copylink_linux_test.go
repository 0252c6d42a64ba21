//go:build linux

package atomicfile_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/gorun-dev/gorun/internal/atomicfile"
)

// Where an O_TMPFILE file cannot be linked (no /proc, no privilege for
// AT_EMPTY_PATH), it is copied to a hidden name and renamed: still never
// a partial file at the path, with the old file's mode kept.
func TestWriteCopyWhenLinkFails(t *testing.T) {
	defer atomicfile.UseCopyLink()()
	dir := t.TempDir()
	path := filepath.Join(dir, "out.csv")
	if err := atomicfile.Write(path, text("first\n")); err != nil {
		t.Fatal(err)
	}
	wantFile(t, path, "first\n")
	os.Chmod(path, 0o600)
	if err := atomicfile.Write(path, text("second\n")); err != nil {
		t.Fatal(err)
	}
	wantFile(t, path, "second\n")
	if st, _ := os.Stat(path); st.Mode() != 0o600 {
		t.Errorf("mode %v, want -rw------- kept", st.Mode())
	}
	wantEntries(t, dir, "out.csv")
}
