// Package plots draws the figure of a job that gorun --monitor watched:
// CPU (top) and resident memory (bottom) over time, one line per rank, a
// thick black total and the machine's capacity, as a PNG or an SVG.
//
// It lives apart from package monitor so that gorun itself does not link
// gonum.org/v1/plot: gorun writes the samples and the summary, and the
// gorun-plot command (which gorun runs after a monitored job when it is
// installed beside it) reads them back and draws.
package plots
