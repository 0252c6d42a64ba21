package cli

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/gorun-dev/gorun/comm"
)

func TestExit(t *testing.T) {
	missing := errors.New("nope.csv: no such file")
	other := errors.New("bus lost")
	got := make([][2]error, 2)
	err := comm.Run(context.Background(), 2, func(ctx context.Context, c *comm.Comm) error {
		got[c.Rank()] = [2]error{Exit(c, fmt.Errorf("loading: %w", BadInput(missing))), Exit(c, other)}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	ee, ok := errors.AsType[*comm.ExitError](got[0][0])
	if !ok || ee.Code != 2 || !errors.Is(got[0][0], missing) {
		t.Errorf("rank 0, bad input: %v, want exit status 2 wrapping %v", got[0][0], missing)
	}
	if got[1][0] != nil {
		t.Errorf("rank 1, bad input: %v, want nil (rank 0 reports it)", got[1][0])
	}
	for r := range got {
		if got[r][1] != other {
			t.Errorf("rank %d, other error: %v, want it unchanged", r, got[r][1])
		}
	}
}

func TestAgreedBadInput(t *testing.T) {
	agreed := &comm.RankError{Rank: 1, Msg: "b.csv: line 2: bad"}
	if _, ok := errors.AsType[badInputError](AgreedBadInput(fmt.Errorf("loading: %w", agreed))); !ok {
		t.Error("an agreed *comm.RankError is not marked as bad input")
	}
	other := fmt.Errorf("bcast: %w", comm.ErrAborted)
	if got := AgreedBadInput(other); got != other {
		t.Errorf("AgreedBadInput(%v) = %v, want it unchanged", other, got)
	}
}
