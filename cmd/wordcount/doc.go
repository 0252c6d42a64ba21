// Command wordcount counts words in text files, MapReduce style, on the ranks
// of a gorun job (or alone, as one rank):
//
//	wordcount [--top K] [--out F] [--chunk-bytes N] PATH...
//
// PATHs are files or directories (read recursively, files in sorted path
// order, leaving out hidden names and anything but regular files, as grep
// -r does). A PATH that is a FIFO, or /dev/stdin as a pipe, is read whole
// by rank 0; a PATH that is a device (/dev/zero, a terminal) is refused
// with exit status 2, since it may never end: pipe what to count from it
// into /dev/stdin. A PATH is never skipped. A word is a maximal run of letters and numbers, lower-cased (see
// package kernels/wordcount). The output is TSV "word<TAB>count", count
// descending then word ascending in byte order; --top K keeps the first K
// rows. It goes to stdout, or to F (cmd/internal/outfile): atomically, so F
// is never half-written; F is refused with exit status 2 before any work
// when its directory cannot be written, or when it is an input or inside an
// input directory.
//
// The model, rank by rank:
//
//  1. Every rank walks the PATHs (names only) and stats its share of the
//     files found; an Allgather pools the sizes, so every rank plans from
//     the same list. On bad input rank 0 returns the error of the lowest
//     failing rank with exit status 2 and the other ranks return nil.
//  2. Every rank computes the same plan (kernels/wordcount.Plan): the input
//     bytes split evenly among ranks, as whole files or byte ranges cut at
//     word boundaries, no piece over --chunk-bytes; it reads its pieces
//     through one --chunk-bytes buffer and counts into a table, reporting
//     progress in bytes (Comm.Progress).
//  3. Shuffle: each rank encodes its table as Size byte strings, one per hash
//     partition, and exchanges them with Alltoall; rank r adds what arrives
//     to its own table and keeps partition r: the words it owns, with their
//     global counts. A rank whose counting failed sends its first error
//     instead, so the same Alltoall tells every rank; on bad input rank 0
//     returns the error of the lowest failing rank with exit status 2 and
//     the other ranks return nil.
//  4. Each rank sorts its partition (with --top K, keeps its best K:
//     partitions are disjoint, so the global top K is among them), all ranks
//     at once; Gather brings the encoded sorted rows to rank 0, which merges
//     them (a heap merge, no re-sort) straight into the output
//     (kernels/wordcount.WriteMergedTSV). Alone, the one rank sorts and
//     writes.
//
// The output is the same at every rank count and in both gorun modes.
package main
