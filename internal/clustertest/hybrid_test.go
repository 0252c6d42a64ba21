package clustertest

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestHybrid: wordcount, tracts and pi in hybrid mode across 3 hosts (1,
// 2 and 2 ranks: one process per host) write what they write in process
// mode across the same hosts, byte for byte.
func TestHybrid(t *testing.T) {
	c := needCluster(t)
	text, err := filepath.Abs("../../testdata/text")
	if err != nil {
		t.Fatal(err)
	}
	geo, err := filepath.Abs("../../testdata/geo")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	via := c.via()["template"]
	for _, tc := range []struct {
		name string
		args func(out string) []string
	}{
		{"wordcount", func(out string) []string {
			return []string{filepath.Join(c.bin, "wordcount"), "--out", out, text}
		}},
		{"tracts", func(out string) []string {
			return []string{filepath.Join(c.bin, "tracts"), "--tracts", filepath.Join(geo, "il_2018.geojson"), "--filter", "COUNTYFP=031",
				"--points", filepath.Join(geo, "zips_il.csv"), "--k", "3", "--method", "brute", "--out", out}
		}},
		{"pi", func(string) []string { return []string{filepath.Join(c.bin, "pi"), "--samples", "1e7"} }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			outputs := map[string][]byte{}
			for _, mode := range []string{"processes", "hybrid"} {
				out := filepath.Join(dir, tc.name+"-"+mode)
				args := append(append([]string{"-H", c.hostList(1, 2, 2), "--mode", mode, "-q", "--no-tag"}, via...), tc.args(out)...)
				r := c.gorun(t, 2*time.Minute, args...)
				if r.code != 0 {
					t.Fatalf("%s: exit %d\n%s%s", mode, r.code, r.stdout, r.stderr)
				}
				got, err := os.ReadFile(out)
				if tc.name == "pi" {
					got, err = []byte(firstLine(r.stdout, "pi=")), nil
				}
				if err != nil || len(got) == 0 || bytes.Count(got, []byte("\n")) == 0 && !strings.HasPrefix(string(got), "pi=") {
					t.Fatalf("%s: wrote %d bytes: %v\n%s", mode, len(got), err, r.stderr)
				}
				outputs[mode] = got
			}
			if !bytes.Equal(outputs["processes"], outputs["hybrid"]) {
				t.Errorf("hybrid wrote %d bytes, processes %d, not the same", len(outputs["hybrid"]), len(outputs["processes"]))
			}
		})
	}
}
