// Package costplot draws a costmodel.Report: for every collective, its
// measured time against message size next to the time the alpha-beta
// model predicts, one colour per mode (solid: measured, dashed: model).
// Each model line's legend names the algorithms priced and the fitted
// latency and bandwidth; the figure's title names the world and, when
// given, the link speed the hosts were shaped to. A measured line on its
// dashed line is a collective at the network's limit; the gap above it is
// overhead the network does not explain.
package costplot
