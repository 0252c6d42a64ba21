package wordcount

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
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
