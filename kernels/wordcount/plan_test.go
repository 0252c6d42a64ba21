package wordcount

import (
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestPlan(t *testing.T) {
	tests := []struct {
		name     string
		sizes    []int64
		ranks    int
		maxPiece int64
	}{
		{"one file one rank", []int64{100}, 1, 0},
		{"one file split in two", []int64{100}, 2, 0},
		{"many files three ranks", []int64{10, 50, 3, 0, 77, 1}, 3, 0},
		{"more ranks than bytes", []int64{2, 1}, 5, 0},
		{"big file in small pieces", []int64{1000, 10}, 2, 64},
		{"uneven", []int64{7, 7, 7, 7, 7, 7, 7}, 4, 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var files []File
			var total int64
			for i, s := range tt.sizes {
				files = append(files, File{Path: fmt.Sprint("f", i), Size: s})
				total += s
			}
			plan := Plan(files, tt.ranks, tt.maxPiece)
			if len(plan) != tt.ranks {
				t.Fatalf("plan has %d ranks, want %d", len(plan), tt.ranks)
			}
			// Coverage: concatenated pieces are the files in order, no gap, no overlap.
			next := map[string]int64{}
			var order []string
			for r, pieces := range plan {
				// Balance: every share is within one byte of T/ranks.
				if got, fair := Bytes(pieces), total/int64(tt.ranks); got < fair || got > fair+1 {
					t.Errorf("rank %d has %d bytes, want %d or %d", r, got, fair, fair+1)
				}
				for _, p := range pieces {
					if p.Lo != next[p.Path] || p.Hi <= p.Lo || p.Hi > p.Size {
						t.Errorf("rank %d piece %+v: want Lo %d and a non-empty range", r, p, next[p.Path])
					}
					if tt.maxPiece > 0 && p.Len() > tt.maxPiece {
						t.Errorf("piece %+v longer than %d", p, tt.maxPiece)
					}
					if p.Lo == 0 {
						order = append(order, p.Path)
					}
					next[p.Path] = p.Hi
				}
			}
			var want []string
			for _, f := range files {
				if f.Size > 0 {
					want = append(want, f.Path)
					if next[f.Path] != f.Size {
						t.Errorf("%s covered to %d of %d bytes", f.Path, next[f.Path], f.Size)
					}
				}
			}
			if !slices.Equal(order, want) {
				t.Errorf("files in order %v, want %v", order, want)
			}
		})
	}
}

func TestListFiles(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"b.txt", "a/z.txt", "a/b/y.txt", "a/b.txt", "c", ".git/x", "a/.hidden"} {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(name), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	extra := filepath.Join(dir, "c")
	files, err := ListFiles([]string{extra, dir})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range files {
		rel, _ := filepath.Rel(dir, f.Path)
		got = append(got, rel)
		if st, _ := os.Stat(f.Path); st.Size() != f.Size {
			t.Errorf("%s: size %d, want %d", f.Path, f.Size, st.Size())
		}
	}
	want := []string{"c", "a/b.txt", "a/b/y.txt", "a/z.txt", "b.txt", "c"}
	if !slices.Equal(got, want) {
		t.Errorf("ListFiles = %v, want %v", got, want)
	}
	if _, err := ListFiles([]string{filepath.Join(dir, "missing")}); !os.IsNotExist(err) {
		t.Errorf("missing path: err = %v, want not-exist", err)
	}
}

