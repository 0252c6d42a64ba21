package launcher

import (
	"fmt"
	"time"

	"github.com/gorun-dev/gorun/comm/jobenv"
	"github.com/gorun-dev/gorun/comm/natsbus"
	"github.com/nats-io/nats.go"
)

// bus is a process-mode job's side of NATS: the embedded server (or an
// existing one), the launcher's connection, and the ready barrier, which
// listens before any rank starts.
type bus struct {
	srv   *natsbus.Server // nil when Config.Server names an existing NATS
	nc    *nats.Conn
	url   string
	token string
	job   string
	ready *natsbus.Ready
	usage *usageReports // what ranks reported as they exited
	// rankUsers: the server has a user for each rank (natsbus.Options
	// Ranks), so a rank is handed its own credentials, not the token.
	rankUsers bool
}

// secret is what the rank process id (-1: a goroutine-mode process) of job
// is handed to connect with: its own credentials where the server has
// rank users, else the token.
func (b *bus) secret(job string, id int) string {
	if b.rankUsers && id >= 0 {
		return jobenv.Credentials(b.token, job, id)
	}
	return b.token
}

// secret is what rank process r of job j is handed: a hybrid process,
// which holds several ranks, gets each one's credentials where the server
// has rank users (jobenv.CredentialsOf), else the token.
func (j *job) secret(r *rank) string {
	if j.mode == ModeHybrid {
		if j.bus.rankUsers {
			return jobenv.CredentialsOf(j.bus.token, j.id, r.held)
		}
		return j.bus.token
	}
	return j.bus.secret(j.id, r.id)
}

// openBus starts or reaches the server, connects and listens for the ready
// requests of n ranks.
func openBus(cfg *Config, job string, n int, lg *logger) (*bus, error) {
	b := &bus{job: job, url: cfg.Server, token: cfg.Token}
	opts := []nats.Option{
		nats.Name("gorun launcher " + job),
		nats.ErrorHandler(func(_ *nats.Conn, _ *nats.Subscription, err error) {
			lg.warnf("bus: %v", err)
		}),
	}
	if b.url == "" {
		t0 := time.Now()
		srv, err := natsbus.Start(natsbus.Options{Verbose: cfg.Verbose, Job: job, Ranks: allRanks(n)})
		if err != nil {
			return nil, fmt.Errorf("launcher: bus: %w", err)
		}
		b.srv, b.url, b.token, b.rankUsers = srv, srv.URL(), srv.Token(), n > 0
		opts = append(opts, nats.NoReconnect())
		lg.debugf("embedded NATS at %s ready in %v", b.url, time.Since(t0).Round(time.Microsecond))
	}
	if b.token != "" {
		opts = append(opts, nats.Token(b.token))
	}
	nc, err := nats.Connect(b.url, opts...)
	if err != nil {
		b.close()
		return nil, fmt.Errorf("launcher: bus: connecting to %s: %w", b.url, err)
	}
	b.nc = nc
	// Before any rank starts, so no rank's exit report is missed.
	b.usage = newUsageReports()
	if _, err := nc.Subscribe(jobenv.SubjectUsage(job)+".*", b.usage.onUsage); err != nil {
		b.close()
		return nil, fmt.Errorf("launcher: bus: %w", err)
	}
	if b.ready, err = natsbus.ListenReady(nc, job, n); err != nil {
		b.close()
		return nil, fmt.Errorf("launcher: bus: %w", err)
	}
	return b, nil
}

// allRanks is 0..n-1.
func allRanks(n int) []int {
	ids := make([]int, n)
	for i := range ids {
		ids[i] = i
	}
	return ids
}

// abort tells every rank that the job is over: "<rank> <reason>" on the
// job's abort subject (rank -1 when no rank caused it).
func (b *bus) abort(rank int, reason string) error {
	if b.nc == nil {
		return nil // an agent's bus: the launcher tells the ranks
	}
	msg := fmt.Sprintf("%d %s", rank, reason)
	if err := b.nc.Publish(jobenv.SubjectAbort(b.job), []byte(msg)); err != nil {
		return fmt.Errorf("launcher: bus: publishing abort: %w", err)
	}
	if err := b.nc.FlushTimeout(200 * time.Millisecond); err != nil {
		return fmt.Errorf("launcher: bus: publishing abort: %w", err)
	}
	return nil
}

// close drops the connection and stops an embedded server, which closes
// every rank's connection too.
func (b *bus) close() {
	if b.nc != nil {
		b.nc.Close()
	}
	if b.srv != nil {
		b.srv.Shutdown()
	}
}
