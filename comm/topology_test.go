package comm

import (
	"context"
	"slices"
	"testing"
)

func TestParseNodeMap(t *testing.T) {
	for _, tc := range []struct {
		s    string
		n    int
		want []int
	}{
		{"3", 6, []int{0, 0, 1, 1, 2, 2}},
		{"2", 3, []int{0, 0, 1}},
		{"1", 2, []int{0, 0}},
		{"0,1,0,1", 4, []int{0, 1, 0, 1}},
		{"5, 5,7", 3, []int{5, 5, 7}},
	} {
		got, err := ParseNodeMap(tc.s, tc.n)
		if err != nil || !slices.Equal(got, tc.want) {
			t.Errorf("ParseNodeMap(%q, %d) = %v, %v; want %v", tc.s, tc.n, got, err, tc.want)
		}
	}
	for _, bad := range []string{"", "0", "x", "0,1", "0,1,-1", "0,,1"} {
		if got, err := ParseNodeMap(bad, 3); err == nil {
			t.Errorf("ParseNodeMap(%q, 3) = %v, want an error", bad, got)
		}
	}
}

// TestHierarchyChosen: a world placed on nodes runs its collectives in
// stages (the node and leader communicators exist after the first one),
// a flat world and one with a rank per node do not, and a split inherits
// the node map.
func TestHierarchyChosen(t *testing.T) {
	for _, tc := range []struct {
		name    string
		topo    Topology
		nodes   []int
		staged  bool
		leaders int
	}{
		{"blocks", TopologyAuto, []int{0, 0, 1, 1, 2, 2}, true, 3},
		{"round-robin", TopologyAuto, []int{4, 9, 4, 9, 4, 9}, true, 2},
		{"flat", TopologyFlat, []int{0, 0, 1, 1, 2, 2}, false, 0},
		{"one-node", TopologyAuto, []int{3, 3, 3, 3, 3, 3}, false, 0},
		{"rank-per-node", TopologyAuto, []int{0, 1, 2, 3, 4, 5}, false, 0},
		{"unplaced", TopologyAuto, nil, false, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := Run(context.Background(), len([]int{0, 0, 1, 1, 2, 2}), func(ctx context.Context, c *Comm) error {
				if err := c.SetTopology(tc.topo, tc.nodes); err != nil {
					return err
				}
				sum, err := Allreduce(ctx, c, c.Rank(), Sum)
				if err != nil {
					return err
				}
				if sum != 15 {
					t.Errorf("rank %d: Allreduce = %d, want 15", c.Rank(), sum)
				}
				if got := c.hier != nil; got != tc.staged {
					t.Errorf("rank %d: staged = %v, want %v", c.Rank(), got, tc.staged)
				}
				if c.hier != nil {
					if isLeader := c.hier.leaders != nil; isLeader != (c.hier.localOf[c.Rank()] == 0) {
						t.Errorf("rank %d: leader = %v", c.Rank(), isLeader)
					} else if isLeader && c.hier.leaders.Size() != tc.leaders {
						t.Errorf("rank %d: %d leaders, want %d", c.Rank(), c.hier.leaders.Size(), tc.leaders)
					}
				}
				half, err := c.Split(ctx, c.Rank()%2, c.Rank())
				if err != nil {
					return err
				}
				if want := c.subNodes([]int{c.Rank() % 2, c.Rank()%2 + 2, c.Rank()%2 + 4}); !slices.Equal(half.nodes, want) {
					t.Errorf("rank %d: split's nodes %v, want %v", c.Rank(), half.nodes, want)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestSetTopologyRefusesBadNodes(t *testing.T) {
	comms, err := NewWorld(3)
	if err != nil {
		t.Fatal(err)
	}
	c := comms[0]
	if err := c.SetTopology(TopologyAuto, []int{0, 1}); err == nil {
		t.Error("2 nodes for 3 ranks: no error")
	}
	if err := c.SetTopology(TopologyAuto, []int{0, -1, 1}); err == nil {
		t.Error("a negative node: no error")
	}
	if err := c.SetTopology(Topology(7), nil); err == nil {
		t.Error("an unknown topology: no error")
	}
}
