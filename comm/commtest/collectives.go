package commtest

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/gorun-dev/gorun/comm"
)

// testCollectives checks every collective at every world size against
// what the ranks' inputs imply.
func testCollectives(t *testing.T, mk MakeWorld) {
	checks := []struct {
		name string
		fn   func(ctx context.Context, c *comm.Comm) error
	}{
		{"Barrier", checkBarrier},
		{"Bcast", checkBcast},
		{"Scatter", checkScatter},
		{"Gather", checkGather},
		{"Allgather", checkAllgather},
		{"Reduce", checkReduce},
		{"Allreduce", checkAllreduce},
		{"AllreduceOps", checkAllreduceOps},
		{"Alltoall", checkAlltoall},
		{"Scan", checkScan},
		{"ReduceScatter", checkReduceScatter},
	}
	for _, ch := range checks {
		t.Run(ch.name, func(t *testing.T) { eachSize(t, mk, ch.fn) })
	}
}

// expect compares with reflect.DeepEqual, except that a nil and an empty
// slice are equal.
func expect(what string, got, want any) error {
	if reflect.DeepEqual(got, want) {
		return nil
	}
	g, w := reflect.ValueOf(got), reflect.ValueOf(want)
	if g.Kind() == reflect.Slice && w.Kind() == reflect.Slice && g.Type() == w.Type() && g.Len() == 0 && w.Len() == 0 {
		return nil
	}
	return fmt.Errorf("%s: got %v, want %v", what, got, want)
}

func checkBarrier(ctx context.Context, c *comm.Comm) error {
	for range 3 {
		if err := c.Barrier(ctx); err != nil {
			return err
		}
	}
	return nil
}

func checkBcast(ctx context.Context, c *comm.Comm) error {
	n, r := c.Size(), c.Rank()
	for _, root := range []int{0, n - 1, n / 2} {
		v := []float64{-1}
		if r == root {
			v = []float64{float64(root), 2.5, 3}
		}
		if err := comm.Bcast(ctx, c, root, &v); err != nil {
			return err
		}
		if err := expect(fmt.Sprintf("Bcast(root %d) slice", root), v, []float64{float64(root), 2.5, 3}); err != nil {
			return err
		}
		rec := record{}
		if r == root {
			rec = record{Name: "root", Score: float64(root), Tags: []string{"x", "y"}}
		}
		if err := comm.Bcast(ctx, c, root, &rec); err != nil {
			return err
		}
		if err := expect("Bcast struct", rec, record{Name: "root", Score: float64(root), Tags: []string{"x", "y"}}); err != nil {
			return err
		}
	}
	big := make([]int64, 300_000)
	if r == 0 {
		for i := range big {
			big[i] = int64(i)
		}
	}
	if err := comm.Bcast(ctx, c, 0, &big); err != nil {
		return err
	}
	if big[len(big)-1] != int64(len(big)-1) {
		return fmt.Errorf("large Bcast: last element %d", big[len(big)-1])
	}
	return nil
}

func checkScatter(ctx context.Context, c *comm.Comm) error {
	n, r := c.Size(), c.Rank()
	root := n - 1
	var vs []string
	if r == root {
		for i := range n {
			vs = append(vs, fmt.Sprintf("for %d", i))
		}
	}
	v, err := comm.Scatter(ctx, c, root, vs)
	if err != nil {
		return err
	}
	if err := expect("Scatter", v, fmt.Sprintf("for %d", r)); err != nil {
		return err
	}
	// Scatterv with uneven counts: rank i gets i+1 elements.
	counts := make([]int, n)
	var all []int
	for i := range n {
		counts[i] = i + 1
		for range i + 1 {
			all = append(all, i)
		}
	}
	part, err := comm.Scatterv(ctx, c, 0, all, counts)
	if err != nil {
		return err
	}
	want := slices.Repeat([]int{r}, r+1)
	if err := expect("Scatterv", part, want); err != nil {
		return err
	}
	even, err := comm.Scatterv(ctx, c, 0, make([]float64, 10*n+n-1), nil)
	if err != nil {
		return err
	}
	return expect("Scatterv even length", len(even), comm.EvenCounts(10*n+n-1, n)[r])
}

