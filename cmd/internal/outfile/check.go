package outfile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Check reports, before any work, why the output out (an --out value)
// cannot be written, as an error naming it: its directory is missing, is
// not a directory or cannot be written in; it is a directory; or it is the
// same file as one of inputs (by device and inode, so through symbolic and
// hard links too), which writing would destroy; or, for an input that is a
// directory, a file that listing it would read (inside it, under no
// hidden name). Standard output ("" or "-") and inputs that do not exist
// are left to the program.
func Check(out string, inputs ...string) error {
	if IsStdout(out) {
		return nil
	}
	st, err := os.Stat(out)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if err := checkNew(out); err != nil {
			return err
		}
		return checkInside(out, inputs)
	case err != nil:
		return fmt.Errorf("--out %s: %w", out, unwrapPath(err))
	case st.IsDir():
		return fmt.Errorf("--out %s: is a directory", out)
	case !st.Mode().IsRegular(): // a device or FIFO is written in place
		if err := writable(out); err != nil {
			return fmt.Errorf("--out %s: %w", out, err)
		}
		return nil
	}
	target, err := filepath.EvalSymlinks(out)
	if err != nil {
		target = out
	}
	if err := checkDir(out, filepath.Dir(target)); err != nil {
		return err
	}
	for _, in := range inputs {
		if ist, err := os.Stat(in); err == nil && os.SameFile(st, ist) {
			return fmt.Errorf("--out %s is the input %s: writing it would destroy it", out, in)
		}
	}
	return checkInside(out, inputs)
}

// checkNew checks that out, which does not exist, can be created.
func checkNew(out string) error {
	dir := filepath.Dir(out)
	if target, err := filepath.EvalSymlinks(dir); err == nil {
		dir = target
	}
	return checkDir(out, dir)
}

// checkDir checks that dir, out's directory, is one that can be written.
func checkDir(out, dir string) error {
	st, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("--out %s: directory %s does not exist", out, dir)
	case err != nil:
		return fmt.Errorf("--out %s: %w", out, unwrapPath(err))
	case !st.IsDir():
		return fmt.Errorf("--out %s: %s is not a directory", out, dir)
	}
	if err := writable(dir); err != nil {
		return fmt.Errorf("--out %s: cannot create files in %s: %w", out, dir, err)
	}
	return nil
}

// checkInside refuses out when it lies inside an input directory under
// names that listing the directory reads (none starting with ".").
func checkInside(out string, inputs []string) error {
	var dirs []fs.FileInfo
	var names []string
	for _, in := range inputs {
		if st, err := os.Stat(in); err == nil && st.IsDir() {
			dirs, names = append(dirs, st), append(names, in)
		}
	}
	if len(dirs) == 0 {
		return nil
	}
	abs, err := filepath.Abs(out)
	if err != nil {
		return nil
	}
	if dir, err := filepath.EvalSymlinks(filepath.Dir(abs)); err == nil {
		abs = filepath.Join(dir, filepath.Base(abs))
	}
	hidden := false
	for p := abs; p != filepath.Dir(p); p = filepath.Dir(p) {
		hidden = hidden || strings.HasPrefix(filepath.Base(p), ".")
		st, err := os.Stat(filepath.Dir(p))
		if err != nil {
			return nil
		}
		for i, d := range dirs {
			if !hidden && os.SameFile(st, d) {
				return fmt.Errorf("--out %s is inside the input directory %s: it would be read as input", out, names[i])
			}
		}
	}
	return nil
}

// unwrapPath drops an *fs.PathError's operation and path, which the
// caller's message names already.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
