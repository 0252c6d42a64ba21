//go:build linux

package wordcount

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io/fs"
	"slices"
	"strings"

	"golang.org/x/sys/unix"
)

// newLister and newStatter give Walk and StatSizes the Linux listing:
// getdents and fstatat.
func newLister() dirLister    { return &direntLister{buf: make([]byte, direntBufSize)} }
func newStatter() sizeStatter { return &statDir{} }

// direntBufSize is the getdents buffer direntLister reads a directory through,
// os's own size: a larger one saves too few system calls to show.
const direntBufSize = 8192

// direntLister is the Linux dirLister. It reads each directory whole with
// getdents into buf rather than through os.File.ReadDir, which makes an
// fs.DirEntry (two allocations) per entry, and the path joined from it a
// third, where direntLister makes just the path, straight from the
// entry's bytes (docs/performance.md compares the two).
type direntLister struct {
	buf   []byte
	files []File
}

func (l *direntLister) walk(files []File, dir, prefix string) ([]File, error) {
	l.files = files
	err := l.walkDir(dir, prefix)
	files, l.files = l.files, nil
	return files, err
}

func (l *direntLister) walkDir(dir, prefix string) error {
	subdirs, err := l.read(dir, prefix)
	if err != nil {
		return err
	}
	slices.Sort(subdirs)
	for _, sub := range subdirs {
		if err := l.walkDir(sub, sub+"/"); err != nil {
			return err
		}
	}
	return nil
}

// read appends the files of directory dir to l.files and returns its
// subdirectories' paths. Its errors are os.File.ReadDir's.
func (l *direntLister) read(dir, prefix string) (subdirs []string, err error) {
	fd, err := ignoringEINTR(func() (int, error) {
		return unix.Open(dir, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	})
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: dir, Err: err}
	}
	defer unix.Close(fd)
	for {
		n, err := ignoringEINTR(func() (int, error) { return unix.Getdents(fd, l.buf) })
		if err != nil {
			return nil, &fs.PathError{Op: "readdirent", Path: dir, Err: err}
		}
		if n <= 0 {
			return subdirs, nil
		}
		for b := l.buf[:n]; len(b) > 0; {
			var ino uint64
			var typ byte
			var name []byte
			if ino, typ, name, b = parseDirent(b); ino == 0 || len(name) == 0 || name[0] == '.' {
				continue // removed, or hidden (".", ".." among them)
			}
			path := prefix + string(name)
			switch isDir, err := entryIsDir(fd, typ, name, path); {
			case err == errGone:
			case err != nil:
				return nil, err
			case isDir:
				subdirs = append(subdirs, path)
			default:
				l.files = append(l.files, File{Path: path, Size: Unstated})
			}
		}
	}
}

// Offsets in a struct linux_dirent64, the entries getdents fills a buffer
// with: inode number, record length, type (DT_*), name ending in a 0 byte.
const (
	direntIno    = 0
	direntReclen = 16
	direntType   = 18
	direntName   = 19
)

// parseDirent splits the first entry off buf, a getdents buffer. A record
// too short or too long for buf (never seen from the kernel) ends buf.
func parseDirent(buf []byte) (ino uint64, typ byte, name, rest []byte) {
	if len(buf) < direntName {
		return 0, 0, nil, nil
	}
	reclen := int(binary.NativeEndian.Uint16(buf[direntReclen:]))
	if reclen < direntName || reclen > len(buf) {
		return 0, 0, nil, nil
	}
	name = buf[direntName:reclen]
	if i := bytes.IndexByte(name, 0); i >= 0 {
		name = name[:i]
	}
	return binary.NativeEndian.Uint64(buf[direntIno:]), buf[direntType], name, buf[reclen:]
}

// errGone is entryIsDir's error for an entry removed since it was read.
var errGone = errors.New("wordcount: directory entry gone")

// entryIsDir reports whether the entry name of the directory open as fd,
// of type typ, is a directory (not a link to one). A file system that
// gives no type (DT_UNKNOWN) costs an lstat, as in os.File.ReadDir, whose
// behaviour it keeps: an entry gone by then is skipped (errGone), another
// error is an lstat error naming path.
func entryIsDir(fd int, typ byte, name []byte, path string) (bool, error) {
	if typ != unix.DT_UNKNOWN {
		return typ == unix.DT_DIR, nil
	}
	var st unix.Stat_t
	_, err := ignoringEINTR(func() (int, error) {
		return 0, unix.Fstatat(fd, string(name), &st, unix.AT_SYMLINK_NOFOLLOW)
	})
	switch {
	case err == unix.ENOENT:
		return false, errGone
	case err != nil:
		return false, &fs.PathError{Op: "lstat", Path: path, Err: err}
	}
	return st.Mode&unix.S_IFMT == unix.S_IFDIR, nil
}

// statDir is the Linux sizeStatter: it stats each file by its name in its
// directory, open (fstatat), rather than by its full path, which spares
// the kernel resolving the directory's path once per file. It holds the
// directory it last tried to open, path, and its fd
// where open (false when opening it failed).
type statDir struct {
	path string
	fd   int
	open bool
}

// statSize is StatSize(path) through the directory of path, which it
// opens unless it is the one open already. Where the directory cannot be
// opened, or path ends in "/", it is StatSize itself, so the result and
// the error are always StatSize's.
func (d *statDir) statSize(path string) (int64, error) {
	dir, name := splitPath(path)
	if name == "" {
		return StatSize(path)
	}
	if d.path != dir {
		d.close()
		d.path = dir
		d.open = d.openDir(dir)
	}
	if !d.open {
		return StatSize(path)
	}
	var st unix.Stat_t
	_, err := ignoringEINTR(func() (int, error) { return 0, unix.Fstatat(d.fd, name, &st, 0) })
	if err != nil {
		return 0, &fs.PathError{Op: "stat", Path: path, Err: err}
	}
	if st.Mode&unix.S_IFMT != unix.S_IFREG {
		return NotRegular, nil
	}
	return st.Size, nil
}

// openDir opens dir for fstatat only (O_PATH), which needs no permission
// to read it, just as a stat through it needs none.
func (d *statDir) openDir(dir string) bool {
	var err error
	d.fd, err = ignoringEINTR(func() (int, error) {
		return unix.Open(dir, unix.O_PATH|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	})
	return err == nil
}

// close closes the open directory, if any.
func (d *statDir) close() {
	if d.open {
		unix.Close(d.fd)
		d.open = false
	}
}

// splitPath splits path at its last slash into the directory to open and
// the name in it: "a/b" is "a" and "b", "/b" is "/" and "b", "b" is "."
// and "b".
func splitPath(path string) (dir, name string) {
	i := strings.LastIndexByte(path, '/')
	switch {
	case i < 0:
		return ".", path
	case i == 0:
		return "/", path[1:]
	}
	return path[:i], path[i+1:]
}

// ignoringEINTR calls fn until it fails with other than EINTR, as os does
// around the system calls it makes.
func ignoringEINTR(fn func() (int, error)) (int, error) {
	for {
		n, err := fn()
		if err != unix.EINTR {
			return n, err
		}
	}
}
