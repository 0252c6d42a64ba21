//go:build linux

package wordcount

import (
	"encoding/binary"
	"testing"

	"golang.org/x/sys/unix"
)

// TestEntryIsDir checks the lstat that an entry of unknown type (DT_UNKNOWN,
// from file systems that give no type) costs, which the file systems tests
// run on do not make happen.
func TestEntryIsDir(t *testing.T) {
	dir := t.TempDir()
	makeTree(t, dir, []string{"d/", "f"}, map[string]string{"ld": "d", "broken": "nowhere"})
	fd, err := unix.Open(dir, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(fd)
	for name, want := range map[string]bool{"d": true, "f": false, "ld": false, "broken": false} {
		for _, typ := range []byte{unix.DT_UNKNOWN, unix.DT_DIR, unix.DT_REG} {
			known := want
			if typ != unix.DT_UNKNOWN {
				known = typ == unix.DT_DIR // a type given is believed
			}
			if got, err := entryIsDir(fd, typ, []byte(name), name); got != known || err != nil {
				t.Errorf("entryIsDir(%s, type %d) = %v, %v; want %v", name, typ, got, err, known)
			}
		}
	}
	if _, err := entryIsDir(fd, unix.DT_UNKNOWN, []byte("gone"), "gone"); err != errGone {
		t.Errorf("entryIsDir of a removed entry: err = %v, want errGone", err)
	}
}

// TestParseDirent checks parseDirent on a record built by hand and on
// records too short or too long for the buffer.
func TestParseDirent(t *testing.T) {
	rec := make([]byte, 24)
	binary.NativeEndian.PutUint64(rec, 7)
	binary.NativeEndian.PutUint16(rec[direntReclen:], 24)
	rec[direntType] = unix.DT_REG
	copy(rec[direntName:], "ab\x00")
	buf := append(rec, rec...)
	ino, typ, name, rest := parseDirent(buf)
	if ino != 7 || typ != unix.DT_REG || string(name) != "ab" || len(rest) != 24 {
		t.Errorf("parseDirent = %d, %d, %q, %d bytes left; want 7, DT_REG, ab, 24", ino, typ, name, len(rest))
	}
	for _, bad := range [][]byte{rec[:10], rec[:20]} {
		if _, _, name, rest := parseDirent(bad); name != nil || rest != nil {
			t.Errorf("parseDirent of %d bytes = %q, %v; want nothing", len(bad), name, rest)
		}
	}
}
