package main

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
)

// Targets of the word count against seed_wordcount.py.
var (
	wcSerialTarget = target{Value: 10}
	wcDaskTarget   = target{Value: 25}
)

// corpus makes DIR/wc-xT holding the *.txt files of src T times, as
// symbolic links with distinct names (both programs count a file once per
// name), and returns it with the total size in bytes.
func corpus(tmp, src string, times int) (string, int64, error) {
	names, err := filepath.Glob(filepath.Join(src, "*.txt"))
	if err != nil || len(names) == 0 {
		return "", 0, fmt.Errorf("--text %s: no *.txt files", src)
	}
	sort.Strings(names)
	dir := filepath.Join(tmp, "wc-x"+strconv.Itoa(times))
	if err := os.Mkdir(dir, 0o755); err != nil {
		return "", 0, err
	}
	var size int64
	for r := 0; r < times; r++ {
		for _, n := range names {
			abs, err := filepath.Abs(n)
			if err != nil {
				return "", 0, err
			}
			st, err := os.Stat(abs)
			if err != nil {
				return "", 0, err
			}
			size += st.Size()
			if err := os.Symlink(abs, filepath.Join(dir, fmt.Sprintf("%02d_%s", r, filepath.Base(n)))); err != nil {
				return "", 0, err
			}
		}
	}
	return dir, size, nil
}

// wcWorkload names a corpus size: "wordcount x10 (108 MB)".
func wcWorkload(times int, size int64) string {
	return fmt.Sprintf("wordcount x%d (%.3g MB)", times, float64(size)/1e6)
}

// runWordcount times seed_wordcount.py (serial, Pool(2), dask) and the Go
// program in every mode on the corpus once and --wordcount-times times.
func (b *bench) runWordcount(ctx context.Context) error {
	sizes := []int{1}
	if b.cfg.WCTimes > 1 {
		sizes = append(sizes, b.cfg.WCTimes)
	}
	for _, times := range sizes {
		dir, size, err := b.corpusDir(times)
		if err != nil {
			return err
		}
		w := wcWorkload(times, size)
		base := map[string]sample{}
		for _, mode := range []string{"serial", "pool", "dask"} {
			s := b.python(ctx, "seed_wordcount.py", "--input", dir, "--mode", mode, "--procs", "2")
			base[mode] = s
			b.add(row{Workload: w, Side: "python " + pyWCSide(mode), Unit: "s", S: s, Ratio: math.NaN()})
		}
		for _, mode := range b.cfg.Modes {
			s := b.gorun(ctx, mode, b.cfg.Ranks, "wordcount", b.wcGoArgs(dir)...)
			side := fmt.Sprintf("gorun %s %d", mode, b.cfg.Ranks)
			ts, td := wcSerialTarget, wcDaskTarget
			b.add(row{Workload: w, Side: side, Unit: "s", S: s, Baseline: "python serial", Ratio: speedup(base["serial"], s), Target: &ts})
			b.add(row{Workload: w, Side: side, Unit: "s", S: s, Baseline: "python dask", Ratio: speedup(base["dask"], s), Target: &td})
		}
	}
	return nil
}

// wcGoArgs are cmd/wordcount's arguments for a corpus directory: every
// row written to a file, as the Python side sorts every row.
func (b *bench) wcGoArgs(dir string) []string {
	return []string{"--out", filepath.Join(b.tmp, "wc.tsv"), dir}
}

func pyWCSide(mode string) string {
	if mode == "pool" {
		return "pool2"
	}
	return mode
}

// corpusDir is corpus(tmp, --text, times), made once per run.
func (b *bench) corpusDir(times int) (string, int64, error) {
	if c, ok := b.corpora[times]; ok {
		return c.dir, c.size, nil
	}
	dir, size, err := corpus(b.tmp, b.cfg.Text, times)
	if err == nil {
		b.corpora[times] = corpusInfo{dir, size}
	}
	return dir, size, err
}

type corpusInfo struct {
	dir  string
	size int64
}