// TestWalkStatSize checks that Walk, StatSize on the files it left
// unstated, and Regular give what ListFiles gives, and that a link to a
// directory inside a walked directory is left out.
func TestWalkStatSize(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"b.txt", "a/z.txt", "a/b/y.txt", "top.txt"} {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(name), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink(filepath.Join(dir, "a", "b"), filepath.Join(dir, "a", "link")); err != nil {
		t.Fatal(err)
	}
	paths := []string{filepath.Join(dir, "top.txt"), filepath.Join(dir, "a")}
	files, err := Walk(paths)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 4 || files[0].Size != int64(len("top.txt")) {
		t.Fatalf("Walk = %v, want top.txt with its size and 3 entries of a", files)
	}
	for i := range files[1:] {
		f := &files[1+i]
		if f.Size != Unstated {
			t.Errorf("%s: size %d, want Unstated", f.Path, f.Size)
		}
		if f.Size, err = StatSize(f.Path); err != nil {
			t.Fatal(err)
		}
	}
	if link := files[2]; filepath.Base(link.Path) != "link" || link.Size != NotRegular {
		t.Errorf("files[2] = %v, want a/link of size NotRegular", link)
	}
	got, err := Regular(files, paths)
	if err != nil {
		t.Fatal(err)
	}
	want, err := ListFiles(paths)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, want) {
		t.Errorf("Walk+StatSize+Regular = %v, ListFiles = %v", got, want)
	}
	if _, err := Regular([]File{{Path: "d", Size: NotRegular}}, []string{"d"}); err == nil {
		t.Error("Regular of no regular file: no error")
	}
}

// walkReference is Walk as it was, on filepath.WalkDir: the order and the
// errors Walk must keep.
func walkReference(paths []string) ([]File, error) {
	var files []File
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return nil, err
		}
		if !st.IsDir() {
			files = append(files, File{Path: p, Size: st.Size()})
			continue
		}
		var sub []File
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if path != p && strings.HasPrefix(d.Name(), ".") {
				if d.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
			if !d.IsDir() {
				sub = append(sub, File{Path: path, Size: Unstated})
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		slices.SortFunc(sub, func(a, b File) int { return cmp.Compare(a.Path, b.Path) })
		files = append(files, sub...)
	}
	return files, nil
}

// listReference is ListFiles as it was: walkReference, an os.Stat per
// file (StatSize), Regular.
func listReference(paths []string) ([]File, error) {
	files, err := walkReference(paths)
	if err != nil {
		return nil, err
	}
	for i, f := range files {
		if f.Size == Unstated {
			if files[i].Size, err = StatSize(f.Path); err != nil {
				return nil, err
			}
		}
	}
	return Regular(files, paths)
}

