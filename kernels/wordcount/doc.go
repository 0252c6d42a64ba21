// Package wordcount is the pure compute of a MapReduce word count: tokenize,
// count, partition by hash, merge, sort and top-k. It never imports comm; the
// SPMD wiring (who reads what, the shuffle, the gather) lives in cmd/wordcount.
//
// # Words
//
// A word is a maximal run of runes r with unicode.IsLetter(r) ||
// unicode.IsNumber(r), lower-cased as strings.ToLower would lower it; every
// other rune separates words ("don't" is "don" and "t", "U.S." is "u" and "s",
// "_" separates, "1,000" is "1" and "000"). This is Python's c.isalnum() and
// str.lower() on every code point both languages know, except two lowerings
// Python does differently: U+0130 "İ" (Go "i", Python "i̇") and a word-final
// capital sigma (Go "σ", Python "ς"); neither occurs in the SOTU corpus.
// ASCII text is tokenized 64 bytes at a time with bitmasks (see blocks.go);
// a block holding a byte >= 0x80 is decoded rune by rune. Input must be
// valid UTF-8: the first invalid byte is a *UTF8Error that names the file,
// the line and the byte offset.
//
// # Splitting large inputs
//
// Plan cuts a list of files into per-rank pieces balanced by bytes: whole files,
// or byte ranges of a file. A range [Lo, Hi) is widened or narrowed to word
// boundaries: unless Lo is 0 it starts after the first ASCII separator byte at
// or after Lo, and unless Hi is the file size it ends at the first ASCII
// separator byte at or after Hi. Adjacent ranges therefore cover every byte but
// those separators exactly once and never cut a word or a UTF-8 sequence (an
// empty range, Lo == Hi, is empty). A
// range is read through one bounded buffer (DefaultBufferSize), carrying a
// partial word across buffer boundaries, so no input ever sits whole in memory.
//
// # Counting and shuffling
//
// Counts is a word -> count table whose hot path (a word already present) does
// not allocate. AppendParts encodes a table as P compact byte strings, one per
// hash partition (PartOf, a hash of the word's packed keys that is the same in
// every process); Decode merges such bytes back into a table, and
// AppendPartEntries lists one partition of a table. A rank's side of the
// shuffle is one Shuffle (NewShuffle): one pass over its table encodes the
// other partitions and keeps its own, to which Add adds what arrives. Entries are ordered by count descending, then word
// ascending in byte order (Compare); Top keeps the best k with a heap;
// AppendEncoded and DecodeEntries carry sorted entries as bytes,
// MergeSorted merges sorted runs, and WriteMergedTSV merges sorted runs,
// encoded ones without decoding them first, straight into TSV.
//
// Nothing here is safe for concurrent use on one Counts; use one per goroutine
// and Merge them.
package wordcount
