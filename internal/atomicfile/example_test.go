package atomicfile_test

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/gorun-dev/gorun/internal/atomicfile"
)

// Write replaces a file only once the new content is whole and on disk;
// a reader never sees a part of it.
func ExampleWrite() {
	dir, _ := os.MkdirTemp("", "example")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "counts.tsv")
	err := atomicfile.Write(path, func(w io.Writer) error {
		_, err := fmt.Fprintf(w, "the\t3\nword\t1\n")
		return err
	})
	b, _ := os.ReadFile(path)
	fmt.Print(string(b), err)
	// Output:
	// the	3
	// word	1
	// <nil>
}
