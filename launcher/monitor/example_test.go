package launcher_test

import (
	"fmt"
	"time"

	"github.com/gorun-dev/gorun/launcher"
)

// gorun --monitor run writes four files; a trailing ".csv" is optional.
func ExampleMonitorFiles() {
	fmt.Println(launcher.MonitorFiles("out/run"))
	fmt.Println(launcher.MonitorFiles("out/run.csv"))
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
			&launcher.Monitor{Path: "pi-run", Interval: 50 * time.Millisecond},
			&launcher.Progress{Bar: false},
		},
	}
	fmt.Println(cfg.Validate() == nil, len(cfg.Observers))
	// Output: true 2
}
