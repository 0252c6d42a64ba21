package launcher

import (
	"strings"
	"testing"

	"github.com/nats-io/nats.go"
)

func TestUsageReportsTraffic(t *testing.T) {
	u := newUsageReports()
	for _, m := range []string{
		"0 1000 1:10,2:100,3:1000", // ranks 0,1 on node 0; 2,3 on node 1
		"2 2000 3:5,0:7",
		"3 3000",
		"1 x 0:1",  // malformed: ignored
		"1 9 0:1:", // malformed: ignored
	} {
		rank, _, _ := strings.Cut(m, " ")
		u.onUsage(&nats.Msg{Subject: "gorun.j.usage." + rank, Data: []byte(m)})
	}
	within, between, ok := u.traffic(func(r int) int { return r / 2 })
	if !ok || within != 10+5 || between != 100+1000+7 {
		t.Fatalf("traffic = %d within, %d between, %v; want 15, 1107, true", within, between, ok)
	}
	if p, ok := u.peak(3); !ok || p != 3000 {
		t.Errorf("peak(3) = %d, %v", p, ok)
	}
	if _, ok := u.peak(1); ok {
		t.Errorf("a malformed report was recorded")
	}
	if n := len(u.allPeaks()); n != 3 {
		t.Errorf("%d peaks, want 3", n)
	}
}
