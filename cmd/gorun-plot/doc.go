// Command gorun-plot draws the figures of a job that gorun --monitor
// watched: CPU and resident memory over time, per rank and in total; and
// commbench's collectives against the cost model.
//
//	gorun-plot FILE...
//
// For each FILE (the value given to --monitor, with or without ".csv") it
// reads FILE.csv and FILE.json and writes FILE.png and FILE.svg, each
// atomically. gorun runs it after a monitored job when it is installed
// beside gorun or on $PATH; run it by hand to draw the figures again.
// It exits 2 when a file is missing or malformed, naming it.
//
//	gorun-plot --commbench FIT.json [--link RATE]
//
// draws FIT.png and FIT.svg from what commbench --fit FIT.json wrote:
// each collective's time against message size, measured (solid) and as
// the alpha-beta model predicts it (dashed, the legend naming the
// algorithm and the fitted latency and bandwidth); --link RATE puts the
// link speed the hosts were shaped to in the title.
package main
