package atomicfile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
)

// Write writes what fill writes to path, as the package comment says:
// atomically for a new path or a regular file (through symbolic links),
// directly for a device, FIFO or socket. The data is on disk (fsync, then
// the directory's fsync) when Write returns nil. A new file gets mode
// 0666 less the umask. Errors name path, never a temporary file.
func Write(path string, fill func(io.Writer) error) error {
	if err := write(path, fill); err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) && ownName(pe.Path, path) {
			err = pe.Err // path says it; a temporary or resolved name would only confuse
		}
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}

// ownName reports whether name is one Write gives to what it writes for
// path: path itself, its resolved target, the target's directory or a
// temporary file there. Errors about other files (an input fill read)
// keep their names.
func ownName(name, path string) bool {
	if name == path {
		return true
	}
	target, err := resolve(path)
	if err != nil {
		return false
	}
	dir := filepath.Dir(target)
	return name == target || name == dir || filepath.Dir(name) == dir && strings.HasPrefix(filepath.Base(name), "."+filepath.Base(target)+".tmp")
}

func write(path string, fill func(io.Writer) error) error {
	st, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		st = nil // a new file, or a dangling link: create its target
	case err != nil:
		return err
	case st.IsDir():
		return syscall.EISDIR
	case !st.Mode().IsRegular():
		return writeDirect(path, fill)
	}
	target, err := resolve(path)
	if err != nil {
		return err
	}
	return replace(target, st, fill)
}

// writeDirect writes a device, FIFO or socket in place.
func writeDirect(path string, fill func(io.Writer) error) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_TRUNC, 0)
	if err != nil {
		return err
	}
	err = fill(f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// replace writes target through a temporary file in its directory, with
// old's mode and owner when old (target's current state) is not nil.
func replace(target string, old fs.FileInfo, fill func(io.Writer) error) error {
	dir := filepath.Dir(target)
	t, err := makeTemp(dir, target)
	if err != nil {
		return err
	}
	f := t.file()
	if old != nil {
		err = keepMode(f, old)
	}
	if err == nil {
		err = fill(f)
	}
	if err == nil {
		err = f.Sync()
	}
	if err == nil {
		err = t.commit(target, old == nil)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.discard()
		return err
	}
	return syncDir(dir)
}

// makeTemp makes the temporary file; tests swap in newNamedTemp.
var makeTemp = newTemp

// keepMode gives f the permission bits of old and, where permitted, its
// owner and group.
func keepMode(f *os.File, old fs.FileInfo) error {
	keepOwner(f, old)
	return f.Chmod(old.Mode() & (fs.ModePerm | fs.ModeSetuid | fs.ModeSetgid | fs.ModeSticky))
}

// syncDir flushes dir's entries, so the new name survives a crash.
// Systems that cannot sync a directory are not an error.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return nil
	}
	err = d.Sync()
	d.Close()
	if err != nil && !errors.Is(err, syscall.EINVAL) && !errors.Is(err, syscall.ENOTSUP) && !errors.Is(err, syscall.EBADF) {
		return err
	}
	return nil
}

// resolve follows path's symbolic links to the file they name, which need
// not exist (a dangling link names the file to create). A relative link
// is taken from its own directory.
func resolve(path string) (string, error) {
	for range 40 {
		st, err := os.Lstat(path)
		if errors.Is(err, fs.ErrNotExist) || err == nil && st.Mode()&fs.ModeSymlink == 0 {
			return path, nil
		}
		if err != nil {
			return "", err
		}
		link, err := os.Readlink(path)
		if err != nil {
			return "", err
		}
		if !filepath.IsAbs(link) {
			link = filepath.Join(filepath.Dir(path), link)
		}
		path = link
	}
	return "", &fs.PathError{Op: "resolve", Path: path, Err: syscall.ELOOP}
}
