package main

import (
	"context"
	"os"

	"github.com/gorun-dev/gorun/cmd/internal/cli"
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
	cli.ParseOrExit(fs, "wordcount [--top K] [--out F] [--chunk-bytes N] PATH...", func() error {
		cfg.Paths = fs.Args()
		return cfg.validate()
	})
	cfg.Stdout = os.Stdout
	comm.Main(func(ctx context.Context, c *comm.Comm) error { return run(ctx, c, cfg) })
}
