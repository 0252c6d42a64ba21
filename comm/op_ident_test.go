package comm

import (
	"fmt"
	"testing"
)

// TestOpIdentDisjoint: no user op's identity can equal a built-in op's,
// whatever its name, and every identity fits the frame's redBits.
func TestOpIdentDisjoint(t *testing.T) {
	builtin := map[uint32]string{}
	for _, o := range []Op{Sum, Prod, Min, Max, MinLoc, MaxLoc, LAnd, LOr, LXor, BAnd, BOr, BXor, Replace, NoOp} {
		id := o.ident()
		if id == 0 || id&userOpBit != 0 {
			t.Errorf("%s: identity %#x is 0 or has the user bit", o, id)
		}
		if prev, ok := builtin[id]; ok {
			t.Errorf("%s and %s share identity %#x", o, prev, id)
		}
		builtin[id] = o.name
	}
	// Names whose hash alone, 16 + FNV-1a mod (2^24-16), is a built-in
	// kind (LAnd..NoOp, 32..39), then many more.
	names := []string{"op12339859", "op1452771", "op28770556", "op19888593",
		"op2953403", "op34542337", "op966793", "op3071422"}
	for i := range 10000 {
		names = append(names, fmt.Sprintf("user%d", i))
	}
	for i, name := range names {
		o := NewOp(name, func(a, b int) int { return a })
		if i%2 == 1 {
			o = NewCommutativeOp(name, func(a, b int) int { return a })
		}
		id := o.ident()
		if id&userOpBit == 0 || id >= 1<<redBits {
			t.Fatalf("NewOp(%q): identity %#x outside the user range", name, id)
		}
		if b, ok := builtin[id]; ok {
			t.Fatalf("NewOp(%q): identity %#x is %s's", name, id, b)
		}
		if got := redName(id); got != name {
			t.Fatalf("redName(%#x) = %q, want %q", id, got, name)
		}
	}
}
