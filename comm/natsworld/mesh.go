package natsworld

import (
	"context"
	"fmt"
	"time"

	"github.com/gorun-dev/gorun/comm"
	"github.com/gorun-dev/gorun/comm/jobenv"
	"github.com/gorun-dev/gorun/comm/natsbus"
)

// ConnectMesh is Connect across the servers of a route mesh, as the ranks
// of a multi-host job are: rank r connects to servers[r%len(servers)], the
// ready barrier is answered from servers[0], and the ranks are released
// only once every server knows every rank's inbox. All servers share
// servers[0]'s token.
func ConnectMesh(ctx context.Context, servers []*natsbus.Server, job string, n int) ([]*comm.Comm, error) {
	if len(servers) == 0 {
		return nil, fmt.Errorf("natsworld: no servers")
	}
	urls := make([]string, len(servers))
	for i, s := range servers {
		urls[i] = s.URL()
	}
	return connect(ctx, urls, servers[0].Token(), job, n, func(ctx context.Context) error {
		return awaitInterest(ctx, servers, n, func(r int) string { return jobenv.SubjectFrame(job, r, 0) })
	}, func(ctx context.Context) error {
		// A ready request sent before its server knows the launcher's
		// subscription fails with no responders.
		return awaitInterest(ctx, servers, 1, func(int) string { return jobenv.SubjectReady(job) })
	})
}

// awaitInterest waits until every server knows a subscription on each of
// the n subjects.
func awaitInterest(ctx context.Context, servers []*natsbus.Server, n int, subject func(int) string) error {
	for _, s := range servers {
		for r := range n {
			for !s.Interest(subject(r)) {
				if err := ctx.Err(); err != nil {
					return fmt.Errorf("natsworld: %s not known on every server: %w", subject(r), context.Cause(ctx))
				}
				time.Sleep(time.Millisecond)
			}
		}
	}
	return nil
}
