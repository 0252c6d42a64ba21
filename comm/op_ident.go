package comm

import (
	"fmt"
	"hash/fnv"
	"sync"
)

// A reduction's op is part of the identity of the call, as its operation
// and root are: every collective frame of a reduction carries the op's
// identity (the top redBits of the frame's Tag, above the sequence
// number), and a rank that receives a frame of another op fails with a
// *MismatchError. Built-in ops are told apart by kind, user ops by name,
// so two ranks that pass different functions under one name are not told
// apart.
const (
	redBits  = 24
	redShift = 64 - redBits
	seqMask  = 1<<redShift - 1
)

// userOpBit marks a user op's identity: a built-in op's identity is its
// kind (below 256), a user op's is a hash of its name with this bit set, so
// no name can collide with a built-in op.
const userOpBit = 1 << (redBits - 1)

// ident is op's identity in frames: its kind for a built-in op, else
// userOpBit and a hash of its name; never 0 (no reduction).
func (o Op) ident() uint32 {
	if o.kind != opUser {
		return uint32(o.kind)
	}
	h := fnv.New32a()
	h.Write([]byte(o.name))
	return userOpBit | h.Sum32()%userOpBit
}

// opNames maps the identity of every op this process made to its name, to
// name a peer's op in a *MismatchError.
var opNames sync.Map // uint32 -> string

func init() {
	for _, o := range []Op{Sum, Prod, Min, Max, MinLoc, MaxLoc} {
		opNames.Store(o.ident(), o.name)
	}
}

// redName names the op of identity id ("" for none).
func redName(id uint32) string {
	if id == 0 {
		return ""
	}
	if n, ok := opNames.Load(id); ok {
		return n.(string)
	}
	return fmt.Sprintf("op #%06x", id)
}

// tagSeq and tagRed split a collective frame's Tag.
func tagSeq(tag int64) int64  { return tag & seqMask }
func tagRed(tag int64) uint32 { return uint32(uint64(tag) >> redShift) }
