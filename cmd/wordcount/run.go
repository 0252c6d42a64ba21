package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/gorun-dev/gorun/cmd/internal/cli"
	"github.com/gorun-dev/gorun/cmd/internal/outfile"
	"github.com/gorun-dev/gorun/comm"
	"github.com/gorun-dev/gorun/kernels/wordcount"
)

// config is one wordcount job.
type config struct {
	Paths      []string
	Top        int       // rows to keep; 0 = all
	Out        string    // output file; "" or "-" = Stdout
	ChunkBytes int64     // read buffer and largest piece
	Stdout     io.Writer // where rank 0 writes when Out is empty
}

func (cfg config) validate() error {
	switch {
	case len(cfg.Paths) == 0:
		return errors.New("no input PATH (see --help)")
	case cfg.Top < 0:
		return fmt.Errorf("--top %d: must be 0 (all) or more", cfg.Top)
	case cfg.ChunkBytes < 1 || cfg.ChunkBytes > 1<<30:
		return fmt.Errorf("--chunk-bytes %d: must be between 1 and 1 GiB", cfg.ChunkBytes)
	}
	return outfile.Check(cfg.Out, cfg.Paths...)
}

// run is the SPMD body of wordcount: the same on every rank.
func run(ctx context.Context, c *comm.Comm, cfg config) error {
	if err := cfg.validate(); err != nil {
		return cli.ExitBadInput(c, err)
	}
	files, failed, err := listFiles(ctx, c, cfg)
	if failed {
		return err
	}

	counts, err := countShare(ctx, c, files, cfg.ChunkBytes)
	if ctx.Err() != nil { // cancelled (Ctrl-C, abort): not bad input
		return ctx.Err()
	}
	mine, failed, err := shuffle(ctx, c, counts, err)
	if failed || err != nil {
		return err
	}
	// This partition's rows, sorted (its best K with --top), on every rank at
	// once; rank 0 then only merges.
	rows := mine
	if cfg.Top > 0 {
		rows = wordcount.Top(nil, mine, cfg.Top)
	} else {
		wordcount.Sort(rows)
	}
	if c.Size() == 1 {
		return writeOutput(cfg.Out, cfg.Stdout, rows)
	}
	var enc []byte // rank 0 keeps its own rows as they are
	if c.Rank() != 0 {
		enc = wordcount.AppendEncoded(nil, rows)
	}
	got, err := comm.Gather(ctx, c, 0, enc)
	if err != nil || c.Rank() != 0 {
		return err
	}
	// Merged straight into the output: no decoded runs, no merged slice.
	return writeWith(cfg.Out, cfg.Stdout, func(w io.Writer) error {
		return wordcount.WriteMergedTSV(w, rows, got[1:], cfg.Top)
	})
}

// countShare counts this rank's share of the plan, reporting progress in
// bytes, after, on rank 0, the streams (FIFOs named as paths, which only
// one reader can read). It stops at the first error or when ctx is done.
func countShare(ctx context.Context, c *comm.Comm, files []wordcount.File, chunk int64) (*wordcount.Counts, error) {
	pieces := wordcount.Plan(files, c.Size(), chunk)[c.Rank()]
	total := wordcount.Bytes(pieces)
	var counts wordcount.Counts
	for _, f := range files {
		if c.Rank() == 0 && f.Size == wordcount.Stream {
			if err := wordcount.CountStream(&counts, f.Path, make([]byte, chunk)); err != nil {
				return nil, err
			}
		}
	}
	buf := make([]byte, min(chunk, max(total, 1)))
	var done int64
	c.Progress(0, total)
	for _, p := range pieces {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if err := wordcount.CountPiece(&counts, p, buf); err != nil {
			return nil, err
		}
		done += p.Len()
		c.Progress(done, total)
	}
	return &counts, nil
}

// Each shuffled part starts with one of these bytes.
const (
	partCounts byte = iota // encoded counts follow
	partErr                // the sender failed to count: its error follows
)

// shuffle sends partition r of counts to rank r and adds what arrives to
// this rank's own partition (a wordcount.Shuffle, which takes counts over),
// then returns that partition: the words it owns, with their global counts.
// A rank whose counting failed (local) sends its error instead, so the one
// collective also tells every rank whether any failed: then every rank
// returns failed, and err is, on rank 0, the lowest failing rank's error as
// bad input (exit status 2), nil elsewhere, so the job reports it once.
func shuffle(ctx context.Context, c *comm.Comm, counts *wordcount.Counts, local error) (mine []wordcount.Entry, failed bool, err error) {
	if local != nil && c.Size() == 1 {
		return nil, true, cli.ExitBadInput(c, local)
	}
	if c.Size() == 1 {
		return counts.AppendEntries(nil), false, nil
	}
	parts := make([][]byte, c.Size())
	for r := range parts {
		if local != nil {
			parts[r] = append([]byte{partErr}, local.Error()...)
		} else {
			parts[r] = []byte{partCounts}
		}
	}
	var sh *wordcount.Shuffle
	if local == nil {
		sh = wordcount.NewShuffle(parts, counts, c.Rank(), c.Size())
	}
	parts[c.Rank()] = nil
	got, err := comm.Alltoall(ctx, c, parts)
	if err != nil {
		return nil, true, err
	}
	for from, b := range got {
		switch {
		case from == c.Rank():
			if local != nil {
				return nil, true, badInput(c, local, local.Error())
			}
		case len(b) == 0:
			return nil, true, fmt.Errorf("partition from rank %d: empty", from)
		case b[0] == partErr:
			return nil, true, badInput(c, local, string(b[1:]))
		}
	}
	for from, b := range got {
		if from == c.Rank() {
			continue
		}
		if err := sh.Add(b[1:]); err != nil {
			return nil, true, fmt.Errorf("partition from rank %d: %w", from, err)
		}
	}
	return sh.AppendEntries(nil), false, nil
}
