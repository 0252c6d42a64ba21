package wordcount

import (
	"cmp"
	"encoding/binary"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// dirLister lists the files under directories for Walk. Two implement it:
// the portable one (os.File.ReadDir, every platform) and, on Linux, one
// that reads directories with getdents; both list the same files with the
// same errors.
type dirLister interface {
	// walk appends to files, Unstated and in no particular order, the
	// files under directory dir, whose entries' paths are prefix and
	// their names, leaving out hidden entries (.git, editor files) and
	// following no link. Subdirectories are read after dir, in name
	// order, so that of several unreadable ones the error is that of the
	// first filepath.WalkDir met.
	walk(files []File, dir, prefix string) ([]File, error)
}

// sizeStatter stats files for StatSizes, with StatSize's results and
// errors, and is closed when done.
type sizeStatter interface {
	statSize(path string) (int64, error)
	close()
}

// walkWith is Walk through l.
func walkWith(l dirLister, paths []string) ([]File, error) {
	var files []File
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return nil, err
		}
		if !st.IsDir() {
			size := st.Size()
			if !st.Mode().IsRegular() {
				size = Stream
			}
			files = append(files, File{Path: p, Size: size})
			continue
		}
		start, prefix := len(files), dirPrefix(p)
		if files, err = l.walk(files, p, prefix); err != nil {
			return nil, err
		}
		sortByPath(files[start:], len(prefix))
	}
	return files, nil
}

// statSizesWith is StatSizes through s.
func statSizesWith(s sizeStatter, files []File) error {
	defer s.close()
	for i := range files {
		f := &files[i]
		if f.Size != Unstated {
			continue
		}
		size, err := s.statSize(f.Path)
		if err != nil {
			return err
		}
		f.Size = size
	}
	return nil
}

// portableLister is the dirLister of every platform: os.File.ReadDir,
// without its callers' per-directory sort (Walk sorts once, by full path).
type portableLister struct{}

func (portableLister) walk(files []File, dir, prefix string) ([]File, error) {
	f, err := os.Open(dir)
	if err != nil {
		return nil, err
	}
	entries, err := f.ReadDir(-1)
	f.Close()
	if err != nil {
		return nil, err
	}
	var subdirs []string
	for _, e := range entries {
		name := e.Name()
		if name == "" || name[0] == '.' {
			continue
		}
		path := prefix + name
		// A link to a directory is not a directory here, on any platform.
		if e.Type()&(os.ModeDir|os.ModeSymlink) == os.ModeDir {
			subdirs = append(subdirs, path)
		} else {
			files = append(files, File{Path: path, Size: Unstated})
		}
	}
	slices.Sort(subdirs)
	for _, sub := range subdirs {
		if files, err = (portableLister{}).walk(files, sub, sub+string(filepath.Separator)); err != nil {
			return nil, err
		}
	}
	return files, nil
}

// portableStatter is the sizeStatter of every platform: StatSize.
type portableStatter struct{}

func (portableStatter) statSize(path string) (int64, error) { return StatSize(path) }
func (portableStatter) close()                              {}

// sortByPath sorts files by path, paths whose first skip bytes are the
// same. It sorts on the 8 bytes after those as a number first, a
// comparison that decides most pairs and is much cheaper than comparing
// strings, the time of which was a third of Walk's.
func sortByPath(files []File, skip int) {
	keyed := make([]keyedFile, len(files))
	for i, f := range files {
		keyed[i] = keyedFile{key: pathKey(f.Path, skip), File: f}
	}
	slices.SortFunc(keyed, func(a, b keyedFile) int {
		if c := cmp.Compare(a.key, b.key); c != 0 {
			return c
		}
		return strings.Compare(a.Path, b.Path)
	})
	for i, k := range keyed {
		files[i] = k.File
	}
}

// keyedFile is a file and its sort key, pathKey.
type keyedFile struct {
	key uint64
	File
}

// pathKey is the bytes of path from skip on, the first 8 of them, as a
// big-endian number, short paths padded with zero bytes: as no path holds
// a zero byte, one key less than another is one path less than another.
func pathKey(path string, skip int) uint64 {
	var b [8]byte
	if skip < len(path) {
		copy(b[:], path[skip:])
	}
	return binary.BigEndian.Uint64(b[:])
}

// dirPrefix is what the paths filepath.Join(dir, name) begin with: dir
// cleaned and a separator, the root alone for a root ("/", `C:\`),
// nothing for ".". A name from a directory (no separator, not "." or "..")
// adds nothing for Clean to remove.
func dirPrefix(dir string) string {
	dir = filepath.Clean(dir)
	switch {
	case dir == ".":
		return ""
	case os.IsPathSeparator(dir[len(dir)-1]):
		return dir
	}
	return dir + string(filepath.Separator)
}
