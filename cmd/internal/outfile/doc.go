// Package outfile writes the output files of the gorun programs so that a
// failure never leaves a half-written file: the data goes to a temporary
// file in the same directory, which is renamed over the path only when it
// is complete.
package outfile
