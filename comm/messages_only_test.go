package comm

import (
	"context"
	"fmt"
	"testing"
)

// TestMessagesOnly: a goroutine world made with MessagesOnly reduces large
// slices by messages, with the same results as the
// default world, small and large; Shared and SharesMemory are unchanged.
func TestMessagesOnly(t *testing.T) {
	withProcs(t, 4)
	for _, p := range []int{2, 3, 4} {
		for _, n := range []int{1, 3, largeThreshold/8 + 5} {
			t.Run(fmt.Sprintf("ranks=%d/len=%d", p, n), func(t *testing.T) {
				var results [2][][]float64
				for i, opts := range [][]WorldOption{nil, {MessagesOnly()}} {
					results[i] = make([][]float64, p)
					err := Run(context.Background(), p, func(ctx context.Context, c *Comm) error {
						if messages := len(opts) > 0; messages == c.sharedColls() {
							return fmt.Errorf("messages only %v: shared collectives %v", messages, c.sharedColls())
						}
						if !c.SharesMemory() {
							return fmt.Errorf("SharesMemory false in a goroutine world")
						}
						in := make([]float64, n)
						for e := range in {
							in[e] = float64(c.Rank()*n+e) / 3
						}
						out, err := Allreduce(ctx, c, in, Sum)
						if err != nil {
							return err
						}
						into := make([]float64, n)
						if err := AllreduceInto(ctx, c, in, into, Sum); err != nil {
							return err
						}
						for e := range out {
							if out[e] != into[e] {
								return fmt.Errorf("element %d: Allreduce %v, AllreduceInto %v", e, out[e], into[e])
							}
						}
						results[i][c.Rank()] = out
						return nil
					}, opts...)
					if err != nil {
						t.Fatal(err)
					}
				}
				for r := range p {
					for e, want := range results[0][0] {
						got := results[1][r][e]
						if d := got - want; d > 1e-9*max(1, want) || d < -1e-9*max(1, want) {
							t.Fatalf("rank %d element %d: %v by messages, %v by shared memory", r, e, got, want)
						}
					}
				}
			})
		}
	}
}
