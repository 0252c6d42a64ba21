package wordcount

import (
	"bytes"
	"compress/gzip"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"
)

const (
	testText   = "../../testdata/text"
	sotuDir    = "/work/shared/data/text/sotu"
	sotuGolden = "/work/shared/data/ref/wordcount_sotu.tsv.gz"
)

var update = flag.Bool("update", false, "rewrite testdata/text/golden.tsv from this code (then cross-check it against the Python rule, see testdata/text/README.md)")

// pipeline is the whole MapReduce in one process: plan, count per rank,
// partition by hash, merge each partition, concatenate, sort. It is what
// cmd/wordcount does over comm.
func pipeline(t *testing.T, files []File, ranks int, maxPiece int64, bufSize int) []byte {
	t.Helper()
	plan := Plan(files, ranks, maxPiece)
	parts := make([][][]byte, ranks) // parts[from][to]
	for r, pieces := range plan {
		var c Counts
		buf := make([]byte, bufSize)
		for _, p := range pieces {
			if err := CountPiece(&c, p, buf); err != nil {
				t.Fatal(err)
			}
		}
		parts[r] = c.AppendParts(nil, ranks)
	}
	var all []Entry
	for to := range ranks {
		var merged Counts
		for from := range ranks {
			if err := Decode(&merged, parts[from][to]); err != nil {
				t.Fatal(err)
			}
		}
		all = merged.AppendEntries(all)
	}
	Sort(all)
	var out bytes.Buffer
	if err := WriteTSV(&out, all); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

func TestGoldenTestdata(t *testing.T) {
	files, err := ListFiles([]string{testText})
	if err != nil {
		t.Fatal(err)
	}
	var txt []File
	for _, f := range files {
		if filepath.Ext(f.Path) == ".txt" {
			txt = append(txt, f)
		}
	}
	if len(txt) != 5 {
		t.Fatalf("found %d .txt files in %s, want 5", len(txt), testText)
	}
	golden := filepath.Join(testText, "golden.tsv")
	if *update {
		if err := os.WriteFile(golden, pipeline(t, txt, 1, 0, DefaultBufferSize), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		ranks    int
		maxPiece int64
		bufSize  int
	}{
		{1, 0, DefaultBufferSize},
		{2, 0, 4096},
		{3, 0, 64},
		{4, 10007, 1000},
		{7, 997, 16},
		{16, 101, 1},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("ranks=%d/piece=%d/buf=%d", tt.ranks, tt.maxPiece, tt.bufSize), func(t *testing.T) {
			got := pipeline(t, txt, tt.ranks, tt.maxPiece, tt.bufSize)
			if !bytes.Equal(got, want) {
				t.Errorf("output differs from golden.tsv: %s", firstDiff(got, want))
			}
		})
	}
}

func TestGoldenSOTU(t *testing.T) {
	if _, err := os.Stat(sotuDir); err != nil {
		t.Skipf("full SOTU corpus not available (%v); testdata/text covers the small case", err)
	}
	want := gunzip(t, sotuGolden)
	files, err := ListFiles([]string{sotuDir})
	if err != nil {
		t.Fatal(err)
	}
	for _, ranks := range []int{3} { // cmd/wordcount tests 1 to 4 ranks
		t.Run(fmt.Sprintf("ranks=%d", ranks), func(t *testing.T) {
			got := pipeline(t, files, ranks, 1<<20, 64<<10)
			if !bytes.Equal(got, want) {
				t.Errorf("output differs from %s: %s", sotuGolden, firstDiff(got, want))
			}
		})
	}
}

func gunzip(t *testing.T, path string) []byte {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	z, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(z)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// firstDiff describes the first line where got and want differ.
func firstDiff(got, want []byte) string {
	g, w := bytes.Split(got, []byte("\n")), bytes.Split(want, []byte("\n"))
	for i := range min(len(g), len(w)) {
		if !bytes.Equal(g[i], w[i]) {
			return fmt.Sprintf("line %d: got %q, want %q", i+1, g[i], w[i])
		}
	}
	return fmt.Sprintf("got %d lines, want %d", len(g), len(w))
}