// makeTree creates files (with their names as contents) and directories
// (names ending in "/") under dir, then links, link name -> target.
func makeTree(t *testing.T, dir string, names []string, links map[string]string) {
	t.Helper()
	for _, name := range names {
		path := filepath.Join(dir, name)
		if strings.HasSuffix(name, "/") {
			if err := os.MkdirAll(path, 0o755); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(name), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for name, target := range links {
		if err := os.Symlink(target, filepath.Join(dir, name)); err != nil {
			t.Fatal(err)
		}
	}
}

// sameError reports whether got and want are both nil or have the same text.
func sameError(got, want error) bool {
	if got == nil || want == nil {
		return got == want
	}
	return got.Error() == want.Error()
}

// checkLikeReference checks that Walk and ListFiles, and the portable
// listing (which they are on platforms other than Linux), give what
// walkReference and listReference give for paths: the same files in the
// same order, or the same error.
func checkLikeReference(t *testing.T, paths ...string) {
	t.Helper()
	want, werr := walkReference(paths)
	got, err := Walk(paths)
	if !slices.Equal(got, want) || !sameError(err, werr) {
		t.Errorf("Walk(%q) = %v, %v\nwant %v, %v", paths, got, err, want, werr)
	}
	got, err = walkWith(portableLister{}, paths)
	if !slices.Equal(got, want) || !sameError(err, werr) {
		t.Errorf("portable Walk(%q) = %v, %v\nwant %v, %v", paths, got, err, want, werr)
	}
	want, werr = listReference(paths)
	got, err = ListFiles(paths)
	if !slices.Equal(got, want) || !sameError(err, werr) {
		t.Errorf("ListFiles(%q) = %v, %v\nwant %v, %v", paths, got, err, want, werr)
	}
	got, err = listPortable(paths)
	if !slices.Equal(got, want) || !sameError(err, werr) {
		t.Errorf("portable ListFiles(%q) = %v, %v\nwant %v, %v", paths, got, err, want, werr)
	}
}

// walkPortable and statSizesPortable are Walk and StatSizes through the
// portable listing.
func walkPortable(paths []string) ([]File, error) { return walkWith(portableLister{}, paths) }
func statSizesPortable(files []File) error        { return statSizesWith(portableStatter{}, files) }

// listPortable is ListFiles through the portable listing.
func listPortable(paths []string) ([]File, error) {
	files, err := walkWith(portableLister{}, paths)
	if err != nil {
		return nil, err
	}
	if err := statSizesWith(portableStatter{}, files); err != nil {
		return nil, err
	}
	return Regular(files, paths)
}

// TestWalkLikeReference checks Walk and ListFiles against the
// filepath.WalkDir implementation on names whose path order is not their
// per-directory order ("a-b", "a.txt" and "a0" around directory "a"),
// hidden files and directories, links to files and directories, a FIFO,
// an empty directory, paths that are not clean, several paths, and a link
// to a directory given as a path.
func TestWalkLikeReference(t *testing.T) {
	dir := t.TempDir()
	makeTree(t, dir, []string{
		"a!", "a-b", "a.txt", "a0", "A", "ä.txt", "a/x.txt", "a/x-y", "a/x/z", "a/b/y",
		"a/.hidden", "a/.hdir/z", ".git/x", "b/1", "b/2", "empty/", "deep/e/f/g/h",
	}, map[string]string{
		"linkfile":  "a.txt",
		"a/linkdir": "../b",
		"linkroot":  "a",
		"b/abs":     filepath.Join(dir, "a0"),
	})
	mkfifo(t, filepath.Join(dir, "b", "fifo"))
	checkLikeReference(t, dir)
	checkLikeReference(t, dir+"/")
	checkLikeReference(t, filepath.Join(dir, "a.txt"), filepath.Join(dir, "b"), filepath.Join(dir, "a"), dir)
	checkLinkRootFollowed(t, dir)
	checkLikeReference(t, filepath.Join(dir, "missing"))
	checkLikeReference(t, filepath.Join(dir, "empty"))
	checkLikeReference(t, filepath.Join(dir, ".git"), filepath.Join(dir, "a", ".hdir"))
	t.Chdir(dir)
	checkLikeReference(t, ".")
	checkLikeReference(t, "./a/", "a/../b", "deep")

	files, err := Walk([]string{dir})
	if err != nil {
		t.Fatal(err)
	}
	var rel []string
	for _, f := range files {
		r, _ := filepath.Rel(dir, f.Path)
		rel = append(rel, r)
	}
	want := []string{"A", "a!", "a-b", "a.txt", "a/b/y", "a/linkdir", "a/x-y", "a/x.txt", "a/x/z", "a0",
		"b/1", "b/2", "b/abs", "b/fifo", "deep/e/f/g/h", "linkfile", "linkroot", "ä.txt"}
	if !slices.Equal(rel, want) {
		t.Errorf("Walk order %q, want %q", rel, want)
	}
}

// checkLinkRootFollowed checks that a link to a directory given as a path
// is walked like the directory, its files named under the link.
func checkLinkRootFollowed(t *testing.T, dir string) {
	t.Helper()
	viaLink, err := Walk([]string{filepath.Join(dir, "linkroot")})
	if err != nil {
		t.Fatal(err)
	}
	direct, err := Walk([]string{filepath.Join(dir, "a")})
	if err != nil {
		t.Fatal(err)
	}
	if len(viaLink) == 0 || len(viaLink) != len(direct) {
		t.Fatalf("Walk(linkroot) = %v, want the %d files of a", viaLink, len(direct))
	}
	for i, f := range viaLink {
		rel, _ := filepath.Rel(filepath.Join(dir, "linkroot"), f.Path)
		want, _ := filepath.Rel(filepath.Join(dir, "a"), direct[i].Path)
		if rel != want || f.Size != direct[i].Size {
			t.Errorf("Walk(linkroot)[%d] = %+v, want %s under the link", i, f, want)
		}
	}
}

// TestWalkBrokenLink checks that a link to nothing inside a directory is
// listed, and that stat'ing it is an error naming it, as os.Stat's.
func TestWalkBrokenLink(t *testing.T) {
	dir := t.TempDir()
	makeTree(t, dir, []string{"a", "c"}, map[string]string{"b": "nowhere"})
	checkLikeReference(t, dir)
	_, err := ListFiles([]string{dir})
	broken := filepath.Join(dir, "b")
	var pe *fs.PathError
	if !errors.As(err, &pe) || pe.Path != broken || pe.Op != "stat" || !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("ListFiles with a broken link: err = %v, want a stat PathError for %s", err, broken)
	}
}

// TestWalkUnreadable checks that an unreadable subdirectory is an error
// naming it, and that a file in a directory that can be searched but not
// read is stat'ed. Root reads everything, so it skips.
func TestWalkUnreadable(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root can read any directory")
	}
	dir := t.TempDir()
	makeTree(t, dir, []string{"a/x", "b/y", "ab/z", "c"}, nil)
	for _, name := range []string{"b", "ab"} {
		if err := os.Chmod(filepath.Join(dir, name), 0); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { os.Chmod(filepath.Join(dir, name), 0o755) })
	}
	checkLikeReference(t, dir)
	if _, err := Walk([]string{dir}); err == nil || !strings.Contains(err.Error(), filepath.Join(dir, "ab")) {
		t.Errorf("Walk with an unreadable directory: err = %v, want one naming it", err)
	}

	if err := os.Chmod(filepath.Join(dir, "a"), 0o111); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(filepath.Join(dir, "a"), 0o755) })
	files := []File{{Path: filepath.Join(dir, "a", "x"), Size: Unstated}}
	if err := StatSizes(files); err != nil || files[0].Size != int64(len("a/x")) {
		t.Errorf("StatSizes in a search-only directory = %v, %v; want size %d", files, err, len("a/x"))
	}
}

