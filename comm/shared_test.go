package comm_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/gorun-dev/gorun/comm"
)

func TestSharesMemory(t *testing.T) {
	for _, n := range []int{1, 3} {
		err := comm.Run(context.Background(), n, func(ctx context.Context, c *comm.Comm) error {
			if !c.SharesMemory() {
				return fmt.Errorf("a goroutine world of %d does not share memory", n)
			}
			return nil
		})
		if err != nil {
			t.Error(err)
		}
	}
}
