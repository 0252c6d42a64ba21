// Package outfile is what the gorun programs do with an --out flag, as GNU
// tools do with `sort -o`: Check refuses, before any work, an output that
// cannot be written or that is also an input; Write writes it through
// internal/atomicfile (atomic replace of a regular file or a new path,
// through symbolic links; devices, FIFOs and /dev/stdout written
// directly; nothing half-written and no temporary file left, even on
// SIGKILL).
package outfile