// TestSortByPath checks sortByPath against sorting the paths, on paths
// that tie in their first 8 bytes after the prefix, are shorter than that,
// or differ in bytes above 0x7f.
func TestSortByPath(t *testing.T) {
	names := []string{"a", "ab", "abcdefg", "abcdefgh", "abcdefghi", "abcdefgh/a", "abcdefgh-a",
		"abcdefgh.txt", "abcdefgi", "b", "é", "ü/x", "\xff", "A", "0", "abcdefg/h", "abcdefg-h"}
	for _, prefix := range []string{"", "/", "dir/", "some/longer/dir/"} {
		var files []File
		for i, j := range rand.Perm(len(names)) {
			files = append(files, File{Path: prefix + names[j], Size: int64(i)})
		}
		want := slices.Clone(files)
		slices.SortFunc(want, func(a, b File) int { return strings.Compare(a.Path, b.Path) })
		if sortByPath(files, len(prefix)); !slices.Equal(files, want) {
			t.Errorf("sortByPath(%q...) = %v, want %v", prefix, files, want)
		}
	}
}

// TestStatSizes checks StatSizes against StatSize on files in alternating
// directories, relative and absolute, leaving stated sizes alone, and
// that its error is os.Stat's.
func TestStatSizes(t *testing.T) {
	dir := t.TempDir()
	makeTree(t, dir, []string{"a/x", "a/yy", "b/zzz", "top", "d/"}, map[string]string{"a/link": "../b"})
	t.Chdir(dir)
	paths := []string{
		filepath.Join(dir, "a", "x"), filepath.Join(dir, "b", "zzz"), filepath.Join(dir, "a", "yy"),
		filepath.Join(dir, "a", "link"), "top", "a/x", "./b/zzz", "/", filepath.Join(dir, "d") + "/",
		dir + "//a//yy",
	}
	var files []File
	for _, p := range paths {
		files = append(files, File{Path: p, Size: Unstated})
	}
	files = append(files, File{Path: "stated", Size: 42})
	if err := StatSizes(files); err != nil {
		t.Fatal(err)
	}
	for _, f := range files[:len(paths)] {
		want, err := StatSize(f.Path)
		if err != nil || f.Size != want {
			t.Errorf("%s: size %d, StatSize %d, %v", f.Path, f.Size, want, err)
		}
	}
	if f := files[len(paths)]; f.Size != 42 {
		t.Errorf("stated file: size %d, want 42 left alone", f.Size)
	}

	for _, bad := range []string{filepath.Join(dir, "a", "missing"), filepath.Join(dir, "top", "x"), "top/", "nodir/x"} {
		files := []File{{Path: "top", Size: Unstated}, {Path: bad, Size: Unstated}, {Path: "a/x", Size: Unstated}}
		err := StatSizes(files)
		_, want := os.Stat(bad)
		var pe *fs.PathError
		if !sameError(err, want) || !errors.As(err, &pe) || !errors.Is(err, errors.Unwrap(want)) {
			t.Errorf("StatSizes with %s: err = %v, want %v", bad, err, want)
		}
		if files[0].Size != int64(len("top")) || files[2].Size != Unstated {
			t.Errorf("StatSizes with %s: %v, want the file before it stated, the one after not", bad, files)
		}
	}
}