func checkGather(ctx context.Context, c *comm.Comm) error {
	n, r := c.Size(), c.Rank()
	for _, root := range []int{0, n - 1} {
		got, err := comm.Gather(ctx, c, root, r*r)
		if err != nil {
			return err
		}
		var want []int
		if r == root {
			for i := range n {
				want = append(want, i*i)
			}
		}
		if err := expect(fmt.Sprintf("Gather(root %d)", root), got, want); err != nil {
			return err
		}
		gv, err := comm.Gatherv(ctx, c, root, slices.Repeat([]int64{int64(r)}, r))
		if err != nil {
			return err
		}
		var wantv []int64
		if r == root {
			wantv = []int64{}
			for i := range n {
				wantv = append(wantv, slices.Repeat([]int64{int64(i)}, i)...)
			}
		}
		if err := expect("Gatherv", gv, wantv); err != nil {
			return err
		}
	}
	return nil
}

func checkAllgather(ctx context.Context, c *comm.Comm) error {
	n, r := c.Size(), c.Rank()
	got, err := comm.Allgather(ctx, c, fmt.Sprint(r))
	if err != nil {
		return err
	}
	var want []string
	var wantv []float64
	for i := range n {
		want = append(want, fmt.Sprint(i))
		wantv = append(wantv, slices.Repeat([]float64{float64(i)}, i%3)...)
	}
	if err := expect("Allgather", got, want); err != nil {
		return err
	}
	gv, err := comm.Allgatherv(ctx, c, slices.Repeat([]float64{float64(r)}, r%3))
	if err != nil {
		return err
	}
	if wantv == nil {
		wantv = []float64{}
	}
	return expect("Allgatherv", gv, wantv)
}

func checkReduce(ctx context.Context, c *comm.Comm) error {
	n, r := c.Size(), c.Rank()
	for _, root := range []int{0, n - 1} {
		got, err := comm.Reduce(ctx, c, root, []int64{int64(r), 1}, comm.Sum)
		if err != nil {
			return err
		}
		var want []int64
		if r == root {
			want = []int64{int64(n * (n - 1) / 2), int64(n)}
		}
		if err := expect(fmt.Sprintf("Reduce(root %d)", root), got, want); err != nil {
			return err
		}
	}
	return nil
}

func checkAllreduce(ctx context.Context, c *comm.Comm) error {
	n, r := c.Size(), c.Rank()
	s, err := comm.Allreduce(ctx, c, r+1, comm.Sum)
	if err != nil {
		return err
	}
	if err := expect("Allreduce int", s, n*(n+1)/2); err != nil {
		return err
	}
	// Past the ring threshold: every rank must get bit-identical results.
	big := make([]float64, 100_003)
	for i := range big {
		big[i] = float64(r) + float64(i)*1e-3
	}
	sum, err := comm.Allreduce(ctx, c, big, comm.Sum)
	if err != nil {
		return err
	}
	for _, i := range []int{0, 1, 50_000, 100_002} {
		want := float64(n*(n-1)/2) + float64(n)*float64(i)*1e-3
		if d := sum[i] - want; d > 1e-6 || d < -1e-6 {
			return fmt.Errorf("ring Allreduce[%d] = %v, want %v", i, sum[i], want)
		}
	}
	all, err := comm.Allgather(ctx, c, sum[77_777])
	if err != nil {
		return err
	}
	for i := range all {
		if all[i] != all[0] {
			return fmt.Errorf("ranks disagree on a ring Allreduce result: %v", all)
		}
	}
	if big[5] != float64(r)+5e-3 {
		return fmt.Errorf("Allreduce modified its input")
	}
	// Into a buffer of the caller's, and in place: the same sums.
	into := make([]float64, len(big))
	if err := comm.AllreduceInto(ctx, c, big, into, comm.Sum); err != nil {
		return err
	}
	inPlace := slices.Clone(big)
	if err := comm.AllreduceInto(ctx, c, inPlace, inPlace, comm.Sum); err != nil {
		return err
	}
	for _, i := range []int{0, 1, 50_000, 77_777, 100_002} {
		if into[i] != sum[i] || inPlace[i] != sum[i] {
			return fmt.Errorf("AllreduceInto[%d] = %v, in place %v, want %v (Allreduce)", i, into[i], inPlace[i], sum[i])
		}
	}
	// The result is this rank's own: no other rank writes to it afterwards.
	sum[77_777] = float64(-r)
	if err := c.Barrier(ctx); err != nil {
		return err
	}
	if sum[77_777] != float64(-r) {
		return fmt.Errorf("Allreduce result changed after the call: %v", sum[77_777])
	}
	return nil
}

