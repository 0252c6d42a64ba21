package atomicfile

import (
	"errors"
	"io"
	"os"
	"strconv"

	"golang.org/x/sys/unix"
)

// newTemp is an unnamed O_TMPFILE file in dir: if the writer dies before
// commit, the kernel frees it and nothing is left in dir. Where the file
// system or kernel does not support O_TMPFILE it is a named temporary file.
func newTemp(dir, target string) (temp, error) {
	fd, err := unix.Open(dir, unix.O_TMPFILE|unix.O_RDWR|unix.O_CLOEXEC, 0o666)
	if errors.Is(err, unix.EOPNOTSUPP) || errors.Is(err, unix.EISDIR) || errors.Is(err, unix.EINVAL) {
		return newNamedTemp(dir, target)
	}
	if err != nil {
		return nil, &os.PathError{Op: "open", Path: dir, Err: err}
	}
	return &unnamedTemp{f: os.NewFile(uintptr(fd), target), dir: dir}, nil
}

// unnamedTemp is an O_TMPFILE file, given a name only on commit.
type unnamedTemp struct {
	f   *os.File
	dir string
}

func (t *unnamedTemp) file() *os.File { return t.f }

// commit links the file at target when fresh (failing if another writer
// created target meanwhile, then falling back to a rename), else links it
// at a hidden name and renames that over target: the one moment a kill
// could leave a temporary name is between those two system calls.
func (t *unnamedTemp) commit(target string, fresh bool) error {
	if fresh {
		err := t.link(target)
		if err == nil || !errors.Is(err, unix.EEXIST) {
			return err
		}
	}
	for {
		name := tempName(t.dir, target)
		err := t.link(name)
		if errors.Is(err, unix.EEXIST) {
			continue
		}
		if err != nil {
			return err
		}
		if err := os.Rename(name, target); err != nil {
			os.Remove(name)
			return err
		}
		return nil
	}
}

// link gives the open file the name name: through /proc/self/fd, or where
// /proc is not mounted with AT_EMPTY_PATH (which needs privilege), or else
// by copying it into a new file of that name.
func (t *unnamedTemp) link(name string) error {
	fd := int(t.f.Fd())
	err := unix.Linkat(unix.AT_FDCWD, "/proc/self/fd/"+strconv.Itoa(fd), unix.AT_FDCWD, name, unix.AT_SYMLINK_FOLLOW)
	if err == nil || errors.Is(err, unix.EEXIST) {
		return err
	}
	if err = unix.Linkat(fd, "", unix.AT_FDCWD, name, unix.AT_EMPTY_PATH); err == nil || errors.Is(err, unix.EEXIST) {
		return err
	}
	return t.copyTo(name)
}

// copyTo writes the file's content to a new file name, synced.
func (t *unnamedTemp) copyTo(name string) error {
	st, err := t.f.Stat()
	if err != nil {
		return err
	}
	dst, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, st.Mode().Perm())
	if err != nil {
		return err
	}
	_, err = io.Copy(dst, io.NewSectionReader(t.f, 0, st.Size()))
	if err == nil {
		err = dst.Sync()
	}
	if cerr := dst.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(name)
	}
	return err
}

// discard has nothing to remove: closing the file frees it.
func (t *unnamedTemp) discard() {}
