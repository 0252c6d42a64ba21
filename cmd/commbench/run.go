package main

import (
	"context"
	"fmt"
	"os"
	"runtime/pprof"

	"github.com/gorun-dev/gorun/comm"
	"github.com/gorun-dev/gorun/comm/jobenv"
	"github.com/gorun-dev/gorun/comm/natsbus"
	"github.com/gorun-dev/gorun/comm/natsworld"
)

// run benchmarks an in-process world (goroutines or nats mode) and prints
// the rows on cfg.Stdout.
func run(ctx context.Context, cfg config) error {
	stop, err := startProfile(cfg.Profile)
	if err != nil {
		return err
	}
	defer stop()
	var srv *natsbus.Server
	if cfg.Mode == modeNATS || cfg.wantRaw() {
		if srv, err = natsbus.Start(natsbus.Options{}); err != nil {
			return err
		}
		defer srv.Shutdown()
	}
	var raw *rawBus
	if cfg.wantRaw() {
		if raw, err = dialRaw(srv.URL(), srv.Token()); err != nil {
			return err
		}
		defer raw.close()
	}
	rec := newRecorder(&cfg, newPrinter(cfg.Stdout, cfg.Format).row)
	mode, opts := cfg.Mode, []comm.WorldOption(nil)
	if cfg.MessagesOnly {
		mode, opts = modeGoroutinesMessages, append(opts, comm.MessagesOnly())
	}
	body := func(ctx context.Context, c *comm.Comm) error {
		w, err := benchRank(ctx, c, &cfg, mode, raw, rec.row)
		if err == nil && c.Rank() == 0 {
			err = rec.finish(w)
		}
		return err
	}
	switch cfg.Mode {
	case modeGoroutines:
		return comm.Run(ctx, cfg.Ranks, body, opts...)
	case modeNATS:
		comms, err := natsworld.Connect(ctx, srv.URL(), srv.Token(), "commbench", cfg.Ranks)
		if err != nil {
			return err
		}
		return comm.RunWorld(ctx, comms, body)
	}
	return fmt.Errorf("mode %q does not run in one process", cfg.Mode)
}

// recorder passes rows on to a printer and, with --fit, keeps them for
// the fit written when the run ends.
type recorder struct {
	cfg   *config
	print func(row) error
	rows  []row
}

func newRecorder(cfg *config, print func(row) error) *recorder {
	return &recorder{cfg: cfg, print: print}
}

func (r *recorder) row(x row) error {
	if r.cfg.Fit != "" {
		r.rows = append(r.rows, x)
	}
	return r.print(x)
}

// rowFunc is r.row, or nil off rank 0 (r nil).
func (r *recorder) rowFunc() func(row) error {
	if r == nil {
		return nil
	}
	return r.row
}

// finish writes the fit of the rows of world w (with --fit); a nil r,
// off rank 0, does nothing.
func (r *recorder) finish(w world) error {
	if r == nil || r.cfg.Fit == "" {
		return nil
	}
	return writeFit(r.cfg.Fit, fitReport(r.rows, w, r.cfg.warn), r.cfg.Stderr)
}

// runRank is one rank of a process-mode job (under comm.Main). Rank 0
// prints. The raw NATS rows use the job's own bus: rank 0 sends and rank 1
// echoes, so raw messages cross the same processes and server as comm's.
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
	mode := modeProcesses
	if os.Getenv(jobenv.EnvMode) == jobenv.ModeHybrid {
		mode = modeHybrid
	}
	var rec *recorder
	if c.Rank() == 0 {
		rec = newRecorder(&cfg, newPrinter(cfg.Stdout, cfg.Format).row)
	}
	if !cfg.wantRaw() || c.Size() < 2 {
		w, err := benchRank(ctx, c, &cfg, mode, nil, rec.rowFunc())
		if err == nil {
			err = rec.finish(w)
		}
		return err
	}
	// Raw nats.go crosses the same bus as comm (gorun's server, a third
	// process), so the two are measured like for like.
	url, token, ok := c.BusAddress()
	if !ok {
		return fmt.Errorf("commbench: processes mode needs a NATS world (run it under gorun)")
	}
	pfx := userPrefix(os.Getenv(jobenv.EnvJob))
	var raw *rawBus
	switch c.Rank() {
	case 0:
		if raw, err = dialSender(url, token, pfx); err != nil {
			return err
		}
		defer raw.close()
	case 1:
		echo, err := dialEcho(url, token, pfx, make(chan error, 1))
		if err != nil {
			return err
		}
		defer echo.Close()
	}
	if err := c.Barrier(ctx); err != nil { // both sides subscribed
		return err
	}
	w, err := benchRank(ctx, c, &cfg, mode, raw, rec.rowFunc())
	if err != nil {
		return err
	}
	if err := rec.finish(w); err != nil {
		return err
	}
	return c.Barrier(ctx) // rank 1 keeps its echo until rank 0 is done
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
