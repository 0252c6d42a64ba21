//go:build unix

package outfile_test

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/gorun-dev/gorun/cmd/internal/outfile"
)

func TestWrite(t *testing.T) {
	path := filepath.Join(t.TempDir(), "out.csv")
	if err := outfile.Write(path, func(w io.Writer) error {
		_, err := io.WriteString(w, "a,b\n")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(path); string(b) != "a,b\n" {
		t.Fatalf("wrote %q", b)
	}
}

func TestCheck(t *testing.T) {
	dir := t.TempDir()
	file := func(name string) string {
		p := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte("x\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	in, other := file("in.csv"), file("other.csv")
	texts := filepath.Join(dir, "texts")
	file("texts/a.txt")
	link := filepath.Join(dir, "link.csv")
	os.Symlink("in.csv", link)
	hard := filepath.Join(dir, "hard.csv")
	os.Link(in, hard)
	fifo := filepath.Join(dir, "fifo")
	syscall.Mkfifo(fifo, 0o644)
	tests := []struct {
		name, out string
		inputs    []string
		want      string // "" for no error, else a part of the error
	}{
		{"stdout", "-", []string{in}, ""},
		{"default stdout", "", []string{in}, ""},
		{"new file", filepath.Join(dir, "new.csv"), []string{in}, ""},
		{"other file", other, []string{in}, ""},
		{"dev-null", "/dev/null", []string{in}, ""},
		{"fifo", fifo, []string{in}, ""},
		{"missing input left to the program", filepath.Join(dir, "new.csv"), []string{"nope.csv"}, ""},
		{"the input", in, []string{other, in}, "is the input " + in},
		{"the input through a link", link, []string{in}, "is the input " + in},
		{"the input linked to", in, []string{link}, "is the input " + link},
		{"the input's hard link", hard, []string{in}, "is the input " + in},
		{"inside an input directory", filepath.Join(texts, "counts.tsv"), []string{texts}, "inside the input directory " + texts},
		{"deep inside an input directory", filepath.Join(texts, "sub", "counts.tsv"), []string{dir}, "inside the input directory " + dir},
		{"hidden inside an input directory", filepath.Join(texts, ".counts.tsv"), []string{texts}, ""},
		{"missing directory", filepath.Join(dir, "nodir", "out.csv"), nil, "directory " + filepath.Join(dir, "nodir") + " does not exist"},
		{"directory is a file", filepath.Join(in, "out.csv"), nil, "not a directory"},
		{"a directory", texts, nil, "is a directory"},
	}
	os.MkdirAll(filepath.Join(texts, "sub"), 0o755)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := outfile.Check(tt.out, tt.inputs...)
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("Check = %v, want nil", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "--out "+tt.out)):
				t.Fatalf("Check = %v, want an error naming --out %s with %q", err, tt.out, tt.want)
			}
		})
	}
	t.Run("read-only directory", func(t *testing.T) {
		if os.Getuid() == 0 {
			t.Skip("root may write in any directory")
		}
		ro := filepath.Join(dir, "ro")
		os.Mkdir(ro, 0o555)
		if err := outfile.Check(filepath.Join(ro, "out.csv")); err == nil || !strings.Contains(err.Error(), "cannot create files in "+ro) {
			t.Fatalf("Check = %v, want cannot create files in %s", err, ro)
		}
	})
}
