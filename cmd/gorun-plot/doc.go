// Command gorun-plot draws the figures of a job that gorun --monitor
// watched: CPU and resident memory over time, per rank and in total.
//
//	gorun-plot FILE...
//
// For each FILE (the value given to --monitor, with or without ".csv") it
// reads FILE.csv and FILE.json and writes FILE.png and FILE.svg, each
// atomically. gorun runs it after a monitored job when it is installed
// beside gorun or on $PATH; run it by hand to draw the figures again.
// It exits 2 when a file is missing or malformed, naming it.
package main
