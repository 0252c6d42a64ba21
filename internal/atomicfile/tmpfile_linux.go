package atomicfile

import (
	"errors"
	"io"
	"io/fs"
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

// commit links the file at target when fresh (unless another writer
// created target meanwhile), else links it at a hidden name and renames
// that over target: the one moment a kill could leave a temporary name is
// between those two system calls. Where the file cannot be linked at all,
// it is copied to the hidden name, then renamed.
func (t *unnamedTemp) commit(target string, fresh bool) error {
	if fresh {
		if err := t.link(target); err == nil || !errors.Is(err, unix.EEXIST) && !errors.Is(err, errNoLink) {
			return err
		}
	}
	for {
		name := tempName(t.dir, target)
		err := t.link(name)
		if errors.Is(err, errNoLink) {
			err = t.copyTo(name)
		}
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

// noLink is set by tests to take the copying path.
var noLink = false

// errNoLink is link's error when neither way of linking works.
var errNoLink = errors.New("cannot link an O_TMPFILE file")

// link gives the open file the name name: through /proc/self/fd, or where
// /proc is not mounted with AT_EMPTY_PATH (which needs privilege).
func (t *unnamedTemp) link(name string) error {
	if noLink {
		return errNoLink
	}
	fd := int(t.f.Fd())
	err := unix.Linkat(unix.AT_FDCWD, "/proc/self/fd/"+strconv.Itoa(fd), unix.AT_FDCWD, name, unix.AT_SYMLINK_FOLLOW)
	if err == nil || errors.Is(err, unix.EEXIST) {
		return err
	}
	if err = unix.Linkat(fd, "", unix.AT_FDCWD, name, unix.AT_EMPTY_PATH); err == nil || errors.Is(err, unix.EEXIST) {
		return err
	}
	return errNoLink
}

// copyTo writes the file's content to a new file name, synced, with its
// mode, owner and group.
func (t *unnamedTemp) copyTo(name string) error {
	st, err := t.f.Stat()
	if err != nil {
		return err
	}
	dst, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	keepOwner(dst, st)
	err = dst.Chmod(st.Mode() & (fs.ModePerm | fs.ModeSetuid | fs.ModeSetgid | fs.ModeSticky))
	if err == nil {
		_, err = io.Copy(dst, io.NewSectionReader(t.f, 0, st.Size()))
	}
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
