package comm

import "testing"

// The ids of lanes and of their node and leader communicators are
// distinct, even (the task farm's bit free), above every id Split hands
// out, and lead back to their parent.
func TestNonBlockingLaneIds(t *testing.T) {
	seen := map[uint32]bool{}
	for _, parent := range []uint32{commWorld, firstCid, firstCid + 2, nbcMaxCid - 2} {
		for lane := range nbcLanes {
			for _, role := range []uint32{nbcRoleLane, nbcRoleNode, nbcRoleLeaders} {
				cid, err := nbcCid(parent, lane, role)
				if err != nil {
					t.Fatal(err)
				}
				if seen[cid] || cid&1 != 0 || cid < nbcCidBase {
					t.Fatalf("parent %d lane %d role %d: id %#x repeated, odd or low", parent, lane, role, cid)
				}
				seen[cid] = true
				c := &Comm{cid: cid}
				if c.isLane() != (role == nbcRoleLane) {
					t.Errorf("id %#x: isLane %v for role %d", cid, c.isLane(), role)
				}
				if role == nbcRoleLane && c.familyCid() != parent {
					t.Errorf("lane %d of %d: family %d", lane, parent, c.familyCid())
				}
			}
		}
	}
	if _, err := nbcCid(nbcMaxCid, 0, nbcRoleLane); err == nil {
		t.Error("a parent id past nbcMaxCid was accepted")
	}
}
