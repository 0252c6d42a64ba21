package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gorun-dev/gorun/internal/buildtest"
	"github.com/gorun-dev/gorun/launcher/monitor"
)

// gorun --monitor FILE writes the samples and the summary itself and the
// figures through gorun-plot; without gorun-plot the job still succeeds,
// with the two files and a warning that says how to get the figures.
func TestMonitorFigures(t *testing.T) {
	if testing.Short() {
		t.Skip("builds gorun-plot")
	}
	plotDir := buildtest.Programs(t, "gorun-plot")
	for _, withPlot := range []bool{true, false} {
		name := "without gorun-plot"
		if withPlot {
			name = "with gorun-plot"
		}
		t.Run(name, func(t *testing.T) {
			if withPlot {
				t.Setenv("PATH", plotDir+string(os.PathListSeparator)+os.Getenv("PATH"))
			} else {
				t.Setenv("PATH", t.TempDir())
			}
			path := filepath.Join(t.TempDir(), "run")
			var stdout, stderr bytes.Buffer
			args := []string{"--monitor", path, "-n", "2", "--oversubscribe", "-x", "GORUN_MAIN_TEST_HELPER=1",
				"-x", "GORACE=atexit_sleep_ms=0", os.Args[0], "0", "0"}
			if code := run(args, strings.NewReader(""), &stdout, &stderr); code != 0 {
				t.Fatalf("exit %d: %s", code, &stderr)
			}
			rep, err := monitor.ReadReport(path)
			if err != nil || rep.Size != 2 {
				t.Fatalf("ReadReport = %+v, %v; want 2 ranks", rep, err)
			}
			_, _, png, svg := monitor.Files(path)
			for _, p := range []string{png, svg} {
				_, err := os.Stat(p)
				if withPlot && err != nil {
					t.Errorf("%s: %v", p, err)
				}
				if !withPlot && err == nil {
					t.Errorf("%s exists without gorun-plot", p)
				}
			}
			if !withPlot && !strings.Contains(stderr.String(), "gorun-plot is not beside gorun or on $PATH") {
				t.Errorf("stderr %q: want a warning about gorun-plot", &stderr)
			}
			if withPlot && !strings.Contains(stderr.String(), "wrote "+path+".csv "+path+".json "+png) {
				t.Errorf("stderr %q: want the four files named", &stderr)
			}
		})
	}
}
