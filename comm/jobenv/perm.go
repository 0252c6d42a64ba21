package jobenv

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"
)

// A rank process connects to its job's bus as a user of its own, whose
// permissions (RankPermissions) let it publish frames to its peers only
// as itself and the job's reports, and subscribe only to its own inbox,
// the abort subject and the replies to its own requests: one rank can
// neither read another's traffic nor forge another's frames, abort or
// farewell. Its password is derived from the job's token (RankPassword),
// so the launcher and every host's server compute it without holding a
// list, and the rank receives only its own (Credentials, through the same
// channel as the token).

// SubjectFrame is the subject of frames from rank src to rank dst: under
// dst's inbox, named by the sender, so that the bus lets each rank send
// only as itself and the receiver checks a frame's sender against it.
func SubjectFrame(job string, dst, src int) string {
	return SubjectInbox(job, dst) + "." + strconv.Itoa(src)
}

// SubjectInboxAll is rank's one inbox subscription: every SubjectFrame to
// it.
func SubjectInboxAll(job string, rank int) string { return SubjectInbox(job, rank) + ".*" }

// InboxPrefix is the prefix of the reply subjects of rank's requests (the
// ready barrier's), as nats.CustomInboxPrefix takes it.
func InboxPrefix(job string, rank int) string { return "gorun." + job + ".reply." + strconv.Itoa(rank) }

// SubjectUser prefixes the job's user subjects: every rank may publish and
// subscribe under it (SubjectUser(job)+".>") with plain NATS, beside comm,
// which never uses it; nothing there is protected from other ranks.
func SubjectUser(job string) string { return "gorun." + job + ".user" }

// RankPermissions lists the subjects rank's bus user may publish to and
// subscribe to.
func RankPermissions(job string, rank int) (pub, sub []string) {
	user := SubjectUser(job) + ".>"
	pub = []string{"gorun." + job + ".rank.*." + strconv.Itoa(rank), SubjectReady(job),
		SubjectProgressOf(job, rank), SubjectUsageOf(job, rank), user}
	sub = []string{SubjectInboxAll(job, rank), SubjectAbort(job), InboxPrefix(job, rank) + ".>", user}
	return pub, sub
}

// RankUser is the bus user name of rank.
func RankUser(rank int) string { return "rank-" + strconv.Itoa(rank) }

// RankPassword is the bus password of rank in job whose token is token:
// an HMAC of the job and rank under the token, which only holders of the
// token can compute.
func RankPassword(token, job string, rank int) string {
	h := hmac.New(sha256.New, []byte(token))
	h.Write([]byte(job + "/" + strconv.Itoa(rank)))
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// Credentials is the secret a rank is handed in place of the token:
// "user:password".
func Credentials(token, job string, rank int) string {
	return RankUser(rank) + ":" + RankPassword(token, job, rank)
}

// SplitCredentials splits a secret read by Token: a rank's Credentials
// give its user and password; anything else is a plain token (ok false).
func SplitCredentials(secret string) (user, password string, ok bool) {
	user, password, ok = strings.Cut(secret, ":")
	if !ok || !strings.HasPrefix(user, "rank-") {
		return "", "", false
	}
	return user, password, true
}

// CredentialsOf is the secret a process that holds several ranks (a
// hybrid process) is handed in place of the token: each rank's
// Credentials, comma-separated. Each of its connections authenticates as
// one of its ranks (RankSecret), so the process has the union of its
// ranks' permissions and none beyond.
func CredentialsOf(token, job string, ranks []int) string {
	creds := make([]string, len(ranks))
	for i, r := range ranks {
		creds[i] = Credentials(token, job, r)
	}
	return strings.Join(creds, ",")
}

// RankSecret is what rank's connection authenticates with, from a secret
// read by Token: its own Credentials from a CredentialsOf list ("" when
// the list lacks them), and any other secret (a rank's Credentials, a
// token) unchanged.
func RankSecret(secret string, rank int) string {
	list := strings.Split(secret, ",")
	if len(list) < 2 {
		return secret
	}
	for _, c := range list {
		if _, _, ok := SplitCredentials(c); !ok {
			return secret // a token that holds a comma
		}
	}
	for _, c := range list {
		if strings.HasPrefix(c, RankUser(rank)+":") {
			return c
		}
	}
	return ""
}