func checkAllreduceOps(ctx context.Context, c *comm.Comm) error {
	n, r := c.Size(), c.Rank()
	cases := []struct {
		op   comm.Op
		v    any
		want any
	}{
		{comm.Prod, float64(2), float64(int(1) << n)},
		{comm.Min, []int32{int32(r), int32(-r)}, []int32{0, int32(-(n - 1))}},
		{comm.Max, []uint64{uint64(r)}, []uint64{uint64(n - 1)}},
		{comm.MinLoc, comm.Loc{Value: float64(r % 2), Index: r}, comm.Loc{Value: 0, Index: 0}},
		{comm.MaxLoc, comm.Loc{Value: float64(r % 2), Index: r}, comm.Loc{Value: float64(min(1, n-1)), Index: min(1, n-1)}},
	}
	for _, tc := range cases {
		var got any
		var err error
		switch v := tc.v.(type) {
		case float64:
			got, err = comm.Allreduce(ctx, c, v, tc.op)
		case []int32:
			got, err = comm.Allreduce(ctx, c, v, tc.op)
		case []uint64:
			got, err = comm.Allreduce(ctx, c, v, tc.op)
		case comm.Loc:
			got, err = comm.Allreduce(ctx, c, v, tc.op)
		}
		if err != nil {
			return err
		}
		if err := expect("Allreduce "+tc.op.String(), got, tc.want); err != nil {
			return err
		}
	}
	// A user op that is not commutative: ranks combine in rank order.
	concat := comm.NewOp("concat", func(a, b string) string { return a + b })
	got, err := comm.Allreduce(ctx, c, fmt.Sprint(r), concat)
	if err != nil {
		return err
	}
	var want strings.Builder
	for i := range n {
		fmt.Fprint(&want, i)
	}
	return expect("Allreduce user op", got, want.String())
}

func checkAlltoall(ctx context.Context, c *comm.Comm) error {
	n, r := c.Size(), c.Rank()
	vs := make([]string, n)
	for i := range vs {
		vs[i] = fmt.Sprintf("%d->%d", r, i)
	}
	got, err := comm.Alltoall(ctx, c, vs)
	if err != nil {
		return err
	}
	for i := range got {
		if got[i] != fmt.Sprintf("%d->%d", i, r) {
			return fmt.Errorf("Alltoall: from %d got %q", i, got[i])
		}
	}
	// Alltoallv: rank r sends i+r elements of value r*100+i to rank i.
	var send []int
	counts := make([]int, n)
	for i := range n {
		counts[i] = i + r
		send = append(send, slices.Repeat([]int{r*100 + i}, i+r)...)
	}
	recv, rc, err := comm.Alltoallv(ctx, c, send, counts)
	if err != nil {
		return err
	}
	var want []int
	wantCounts := make([]int, n)
	for j := range n {
		wantCounts[j] = r + j
		want = append(want, slices.Repeat([]int{j*100 + r}, r+j)...)
	}
	if want == nil {
		want = []int{}
	}
	if err := expect("Alltoallv counts", rc, wantCounts); err != nil {
		return err
	}
	return expect("Alltoallv", recv, want)
}

func checkScan(ctx context.Context, c *comm.Comm) error {
	r := c.Rank()
	s, err := comm.Scan(ctx, c, r+1, comm.Sum)
	if err != nil {
		return err
	}
	if err := expect("Scan", s, (r+1)*(r+2)/2); err != nil {
		return err
	}
	e, err := comm.Exscan(ctx, c, []float64{float64(r + 1)}, comm.Sum)
	if err != nil {
		return err
	}
	wantEx := []float64(nil)
	if r > 0 {
		wantEx = []float64{float64(r * (r + 1) / 2)}
	}
	if err := expect("Exscan", e, wantEx); err != nil {
		return err
	}
	concat := comm.NewOp("concat", func(a, b string) string { return a + b })
	p, err := comm.Scan(ctx, c, fmt.Sprint(r%10), concat)
	if err != nil {
		return err
	}
	var want strings.Builder
	for i := range r + 1 {
		fmt.Fprint(&want, i%10)
	}
	return expect("Scan user op", p, want.String())
}

func checkReduceScatter(ctx context.Context, c *comm.Comm) error {
	n, r := c.Size(), c.Rank()
	v := make([]int64, 2*n+1)
	for i := range v {
		v[i] = int64(i)
	}
	got, err := comm.ReduceScatter(ctx, c, v, nil, comm.Sum)
	if err != nil {
		return err
	}
	counts := comm.EvenCounts(len(v), n)
	off := 0
	for i := range r {
		off += counts[i]
	}
	want := make([]int64, counts[r])
	for i := range want {
		want[i] = int64(n * (off + i))
	}
	return expect("ReduceScatter", got, want)
}
