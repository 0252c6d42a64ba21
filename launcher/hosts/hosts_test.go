package hosts

import (
	"reflect"
	"strings"
	"testing"
)

func TestParseList(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []Host
		err  string
	}{
		{in: "h1:4,h2:4", want: []Host{{"h1", 4}, {"h2", 4}}},
		{in: "h1,h2", want: []Host{{"h1", 1}, {"h2", 1}}},
		{in: "h1:2,h2,h1:3", want: []Host{{"h1", 5}, {"h2", 1}}},
		{in: "198.18.0.11:2", want: []Host{{"198.18.0.11", 2}}},
		{in: "h1,,h2", err: "entry 2 is empty"},
		{in: "h1:0", err: "must be a number from 1"},
		{in: "h1:x", err: "must be a number from 1"},
		{in: "-oProxyCommand", err: "must not start with '-'"},
		{in: "h 1", err: "not allowed"},
		{in: "h1;rm", err: "not allowed"},
	} {
		got, err := ParseList(tc.in)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("ParseList(%q) = %v, %v; want error containing %q", tc.in, got, err, tc.err)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("ParseList(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
		}
	}
}

func TestParseFile(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []Host
		err  string
	}{
		{in: "# cluster\nh1 slots=4\nh2 slots=2 max_slots=8 # big\n\n", want: []Host{{"h1", 4}, {"h2", 2}}},
		{in: "h1:4\nh2:2\n", want: []Host{{"h1", 4}, {"h2", 2}}},
		{in: "h1\nh2\nh1\n", want: []Host{{"h1", 2}, {"h2", 1}}},
		{in: "  h1   slots=3  ", want: []Host{{"h1", 3}}},
		{in: "# nothing\n", err: "hf: no hosts"},
		{in: "h1\nh2 slots=0\n", err: "hf:2: slots=\"0\""},
		{in: "h1\n\nh2 cores=4\n", err: "hf:3: unknown key \"cores\""},
		{in: "h1 4\n", err: "hf:1: \"4\": want KEY=VALUE"},
		{in: "h1:2 slots=3\n", err: "hf:1: \"h1:2\": slots given twice"},
		{in: "h1:\n", err: "hf:1:"},
	} {
		got, err := ParseFile("hf", strings.NewReader(tc.in))
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("ParseFile(%q) = %v, %v; want error containing %q", tc.in, got, err, tc.err)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("ParseFile(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
		}
	}
}

func TestPlace(t *testing.T) {
	hs := []Host{{"a", 1}, {"b", 2}, {"c", 2}}
	for _, tc := range []struct {
		n    int
		m    Mapping
		over bool
		want []int
		err  string
	}{
		{n: 5, m: BySlot, want: []int{0, 1, 1, 2, 2}},
		{n: 3, m: BySlot, want: []int{0, 1, 1}},
		{n: 5, m: ByNode, want: []int{0, 1, 2, 1, 2}},
		{n: 4, m: ByNode, want: []int{0, 1, 2, 1}},
		{n: 6, m: BySlot, err: "6 ranks but only 5 slots on 3 hosts"},
		{n: 7, m: BySlot, over: true, want: []int{0, 1, 1, 2, 2, 0, 1}},
		{n: 7, m: ByNode, over: true, want: []int{0, 1, 2, 1, 2, 0, 1}},
		{n: 0, err: "at least 1"},
	} {
		got, err := Place(hs, tc.n, tc.m, tc.over)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("Place(%d, %v) = %v, %v; want error containing %q", tc.n, tc.m, got, err, tc.err)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("Place(%d, %v, %v) = %v, %v; want %v", tc.n, tc.m, tc.over, got, err, tc.want)
		}
	}
	if got := PerHost([]int{0, 1, 2, 1, 2}, 3); !reflect.DeepEqual(got, [][]int{{0}, {1, 3}, {2, 4}}) {
		t.Errorf("PerHost = %v", got)
	}
}

// FuzzParseFile: any input either fails with an error naming the file, or
// yields distinct, valid hosts that the placement can use.
func FuzzParseFile(f *testing.F) {
	for _, s := range []string{"h1 slots=4\nh2:2\n", "# c\n\nh1\n", "h1 max_slots=3 slots=2", "a:1,b", "h1 slots=", "\x00:9"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		hs, err := ParseFile("hf", strings.NewReader(s))
		if err != nil {
			if !strings.HasPrefix(err.Error(), "hf") {
				t.Fatalf("error %q does not name the file", err)
			}
			return
		}
		seen := map[string]bool{}
		for _, h := range hs {
			if h.Slots < 1 || h.Slots > maxSlots || checkName(h.Name) != nil || seen[h.Name] {
				t.Fatalf("bad host %+v from %q", h, s)
			}
			seen[h.Name] = true
		}
		n := min(TotalSlots(hs), 1000)
		place, err := Place(hs, n, ByNode, false)
		if err != nil || len(place) != n {
			t.Fatalf("Place(%v, %d): %v, %v", hs, n, place, err)
		}
	})
}