// BenchmarkListFiles is listing the directory $WORDCOUNT_BENCH_DIR
// (testdata when unset): Walk, StatSizes on what it found, ListFiles, and
// Walk with StatSizes on the first half of the files, what a rank of two
// does; each also through the portable listing (portable/...), and as it
// was (reference/...), on filepath.WalkDir and os.Stat.
func BenchmarkListFiles(b *testing.B) {
	paths := []string{cmp.Or(os.Getenv("WORDCOUNT_BENCH_DIR"), testText)}
	walked, err := Walk(paths)
	if err != nil {
		b.Fatal(err)
	}
	work := make([]File, len(walked))
	for _, impl := range []struct {
		name      string
		walk      func([]string) ([]File, error)
		statSizes func([]File) error
		list      func([]string) ([]File, error)
	}{
		{"", Walk, StatSizes, ListFiles},
		{"portable/", walkPortable, statSizesPortable, listPortable},
		{"reference/", walkReference, statSizesReference, listReference},
	} {
		b.Run(impl.name+"Walk", func(b *testing.B) {
			for b.Loop() {
				if _, err := impl.walk(paths); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(impl.name+"StatSizes", func(b *testing.B) {
			for b.Loop() {
				copy(work, walked)
				if err := impl.statSizes(work); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(impl.name+"ListFiles", func(b *testing.B) {
			for b.Loop() {
				if _, err := impl.list(paths); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(impl.name+"RankOf2", func(b *testing.B) { // cmd/wordcount's listing on rank 0 of 2, less the Allgather
			for b.Loop() {
				files, err := impl.walk(paths)
				if err != nil {
					b.Fatal(err)
				}
				if err := impl.statSizes(files[:len(files)/2]); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// statSizesReference is StatSizes as StatSize on each file.
func statSizesReference(files []File) error {
	for i, f := range files {
		if f.Size == Unstated {
			var err error
			if files[i].Size, err = StatSize(f.Path); err != nil {
				return err
			}
		}
	}
	return nil
}

// A FIFO or device named as a path is listed as a Stream, never dropped;
// Plan leaves streams out of the byte split; CountStream refuses a device.
func TestStreams(t *testing.T) {
	dir := t.TempDir()
	fifo, file := filepath.Join(dir, "pipe"), filepath.Join(dir, "a.txt")
	mkfifo(t, fifo)
	os.WriteFile(file, []byte("one two\n"), 0o644)
	files, err := ListFiles([]string{fifo, "/dev/null", file})
	if err != nil {
		t.Fatal(err)
	}
	want := []File{{fifo, Stream}, {"/dev/null", Stream}, {file, 8}}
	if !slices.Equal(files, want) {
		t.Fatalf("ListFiles = %v, want %v", files, want)
	}
	plan := Plan(files, 2, 0)
	if got := Bytes(plan[0]) + Bytes(plan[1]); got != 8 {
		t.Errorf("the plan spans %d bytes, want the file's 8", got)
	}
	var c Counts
	if err := CountStream(&c, "/dev/null", nil); !errors.Is(err, ErrDevice) || !strings.Contains(err.Error(), "/dev/null") {
		t.Errorf("CountStream(/dev/null) = %v, want ErrDevice naming it", err)
	}
}
