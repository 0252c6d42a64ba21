package main

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/gorun-dev/gorun/comm"
	"github.com/gorun-dev/gorun/kernels/wordcount"
	"github.com/spf13/pflag"
)

func main() {
	var cfg config
	fs := pflag.NewFlagSet("wordcount", pflag.ContinueOnError)
	fs.IntVar(&cfg.Top, "top", 0, "print only the first K rows (0: all)")
	fs.StringVar(&cfg.Out, "out", "", "write the TSV to this file (default stdout)")
	fs.Int64Var(&cfg.ChunkBytes, "chunk-bytes", wordcount.DefaultBufferSize, "read buffer and largest piece of work, in bytes")
	fs.Usage = func() {
		fmt.Fprintf(os.Stderr, "usage: wordcount [--top K] [--out F] [--chunk-bytes N] PATH...\n\nFlags:\n%s", fs.FlagUsages())
	}
	if err := fs.Parse(os.Args[1:]); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			os.Exit(0)
		}
		fmt.Fprintf(os.Stderr, "wordcount: %v\n", err)
		os.Exit(2)
	}
	cfg.Paths = fs.Args()
	if err := cfg.validate(); err != nil {
		fmt.Fprintf(os.Stderr, "wordcount: %v\n", err)
		os.Exit(2)
	}
	cfg.Stdout = os.Stdout
	comm.Main(func(ctx context.Context, c *comm.Comm) error { return run(ctx, c, cfg) })
}
