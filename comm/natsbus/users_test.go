package natsbus_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/gorun-dev/gorun/comm/jobenv"
	"github.com/gorun-dev/gorun/comm/natsbus"
	"github.com/nats-io/nats.go"
)

// connectRank connects as rank's own bus user and returns the connection
// and the asynchronous errors the server sends it (permission violations).
func connectRank(t *testing.T, srv *natsbus.Server, job string, rank int) (*nats.Conn, <-chan error) {
	t.Helper()
	errs := make(chan error, 16)
	user, pass, ok := jobenv.SplitCredentials(jobenv.Credentials(srv.Token(), job, rank))
	if !ok {
		t.Fatal("credentials do not split")
	}
	nc, err := nats.Connect(srv.URL(), nats.UserInfo(user, pass), nats.NoReconnect(),
		nats.CustomInboxPrefix(jobenv.InboxPrefix(job, rank)),
		nats.ErrorHandler(func(_ *nats.Conn, _ *nats.Subscription, err error) { errs <- err }))
	if err != nil {
		t.Fatalf("rank %d connecting with its credentials: %v", rank, err)
	}
	t.Cleanup(nc.Close)
	return nc, errs
}

// violation waits for the server's permissions violation naming subject.
func violation(t *testing.T, errs <-chan error, what, subject string) {
	t.Helper()
	select {
	case err := <-errs:
		if !errors.Is(err, nats.ErrPermissionViolation) || !strings.Contains(err.Error(), subject) {
			t.Errorf("%s %s: got %v, want a permissions violation", what, subject, err)
		}
	case <-time.After(10 * time.Second):
		t.Errorf("%s %s: no permissions violation within 10s", what, subject)
	}
}

// TestRankPermissions: on a real server (and across a route), a rank's
// credentials may send frames to its peers as itself, report and ask for
// the ready barrier, but not read another rank's inbox or the job's
// replies, nor send as another rank, nor publish the launcher's abort.
func TestRankPermissions(t *testing.T) {
	const job = "j1"
	servers, err := natsbus.StartMesh(2, natsbus.Options{Job: job, Ranks: []int{0, 1, 2}})
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		for _, s := range servers {
			s.Shutdown()
		}
	}()
	for i, srv := range servers {
		rank1, errs := connectRank(t, srv, job, 1)
		// Another rank's inbox (rank 2's, then rank 0's) on the other
		// server: what rank 1 may send reaches it.
		peer := 2 - 2*i
		rank2, _ := connectRank(t, servers[1-i], job, peer)
		got, err := rank2.SubscribeSync(jobenv.SubjectInboxAll(job, peer))
		if err != nil {
			t.Fatal(err)
		}
		rank2.Flush()
		deadline := time.Now().Add(10 * time.Second)
		for !srv.Interest(jobenv.SubjectFrame(job, peer, 1)) && time.Now().Before(deadline) {
			time.Sleep(time.Millisecond)
		}

		if err := rank1.Publish(jobenv.SubjectFrame(job, peer, 1), []byte("as myself")); err != nil {
			t.Fatal(err)
		}
		if m, err := got.NextMsg(10 * time.Second); err != nil || string(m.Data) != "as myself" {
			t.Fatalf("server %d: rank %d got %v, %v; want rank 1's frame", i, peer, m, err)
		}
		for _, subj := range []string{jobenv.SubjectInboxAll(job, 2), jobenv.SubjectFrame(job, 2, 0), "gorun." + job + ".>", ">",
			jobenv.InboxPrefix(job, 2) + ".>"} {
			if _, err := rank1.SubscribeSync(subj); err != nil {
				t.Fatal(err)
			}
			violation(t, errs, "subscribing to", subj)
		}
		for _, subj := range []string{jobenv.SubjectFrame(job, peer, 0), jobenv.SubjectFrame(job, peer, 2), jobenv.SubjectFrame(job, 1, 2), jobenv.SubjectAbort(job), "gorun." + job + ".exit",
			jobenv.SubjectProgressOf(job, 2), jobenv.SubjectUsageOf(job, 0), jobenv.SubjectProgress(job), jobenv.SubjectUsage(job)} {
			if err := rank1.Publish(subj, []byte("forged")); err != nil {
				t.Fatal(err)
			}
			violation(t, errs, "publishing to", subj)
		}
		if _, err := got.NextMsg(200 * time.Millisecond); err == nil {
			t.Errorf("server %d: a forged frame reached rank %d", i, peer)
		}
	}
}

// TestRankCredentialsRefused: a password made with another token, or for
// a rank the server has no user for, does not connect.
func TestRankCredentialsRefused(t *testing.T) {
	srv, err := natsbus.Start(natsbus.Options{Job: "j1", Ranks: []int{0, 1}})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Shutdown()
	for name, secret := range map[string]string{
		"other token": jobenv.Credentials("not the token", "j1", 1),
		"other job":   jobenv.Credentials(srv.Token(), "j2", 1),
		"no user":     jobenv.Credentials(srv.Token(), "j1", 5),
	} {
		user, pass, _ := jobenv.SplitCredentials(secret)
		if nc, err := nats.Connect(srv.URL(), nats.UserInfo(user, pass), nats.NoReconnect()); err == nil {
			nc.Close()
			t.Errorf("%s: connected", name)
		} else if !errors.Is(err, nats.ErrAuthorization) {
			t.Errorf("%s: %v, want an authorization error", name, err)
		}
	}
	nc, err := nats.Connect(srv.URL(), nats.Token(srv.Token()), nats.NoReconnect())
	if err != nil {
		t.Fatalf("the token no longer connects: %v", err)
	}
	nc.Close()
}
