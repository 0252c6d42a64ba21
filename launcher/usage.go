package launcher

import (
	"bytes"
	"strconv"
	"strings"
	"sync"

	"github.com/gorun-dev/gorun/comm/jobenv"
	"github.com/nats-io/nats.go"
)

// usageReports are the figures rank processes report on the bus as they
// exit (jobenv.SubjectUsage): "<rank> <peak RSS bytes>", and from a
// process whose transport counts " <dst>:<bytes>,..." for the payload
// bytes its ranks sent to each rank.
type usageReports struct {
	mu    sync.Mutex
	peaks map[int]int64         // by reporting rank
	sent  map[int]map[int]int64 // by reporting rank, then destination
}

func newUsageReports() *usageReports {
	return &usageReports{peaks: map[int]int64{}, sent: map[int]map[int]int64{}}
}

// onUsage records one report; a malformed one, or one naming another rank
// than its subject (fromRank), is ignored (reports are advisory).
func (u *usageReports) onUsage(m *nats.Msg) { u.add(fromRank(m)) }

// fromRank is the payload of a report m that a rank published on its own
// subject (jobenv.SubjectProgressOf, SubjectUsageOf), whose first field is
// that rank; nil for one naming another rank. The bus lets a rank publish
// only on its own subject, so the rank is taken from the subject, and a
// payload that claims another is refused rather than trusted.
func fromRank(m *nats.Msg) []byte {
	r, ok := jobenv.SubjectRank(m.Subject)
	f := bytes.Fields(m.Data)
	if !ok || len(f) == 0 || string(f[0]) != strconv.Itoa(r) {
		return nil
	}
	return m.Data
}

// add records one report, "<rank> <peak> [<dst>:<bytes>,...]".
func (u *usageReports) add(msg []byte) {
	f := strings.Fields(string(msg))
	if len(f) < 2 || len(f) > 3 {
		return
	}
	rank, err1 := strconv.Atoi(f[0])
	peak, err2 := strconv.ParseInt(f[1], 10, 64)
	if err1 != nil || err2 != nil {
		return
	}
	sent := map[int]int64{}
	if len(f) == 3 {
		for _, kv := range strings.Split(f[2], ",") {
			d, b, _ := strings.Cut(kv, ":")
			dst, err1 := strconv.Atoi(d)
			n, err2 := strconv.ParseInt(b, 10, 64)
			if err1 != nil || err2 != nil {
				return
			}
			sent[dst] += n
		}
	}
	u.mu.Lock()
	defer u.mu.Unlock()
	u.peaks[rank] = peak
	if len(sent) > 0 {
		u.sent[rank] = sent
	}
}

// peak is the peak RSS rank reported, if it did.
func (u *usageReports) peak(rank int) (int64, bool) {
	u.mu.Lock()
	defer u.mu.Unlock()
	v, ok := u.peaks[rank]
	return v, ok
}

// allPeaks is every reported peak, by reporting rank.
func (u *usageReports) allPeaks() map[int]int64 {
	u.mu.Lock()
	defer u.mu.Unlock()
	out := make(map[int]int64, len(u.peaks))
	for r, v := range u.peaks {
		out[r] = v
	}
	return out
}

// traffic sums the reported bytes into those sent to a rank on the
// sender's own node and those sent to another node; ok is false when no
// process reported any.
func (u *usageReports) traffic(nodeOf func(rank int) int) (within, between int64, ok bool) {
	u.mu.Lock()
	defer u.mu.Unlock()
	for src, sent := range u.sent {
		for dst, n := range sent {
			if nodeOf(src) == nodeOf(dst) {
				within += n
			} else {
				between += n
			}
		}
	}
	return within, between, len(u.sent) > 0
}
