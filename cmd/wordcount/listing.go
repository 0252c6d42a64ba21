package main

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/gorun-dev/gorun/cmd/internal/cli"
	"github.com/gorun-dev/gorun/comm"
	"github.com/gorun-dev/gorun/kernels/wordcount"
)

// What a rank's listing message holds after its first byte.
const (
	listSizes byte = iota // the sizes of its share, 8 bytes each
	listErr               // why walking or stat'ing its share failed
)

// listFiles returns the input files, the same list on every rank. Every
// rank walks the directories (names only, cheap), stats its contiguous
// share of the files found (the part that costs: a stat per file, most of
// a large directory's listing time), and one Allgather pools the sizes.
//
// On failure every rank returns failed; err is then, on rank 0, the error
// of the lowest rank that failed (its share comes first, so it is the
// error a serial listing would report) as bad input, and nil elsewhere, so
// the job reports it once.
func listFiles(ctx context.Context, c *comm.Comm, cfg config) (files []wordcount.File, failed bool, err error) {
	files, err = wordcount.Walk(cfg.Paths)
	lo, hi := 0, 0
	var msg []byte
	if err == nil {
		lo, hi = len(files)*c.Rank()/c.Size(), len(files)*(c.Rank()+1)/c.Size()
		msg, err = statShare(files[lo:hi])
	}
	if err != nil {
		msg = append([]byte{listErr}, err.Error()...)
	}
	msgs, cerr := comm.Allgather(ctx, c, msg)
	if cerr != nil {
		return nil, true, cerr
	}
	if bad := firstBad(msgs); bad != "" {
		return nil, true, badInput(c, err, bad)
	}
	for r, m := range msgs {
		lo, hi := len(files)*r/c.Size(), len(files)*(r+1)/c.Size()
		if len(m) != 1+8*(hi-lo) {
			return nil, true, fmt.Errorf("listing from rank %d: %d bytes for %d files", r, len(m), hi-lo)
		}
		for i := range files[lo:hi] {
			files[lo+i].Size = int64(binary.LittleEndian.Uint64(m[1+8*i:]))
		}
	}
	files, err = wordcount.Regular(files, cfg.Paths)
	if err != nil {
		return nil, true, badInput(c, err, err.Error())
	}
	return files, false, nil
}

// statShare stats the files of share that Walk left unstated, setting
// their sizes in place (StatSizes), and encodes the share's sizes as a
// listSizes message.
func statShare(share []wordcount.File) ([]byte, error) {
	if err := wordcount.StatSizes(share); err != nil {
		return nil, err
	}
	msg := make([]byte, 1, 1+8*len(share))
	msg[0] = listSizes
	for _, f := range share {
		msg = binary.LittleEndian.AppendUint64(msg, uint64(f.Size))
	}
	return msg, nil
}

// firstBad is the error of the lowest rank whose listing failed, or "".
func firstBad(msgs [][]byte) string {
	for _, m := range msgs {
		if len(m) > 0 && m[0] == listErr {
			return string(m[1:])
		}
	}
	return ""
}

// badInput is the bad-input error msg as rank 0 returns it (exit status
// 2), with local, this rank's own error, where msg is its text, so that
// errors.Is and As still see it; nil on other ranks.
func badInput(c *comm.Comm, local error, msg string) error {
	if local != nil && local.Error() == msg {
		return cli.ExitBadInput(c, local)
	}
	return cli.ExitBadInput(c, errors.New(msg))
}
