package slurm

import (
	"reflect"
	"strings"
	"testing"
)

func TestExpandNodeList(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"n1", []string{"n1"}},
		{"n[01-03,07]", []string{"n01", "n02", "n03", "n07"}},
		{"n[08-10]", []string{"n08", "n09", "n10"}},
		{"n[1-2],gpu5", []string{"n1", "n2", "gpu5"}},
		{"a,b[3],c", []string{"a", "b3", "c"}},
		{"r[1-2]-n[1-2]", []string{"r1-n1", "r1-n2", "r2-n1", "r2-n2"}},
		{"node.example.org", []string{"node.example.org"}},
		{" h[1-2] ", []string{"h1", "h2"}},
		{"[1-2]", []string{"1", "2"}},
		{"n[9-11]x", []string{"n9x", "n10x", "n11x"}},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ExpandNodeList(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestExpandNodeListErrors(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", "empty node list"},
		{"n[1-3", "'[' without ']'"},
		{"n1]", "']' without '['"},
		{"n[3-1]", "runs backwards"},
		{"n[]", "empty brackets"},
		{"n[a-b]", "bad node index"},
		{"n[[1]]", "nested"},
		{"n1,,n2", "empty host name"},
		{"n[1-2],n2", `node "n2" listed twice`},
		{"n[0-99999999]", "more than"},
		{"n;rm", "bad character"},
		{"n[1-2]-x[1-999999]", "more than"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			_, err := ExpandNodeList(tt.in)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestParseCounts(t *testing.T) {
	tests := []struct {
		in    string
		nodes int
		want  []int
		err   string
	}{
		{"2(x3),1", 4, []int{2, 2, 2, 1}, ""},
		{"4", 1, []int{4}, ""},
		{"1,2,3", -1, []int{1, 2, 3}, ""},
		{"2(x2)", 3, nil, "gives 2 nodes, the node list has 3"},
		{"2(3)", -1, nil, "bad item"},
		{"x", -1, nil, "bad count"},
		{"2(x0)", -1, nil, "bad repeat"},
		{"2(x9999999999)", -1, nil, "bad repeat"},
		{"", -1, nil, "empty"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseCounts(tt.in, tt.nodes)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err = %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil || !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("got %v, %v; want %v", got, err, tt.want)
			}
		})
	}
}

func env(m map[string]string) Getenv { return func(k string) string { return m[k] } }

func TestReadAllocation(t *testing.T) {
	a, err := ReadAllocation(env(map[string]string{
		"SLURM_JOB_ID":            "42",
		"SLURM_JOB_NODELIST":      "h[1-2],g7",
		"SLURM_TASKS_PER_NODE":    "2(x2),1",
		"SLURM_NTASKS":            "5",
		"SLURM_JOB_CPUS_PER_NODE": "4(x2),2",
	}))
	if err != nil {
		t.Fatal(err)
	}
	want := []Node{{"h1", 2, 4}, {"h2", 2, 4}, {"g7", 1, 2}}
	if !reflect.DeepEqual(a.Nodes, want) || a.Tasks != 5 || a.Slots() != 5 || a.NodeList != "h[1-2],g7" {
		t.Fatalf("got %+v", a)
	}
	if a.CPUs("h2") != 4 || a.CPUs("nope") != 0 {
		t.Fatalf("CPUs: h2 %d, nope %d", a.CPUs("h2"), a.CPUs("nope"))
	}

	// Without tasks, CPUs per node divided by CPUs per task.
	a, err = ReadAllocation(env(map[string]string{
		"SLURM_JOB_ID":            "43",
		"SLURM_NODELIST":          "n[1-3]",
		"SLURM_JOB_CPUS_PER_NODE": "8(x2),2",
		"SLURM_CPUS_PER_TASK":     "4",
	}))
	if err != nil {
		t.Fatal(err)
	}
	want = []Node{{"n1", 2, 8}, {"n2", 2, 8}, {"n3", 1, 2}}
	if !reflect.DeepEqual(a.Nodes, want) || a.CPUsPerTask != 4 || a.Tasks != 0 {
		t.Fatalf("got %+v", a)
	}
}

func TestReadAllocationErrors(t *testing.T) {
	base := map[string]string{"SLURM_JOB_ID": "1", "SLURM_JOB_NODELIST": "h[1-2]", "SLURM_TASKS_PER_NODE": "2(x2)"}
	tests := []struct {
		name, key, val, want string
	}{
		{"no job", "SLURM_JOB_ID", "", "not inside a SLURM allocation"},
		{"no nodes", "SLURM_JOB_NODELIST", "", "SLURM_JOB_NODELIST is not"},
		{"bad nodes", "SLURM_JOB_NODELIST", "h[1-", "SLURM_JOB_NODELIST: node list"},
		{"short counts", "SLURM_TASKS_PER_NODE", "2", "SLURM_TASKS_PER_NODE: count list"},
		{"bad cpus per task", "SLURM_CPUS_PER_TASK", "0", "SLURM_CPUS_PER_TASK"},
		{"bad ntasks", "SLURM_NTASKS", "x", "SLURM_NTASKS"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := map[string]string{}
			for k, v := range base {
				m[k] = v
			}
			m[tt.key] = tt.val
			_, err := ReadAllocation(env(m))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want %q", err, tt.want)
			}
		})
	}
}

