package main

import (
	"fmt"
	"os"

	"github.com/spf13/pflag"
)

func main() {
	var cfg config
	fs := pflag.NewFlagSet("demo", pflag.ContinueOnError)
	fs.StringVar(&cfg.bin, "bin", "bin", "directory holding gorun, tracts and wordcount")
	fs.StringVar(&cfg.data, "data", "testdata", "the repository's testdata directory")
	fs.IntVarP(&cfg.ranks, "np", "n", 2, "ranks in each run")
	if err := fs.Parse(os.Args[1:]); err != nil {
		if err == pflag.ErrHelp {
			os.Exit(0)
		}
		fmt.Fprintln(os.Stderr, "demo:", err)
		os.Exit(2)
	}
	if err := run(cfg, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "demo:", err)
		os.Exit(1)
	}
}
