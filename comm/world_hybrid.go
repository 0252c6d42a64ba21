package comm

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/gorun-dev/gorun/comm/jobenv"
	"github.com/gorun-dev/gorun/comm/natstransport"
)

// HybridConfig names the ranks one process of a hybrid job holds.
type HybridConfig struct {
	URL   string // the bus this process's ranks connect to
	Token string
	Job   string
	Size  int   // ranks in the whole world
	Ranks []int // the world ranks this process holds, each once
	// Node and Nodes are this process's host among the job's hosts, for
	// Place; a process holds all the ranks of its host.
	Node, Nodes int
}

// JoinHybrid joins the ranks cfg.Ranks of job cfg.Job as goroutine ranks
// of this process: each connects to the bus for frames to the ranks of
// other processes, while frames between the ranks of this process go
// through memory, as in a goroutine world. Values from Shared are one
// copy per process. It returns the Comms in the order of cfg.Ranks once
// all have passed the ready barrier (jobenv.SubjectReady, one request per
// rank, as JoinNATS sends). Run them with RunWorld.
//
// When the process holds every rank, collectives work in shared memory
// and SharesMemory is true, as in a goroutine world; otherwise
// collectives move messages and SharesMemory is false.
func JoinHybrid(ctx context.Context, cfg HybridConfig, opts ...WorldOption) ([]*Comm, error) {
	here, err := checkHybrid(cfg)
	if err != nil {
		return nil, err
	}
	if err := checkWorldMemory(cfg.Size); err != nil {
		return nil, err
	}
	var wc worldConfig
	for _, o := range opts {
		o(&wc)
	}
	k := len(cfg.Ranks)
	remotes := make([]*natstransport.Transport, k)
	errs := make([]error, k)
	var wg sync.WaitGroup
	for i, r := range cfg.Ranks {
		wg.Go(func() {
			secret := jobenv.RankSecret(cfg.Token, r)
			if secret == "" {
				errs[i] = fmt.Errorf("comm: rank %d: the bus secret this process was handed holds no credentials of rank %d", r, r)
				return
			}
			remotes[i], errs[i] = natstransport.Dial(ctx, cfg.URL, secret, cfg.Job, r, cfg.Size)
			if errs[i] != nil {
				errs[i] = fmt.Errorf("comm: rank %d: connecting to the bus at %s: %w", r, cfg.URL, errs[i])
			}
		})
	}
	wg.Wait()
	closeAll := func() {
		for _, t := range remotes {
			if t != nil {
				t.Close()
			}
		}
	}
	for _, err := range errs {
		if err != nil {
			closeAll()
			return nil, err
		}
	}

	locals := newLocalTransports(cfg.Size)
	whole := k == cfg.Size
	proc := newProcess(k)
	comms := make([]*Comm, k)
	for i, r := range cfg.Ranks {
		ht := &hybridTransport{rank: r, size: cfg.Size, local: locals[r], remote: remotes[i], here: here,
			sentHere: make([]atomic.Int64, cfg.Size)}
		var c *Comm
		if whole {
			c, err = newComm(hybridSharedTransport{ht}, proc)
		} else {
			c, err = newComm(ht, proc)
		}
		if err != nil {
			for _, c := range comms[:i] {
				c.Close()
			}
			closeAll()
			return nil, err
		}
		c.messages = wc.messagesOnly
		c.hybrid = true
		c.place = &Place{LocalRank: i, LocalSize: k, Node: cfg.Node, Nodes: max(cfg.Nodes, 1)}
		comms[i] = c
	}
	for i, r := range cfg.Ranks {
		nc := remotes[i].Conn()
		wg.Go(func() {
			if _, err := nc.RequestWithContext(ctx, jobenv.SubjectReady(cfg.Job), []byte(strconv.Itoa(r))); err != nil {
				errs[i] = fmt.Errorf("comm: rank %d: ready barrier: %w", r, err)
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			for _, c := range comms {
				c.Close()
			}
			return nil, err
		}
	}
	for i, c := range comms {
		nc := remotes[i].Conn()
		c.SetProgress(newProgressReporter(nc, cfg.Job, c.rank))
		c.bus = &bus{url: cfg.URL, token: jobenv.RankSecret(cfg.Token, c.rank), nc: nc}
	}
	return comms, nil
}

// checkHybrid checks cfg and returns which ranks it holds.
func checkHybrid(cfg HybridConfig) ([]bool, error) {
	if cfg.Size < 1 {
		return nil, fmt.Errorf("comm: JoinHybrid: world size %d < 1", cfg.Size)
	}
	if cfg.Job == "" || strings.ContainsAny(cfg.Job, " .*>\t\r\n") {
		return nil, fmt.Errorf("comm: JoinHybrid: bad job id %q", cfg.Job)
	}
	if len(cfg.Ranks) == 0 {
		return nil, fmt.Errorf("comm: JoinHybrid: no ranks")
	}
	here := make([]bool, cfg.Size)
	for _, r := range cfg.Ranks {
		if r < 0 || r >= cfg.Size {
			return nil, fmt.Errorf("comm: JoinHybrid: rank %d out of range [0,%d)", r, cfg.Size)
		}
		if here[r] {
			return nil, fmt.Errorf("comm: JoinHybrid: rank %d listed twice", r)
		}
		here[r] = true
	}
	return here, nil
}

// ParseRanks reads a list of ranks as in GORUN_RANKS: "0,1,2", with
// ranges "0-2" allowed.
func ParseRanks(s string) ([]int, error) {
	var ranks []int
	for _, f := range strings.Split(s, ",") {
		lo, hi, isRange := strings.Cut(f, "-")
		a, err := strconv.Atoi(lo)
		b := a
		if err == nil && isRange {
			b, err = strconv.Atoi(hi)
		}
		if err != nil || a < 0 || b < a {
			return nil, fmt.Errorf("comm: bad rank list %q at %q: want \"0,1,2\" or \"0-2\"", s, f)
		}
		for r := a; r <= b; r++ {
			ranks = append(ranks, r)
		}
	}
	return ranks, nil
}

// joinHybridFromEnv joins the ranks of a hybrid process as the launcher
// describes them (GORUN_RANKS, GORUN_SIZE, GORUN_URL, GORUN_JOB,
// GORUN_NODE, GORUN_NODES and the token).
func joinHybridFromEnv(ctx context.Context, opts ...WorldOption) ([]*Comm, error) {
	cfg := HybridConfig{URL: os.Getenv(jobenv.EnvURL), Job: os.Getenv(jobenv.EnvJob)}
	ranks, err := ParseRanks(os.Getenv(jobenv.EnvRanks))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", jobenv.EnvRanks, err)
	}
	cfg.Ranks = ranks
	if cfg.Size, err = jobenv.Int(jobenv.EnvSize); err != nil {
		return nil, err
	}
	cfg.Nodes = 1
	if os.Getenv(jobenv.EnvNode) != "" {
		if cfg.Node, err = jobenv.Int(jobenv.EnvNode); err != nil {
			return nil, err
		}
		if cfg.Nodes, err = jobenv.Int(jobenv.EnvNodes); err != nil {
			return nil, err
		}
	}
	if cfg.Token, err = jobenv.Token(); err != nil {
		return nil, err
	}
	return JoinHybrid(ctx, cfg, opts...)
}

// withHybridUsageReport runs fn, then has the last of the process's ranks
// to finish report the process's peak RSS, as its first rank, before the
// world closes its connection.
func withHybridUsageReport(comms []*Comm, fn RankFunc) RankFunc {
	var left atomic.Int64
	left.Store(int64(len(comms)))
	first := comms[0].rank
	return func(ctx context.Context, c *Comm) error {
		err := fn(ctx, c)
		if left.Add(-1) == 0 && comms[0].bus != nil {
			// On the first rank's connection: only it may publish as it.
			reportUsage(comms[0].bus.nc, first, comms...)
		}
		return err
	}
}

// reportFirstFailed tells the launcher, on the descriptor jobenv.EnvStatusFD
// names, which rank of this hybrid process failed first: its exit status
// alone cannot say.
func reportFirstFailed(err error) {
	var re *rankError
	if errors.As(err, &re) {
		reportFailedRank(re.rank)
	}
}

// reportFailedRank writes rank on the status descriptor, if there is one.
func reportFailedRank(rank int) {
	fd, err := jobenv.Int(jobenv.EnvStatusFD)
	if err != nil || fd < 3 {
		return
	}
	f := os.NewFile(uintptr(fd), "status")
	fmt.Fprintf(f, "%d\n", rank)
	f.Close()
}