func TestReadTask(t *testing.T) {
	m := map[string]string{
		"SLURM_JOB_ID": "7", "SLURM_STEP_ID": "0", "SLURM_PROCID": "3", "SLURM_NTASKS": "4",
		"SLURM_LOCALID": "1", "SLURM_NODEID": "1", "SLURM_STEP_NODELIST": "h[1-2]",
		"SLURM_STEP_TASKS_PER_NODE": "1,3",
	}
	tk, err := ReadTask(env(m))
	if err != nil {
		t.Fatal(err)
	}
	if tk.Rank != 3 || tk.Size != 4 || tk.Local != 1 || tk.LocalSize != 3 || tk.NodeID != 1 || !reflect.DeepEqual(tk.Nodes, []string{"h1", "h2"}) {
		t.Fatalf("got %+v", tk)
	}
	m["SLURM_PROCID"] = "4"
	if _, err := ReadTask(env(m)); err == nil || !strings.Contains(err.Error(), "SLURM_PROCID") {
		t.Fatalf("rank past size: err = %v", err)
	}
	m["SLURM_PROCID"], m["SLURM_NODEID"] = "0", "2"
	if _, err := ReadTask(env(m)); err == nil || !strings.Contains(err.Error(), "SLURM_NODEID") {
		t.Fatalf("node past list: err = %v", err)
	}
	delete(m, "SLURM_PROCID")
	if _, err := ReadTask(env(m)); err == nil || !strings.Contains(err.Error(), "srun") {
		t.Fatalf("no task: err = %v", err)
	}
}

// FuzzExpandNodeList: the parser reads the environment, so arbitrary text
// must give names or an error, never a panic or an unbounded allocation,
// and every name it gives must be a plain host name.
func FuzzExpandNodeList(f *testing.F) {
	for _, s := range []string{"n[01-03,07],gpu5", "r[1-2]-n[1-2]", "a,b", "n[9-11]", "[", "n[0-99999999]"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		names, err := ExpandNodeList(s)
		if err != nil {
			return
		}
		if len(names) == 0 || len(names) > MaxNodes {
			t.Fatalf("%q: %d names", s, len(names))
		}
		for _, n := range names {
			if checkName(n) != nil || strings.ContainsAny(n, "[],") {
				t.Fatalf("%q gave bad name %q", s, n)
			}
		}
	})
}

func FuzzParseCounts(f *testing.F) {
	for _, s := range []string{"2(x3),1", "4", "1,2", "2(x", "(x)"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := ParseCounts(s, -1)
		if err != nil {
			return
		}
		if len(c) == 0 || len(c) > MaxNodes {
			t.Fatalf("%q: %d counts", s, len(c))
		}
		for _, v := range c {
			if v < 0 {
				t.Fatalf("%q: negative count", s)
			}
		}
	})
}
