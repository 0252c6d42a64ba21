package main

import (
	"context"
	"fmt"
	"os"
	"runtime/pprof"

	"github.com/gorun-dev/gorun/comm"
	"github.com/gorun-dev/gorun/comm/commtest"
	"github.com/gorun-dev/gorun/comm/natsbus"
)

// run benchmarks an in-process world (goroutines or nats mode) and prints
// the rows on cfg.Stdout.
func run(ctx context.Context, cfg config) error {
	stop, err := startProfile(cfg.Profile)
	if err != nil {
		return err
	}
	defer stop()
	p := newPrinter(cfg.Stdout, cfg.Format)
	var srv *natsbus.Server
	if cfg.Mode == modeNATS || cfg.Raw {
		if srv, err = natsbus.Start(natsbus.Options{}); err != nil {
			return err
		}
		defer srv.Shutdown()
	}
	body := func(ctx context.Context, c *comm.Comm) error {
		return benchRank(ctx, c, &cfg, cfg.Mode, p.row)
	}
	switch cfg.Mode {
	case modeGoroutines:
		err = comm.Run(ctx, cfg.Ranks, body)
	case modeNATS:
		var comms []*comm.Comm
		if comms, err = commtest.ConnectNATSWorld(ctx, srv.URL(), srv.Token(), "commbench", cfg.Ranks); err != nil {
			return err
		}
		err = comm.RunWorld(ctx, comms, body)
	default:
		return fmt.Errorf("mode %q does not run in one process", cfg.Mode)
	}
	if err != nil || !cfg.Raw {
		return err
	}
	return benchRaw(ctx, &cfg, srv.URL(), srv.Token(), p.row)
}

// runRank is one rank of a process-mode job (under comm.Main). Rank 0
// prints, and also measures raw NATS on a server of its own while the
// other ranks wait.
func runRank(ctx context.Context, c *comm.Comm, cfg config) error {
	profile := cfg.Profile
	if profile != "" && c.Rank() > 0 {
		profile = fmt.Sprintf("%s.rank%d", profile, c.Rank())
	}
	stop, err := startProfile(profile)
	if err != nil {
		return err
	}
	defer stop()
	var p *printer
	if c.Rank() == 0 {
		p = newPrinter(cfg.Stdout, cfg.Format)
	}
	emit := func(r row) error { return p.row(r) }
	if err := benchRank(ctx, c, &cfg, modeProcesses, emit); err != nil {
		return err
	}
	if !cfg.Raw || !(cfg.has(opLatency) || cfg.has(opBandwidth)) {
		return nil
	}
	if c.Rank() == 0 {
		if err := rawOnOwnServer(ctx, &cfg, emit); err != nil {
			return err
		}
	}
	return c.Barrier(ctx)
}

func rawOnOwnServer(ctx context.Context, cfg *config, emit func(row) error) error {
	srv, err := natsbus.Start(natsbus.Options{})
	if err != nil {
		return err
	}
	defer srv.Shutdown()
	return benchRaw(ctx, cfg, srv.URL(), srv.Token(), emit)
}

// startProfile writes a CPU profile to path until stop is called ("" for
// none).
func startProfile(path string) (stop func(), err error) {
	if path == "" {
		return func() {}, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("--cpuprofile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("--cpuprofile: %w", err)
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}, nil
}
