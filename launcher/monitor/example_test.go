package monitor_test

import (
	"fmt"
	"time"

	"github.com/gorun-dev/gorun/launcher"
	"github.com/gorun-dev/gorun/launcher/monitor"
)

// gorun --monitor run writes these files; a trailing ".csv" is optional.
func ExampleFiles() {
	fmt.Println(monitor.Files("out/run"))
	fmt.Println(monitor.Files("out/run.csv"))
	// Output:
	// out/run.csv out/run.json out/run.png out/run.svg
	// out/run.csv out/run.json out/run.png out/run.svg
}

// A job with a resource monitor and a progress display, as gorun --monitor
// sets it up.
func ExampleMonitor() {
	cfg := launcher.Config{
		Program:       "bin/pi",
		Args:          []string{"--samples", "1e9"},
		Size:          2,
		Oversubscribe: true,
		Observers: []launcher.Observer{
			&monitor.Monitor{Path: "pi-run", Interval: 50 * time.Millisecond},
			&launcher.Progress{Bar: false},
		},
	}
	fmt.Println(cfg.Validate() == nil, len(cfg.Observers))
	// Output: true 2
}

// A program that ran gorun --monitor out/run reads the figures back.
func ExampleReadReport() {
	rep, err := monitor.ReadReport("testdata/run")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%d ranks (%s), peak RSS of rank 1: %d MiB\n", rep.Size, rep.Mode, rep.Ranks[1].PeakRSS>>20)
	// Output: 2 ranks (processes), peak RSS of rank 1: 8 MiB
}
