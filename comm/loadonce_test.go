package comm_test

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorun-dev/gorun/comm"
)

// Rank 0 (or, in a goroutine world, one rank) reads the input; every rank
// gets it.
func ExampleLoadOnce() {
	err := comm.Run(context.Background(), 3, func(ctx context.Context, c *comm.Comm) error {
		table, err := comm.LoadOnce(ctx, c, "example/table",
			func() ([]string, error) { return []string{"a", "b"}, nil }, // e.g. read a file
			func(v []string) ([]byte, error) { return []byte(v[0] + v[1]), nil },
			func(b []byte) ([]string, error) { return []string{string(b[:1]), string(b[1:])}, nil })
		if err != nil {
			return err
		}
		if c.Rank() == 2 {
			fmt.Println(table)
		}
		return nil
	})
	fmt.Println(err)
	// Output:
	// [a b]
	// <nil>
}

// ints is a LoadOnce codec for []int in tests.
func encodeInts(v []int) ([]byte, error) {
	b := make([]byte, 0, 8*len(v)+1)
	for _, x := range v {
		b = strconv.AppendInt(b, int64(x), 10)
		b = append(b, ' ')
	}
	return b, nil
}

func decodeInts(b []byte) ([]int, error) {
	var v []int
	for len(b) > 0 {
		i := 0
		for b[i] != ' ' {
			i++
		}
		x, err := strconv.Atoi(string(b[:i]))
		if err != nil {
			return nil, err
		}
		v, b = append(v, x), b[i+1:]
	}
	return v, nil
}

func TestLoadOnce(t *testing.T) {
	srv := natsBus(t)
	worlds := []struct {
		name   string
		shared bool
		make   func(t *testing.T, n int) []*comm.Comm
	}{
		{"goroutines", true, func(t *testing.T, n int) []*comm.Comm {
			comms, err := comm.NewWorld(n)
			if err != nil {
				t.Fatal(err)
			}
			return comms
		}},
		{"nats", false, func(t *testing.T, n int) []*comm.Comm {
			return natsWorld(t, srv, "loadonce"+t.Name()[len("TestLoadOnce/"):], n)
		}},
	}
	bad := errors.New("input.csv: line 3: not a number")
	for _, w := range worlds {
		for _, fail := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s_fail=%v", w.name, fail), func(t *testing.T) {
				comms := w.make(t, 3)
				var loads atomic.Int32
				got := make([][]int, len(comms))
				errs := make([]error, len(comms))
				ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
				defer cancel()
				err := comm.RunWorld(ctx, comms, func(ctx context.Context, c *comm.Comm) error {
					got[c.Rank()], errs[c.Rank()] = comm.LoadOnce(ctx, c, "test/ints", func() ([]int, error) {
						loads.Add(1)
						if fail {
							return nil, bad
						}
						return []int{3, 1, 4}, nil
					}, encodeInts, decodeInts)
					return nil
				})
				if err != nil {
					t.Fatal(err)
				}
				if n := loads.Load(); n != 1 {
					t.Errorf("load ran %d times, want once", n)
				}
				for r := range comms {
					if fail {
						if errs[r] == nil || errs[r].Error() != bad.Error() {
							t.Errorf("rank %d: error %v, want %q", r, errs[r], bad)
						}
						var re *comm.RankError
						wantRank := 0
						if w.shared {
							wantRank = -1
						}
						if own := w.shared || r == 0; !errors.As(errs[r], &re) || re.Rank != wantRank || own != errors.Is(errs[r], bad) {
							t.Errorf("rank %d: error %#v: want a *RankError from rank %d, wrapping the loader's own error where it ran", r, errs[r], wantRank)
						}
						continue
					}
					if errs[r] != nil || fmt.Sprint(got[r]) != "[3 1 4]" {
						t.Errorf("rank %d: %v, %v; want [3 1 4]", r, got[r], errs[r])
					}
				}
				if !fail && w.shared && &got[0][0] != &got[2][0] {
					t.Error("goroutine ranks got different copies, want one shared instance")
				}
			})
		}
	}
}

func ExampleAgreeError() {
	err := comm.Run(context.Background(), 4, func(ctx context.Context, c *comm.Comm) error {
		var local error
		if c.Rank() >= 2 { // ranks 2 and 3 find bad input in their share
			local = fmt.Errorf("share %d: bad row", c.Rank())
		}
		if err := comm.AgreeError(ctx, c, local); err != nil {
			if c.Rank() == 0 {
				fmt.Println("every rank stops:", err)
			}
			return nil
		}
		return nil
	})
	fmt.Println(err)
	// Output:
	// every rank stops: share 2: bad row
	// <nil>
}

func TestAgreeError(t *testing.T) {
	tests := []struct {
		name    string
		failing map[int]bool
		want    int // the rank whose error every rank gets; -1 none
	}{
		{"none", nil, -1},
		{"one", map[int]bool{3: true}, 3},
		{"lowest wins", map[int]bool{1: true, 2: true, 4: true}, 1},
		{"rank 0", map[int]bool{0: true, 4: true}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			errs := make([]error, 5)
			own := make([]error, 5)
			err := comm.Run(context.Background(), 5, func(ctx context.Context, c *comm.Comm) error {
				if tt.failing[c.Rank()] {
					own[c.Rank()] = fmt.Errorf("rank %d: %w", c.Rank(), errors.ErrUnsupported)
				}
				errs[c.Rank()] = comm.AgreeError(ctx, c, own[c.Rank()])
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			for r, e := range errs {
				switch {
				case tt.want < 0 && e != nil:
					t.Errorf("rank %d: %v, want nil", r, e)
				case tt.want < 0:
				default:
					var re *comm.RankError
					if !errors.As(e, &re) || re.Rank != tt.want || e.Error() != own[tt.want].Error() {
						t.Errorf("rank %d: %#v, want a *RankError from rank %d saying %q", r, e, tt.want, own[tt.want])
					}
					if mine := r == tt.want; mine != errors.Is(e, errors.ErrUnsupported) || mine && re.Err != own[r] {
						t.Errorf("rank %d: %#v: want it to wrap the original only on rank %d", r, e, tt.want)
					}
				}
			}
		})
	}
}
