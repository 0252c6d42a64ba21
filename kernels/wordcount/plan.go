package wordcount

import (
	"fmt"
	"os"
	"slices"
)

// File is one input file and its size in bytes.
type File struct {
	Path string
	Size int64
}

// Piece is the byte range [Lo, Hi) of a file of Size bytes: the whole file
// when Lo == 0 and Hi == Size. Its words are those CountRange finds there.
type Piece struct {
	Path   string
	Size   int64
	Lo, Hi int64
}

// Len is the number of bytes the piece spans.
func (p Piece) Len() int64 { return p.Hi - p.Lo }

// Plan splits files among ranks by bytes. The files, in order, are read as one
// stream; rank r gets the bytes [r*T/ranks, (r+1)*T/ranks) of it (T the total
// size), as whole files where a file falls inside its share and as byte ranges
// where a share boundary cuts a file. No piece is longer than maxPiece bytes
// (maxPiece <= 0: no limit), so a large file becomes several ranges. Empty
// files, and Streams, which have no size to split, are skipped. plan[r]
// lists rank r's pieces in stream order.
func Plan(files []File, ranks int, maxPiece int64) [][]Piece {
	if ranks < 1 {
		panic("wordcount: Plan with fewer than one rank")
	}
	var total int64
	for _, f := range files {
		total += max(f.Size, 0)
	}
	plan := make([][]Piece, ranks)
	var base int64 // stream offset of the current file
	r := 0
	for _, f := range files {
		for lo := int64(0); lo < f.Size; {
			for share(total, ranks, r+1) <= base+lo { // this rank's share is used up
				r++
			}
			hi := min(f.Size, share(total, ranks, r+1)-base)
			if maxPiece > 0 {
				hi = min(hi, lo+maxPiece)
			}
			plan[r] = append(plan[r], Piece{Path: f.Path, Size: f.Size, Lo: lo, Hi: hi})
			lo = hi
		}
		base += max(f.Size, 0)
	}
	return plan
}

// share is the stream offset where rank r's share begins.
func share(total int64, ranks, r int) int64 {
	if r >= ranks {
		return total
	}
	q, m := total/int64(ranks), total%int64(ranks)
	return q*int64(r) + m*int64(r)/int64(ranks)
}

// Bytes is the total length of pieces.
func Bytes(pieces []Piece) int64 {
	var n int64
	for _, p := range pieces {
		n += p.Len()
	}
	return n
}

// Sizes that Walk and StatSize give instead of a file's size.
const (
	Unstated   = -1 // found in a directory, not stat'ed yet: see StatSizes
	NotRegular = -2 // a directory, device or socket behind a link: left out
	Stream     = -3 // a path named by the caller that is a FIFO or device: see CountStream
)

// ListFiles expands paths into regular files with their sizes: a file is
// taken as it is, a directory recursively with its files in sorted (lexical
// path) order, leaving out hidden entries (names starting with "."), and
// what is neither (a FIFO, /dev/stdin, a device) with Size Stream, to be
// read whole by CountStream: a path the caller names is never skipped
// (files that are not regular inside a directory are, as grep -r skips
// them). A missing path is an error naming it. It is Walk, StatSizes, and
// Regular.
func ListFiles(paths []string) ([]File, error) {
	files, err := Walk(paths)
	if err != nil {
		return nil, err
	}
	if err := StatSizes(files); err != nil {
		return nil, err
	}
	return Regular(files, paths)
}

// Walk lists what ListFiles lists, in the same order, without the stat
// that finding the size of a file inside a directory takes: such files have
// Size Unstated (a directory entry carries no size, and a link no type), so
// that callers can split those stats (StatSizes) among workers. The paths
// themselves are stat'ed; one that is not a directory is listed with its
// size, or Size Stream when it is not a regular file. A path that is a
// link to a directory is followed, as grep -r and
// find -H follow the links they are given (filepath.WalkDir, which Walk was
// built on, did not, so such a path alone listed no files); links found
// inside directories are not followed.
//
// Each directory is read whole and unsorted (getdents on Linux,
// os.File.ReadDir elsewhere), and the files found under a path are sorted
// once by full path, a file's path being its directory's joined with its
// name as filepath.Join joins them.
func Walk(paths []string) ([]File, error) {
	return walkWith(newLister(), paths)
}

// StatSize is the size of the file at path, following links, or NotRegular
// when it is not a regular file.
func StatSize(path string) (int64, error) {
	info, err := os.Stat(path)
	if err != nil {
		return 0, err
	}
	if !info.Mode().IsRegular() {
		return NotRegular, nil
	}
	return info.Size(), nil
}

// StatSizes sets the Size of every file of files that is Unstated to what
// StatSize gives, in order, stopping at the first error (an *fs.PathError
// with the file's path, as os.Stat's). On Linux it stats each file by its
// name in its directory, open (fstatat), rather than by its full path,
// which spares the kernel resolving the directory's path once per file; a
// directory is opened once for each run of consecutive files in it, so
// files in Walk's order cost one open per directory.
func StatSizes(files []File) error {
	return statSizesWith(newStatter(), files)
}

// Regular returns files without those of Size NotRegular (Streams stay),
// in place; none left is an error naming paths, the arguments they came
// from.
func Regular(files []File, paths []string) ([]File, error) {
	files = slices.DeleteFunc(files, func(f File) bool { return f.Size == NotRegular })
	if len(files) == 0 {
		return nil, fmt.Errorf("wordcount: no input files in %q", paths)
	}
	return files, nil
}
