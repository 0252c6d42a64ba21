package wordcount_test

import (
	"fmt"
	"os"

	"github.com/gorun-dev/gorun/kernels/wordcount"
)

func Example() {
	var c wordcount.Counts
	text := "Don't tread on me. The U.S. of A. — the naïve, the 1,000!"
	if err := wordcount.Tokenize(&c, []byte(text)); err != nil {
		fmt.Println(err)
		return
	}
	top := wordcount.Top(nil, c.AppendEntries(nil), 4)
	wordcount.WriteTSV(os.Stdout, top)
	// Output:
	// the	3
	// 000	1
	// 1	1
	// a	1
}

// Two ranks' tables shuffled by hash into two partitions and merged.
func ExampleCounts_AppendParts() {
	var rank0, rank1 wordcount.Counts
	wordcount.Tokenize(&rank0, []byte("to be or not to be"))
	wordcount.Tokenize(&rank1, []byte("to see or not to see"))
	p0 := rank0.AppendParts(nil, 2)
	p1 := rank1.AppendParts(nil, 2)
	var all []wordcount.Entry
	for part := range 2 { // partition `part` is merged on rank `part`
		var merged wordcount.Counts
		wordcount.Decode(&merged, p0[part])
		wordcount.Decode(&merged, p1[part])
		all = merged.AppendEntries(all)
	}
	wordcount.Sort(all)
	fmt.Println(all)
	// Output: [{to 4} {be 2} {not 2} {or 2} {see 2}]
}

// One rank's side of a 2-rank shuffle: rank 0 keeps its partition of its
// table, sends the other, and adds what rank 1 sent it.
func ExampleNewShuffle() {
	var rank0, rank1 wordcount.Counts
	wordcount.Tokenize(&rank0, []byte("to be or not to be"))
	wordcount.Tokenize(&rank1, []byte("to see or not to see"))
	from1 := rank1.AppendParts(nil, 2)[0] // what rank 1 sends rank 0
	toRank1 := make([][]byte, 2)
	side := wordcount.NewShuffle(toRank1, &rank0, 0, 2) // fills toRank1[1]
	if err := side.Add(from1); err != nil {
		fmt.Println(err)
		return
	}
	kept := side.AppendEntries(nil) // partition 0, with global counts
	wordcount.Sort(kept)
	var sent wordcount.Counts // partition 1 of rank 0's own counts
	wordcount.Decode(&sent, toRank1[1])
	rest := sent.AppendEntries(nil)
	wordcount.Sort(rest)
	fmt.Println("kept:", kept)
	fmt.Println("sent to rank 1:", rest)
	// Output:
	// kept: [{not 2}]
	// sent to rank 1: [{be 2} {to 2} {or 1}]
}

func ExampleUTF8Error() {
	var c wordcount.Counts
	err := wordcount.Tokenize(&c, []byte("ok \xff"))
	fmt.Println(err)
	// Output: input: invalid UTF-8 at byte offset 3
}
