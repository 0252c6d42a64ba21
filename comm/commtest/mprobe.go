package commtest

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/gorun-dev/gorun/comm"
)

// testMprobe: two goroutines of rank 0 take messages with Mprobe and
// receive each into the type its Status announces; every message arrives
// exactly once. A Message keeps a message received into the wrong type.
func testMprobe(t *testing.T, mk MakeWorld) {
	eachSize(t, mk, func(ctx context.Context, c *comm.Comm) error {
		n, r := c.Size(), c.Rank()
		const each = 20
		if r != 0 {
			for i := range each {
				var err error
				if i%2 == 0 {
					err = c.Send(ctx, 0, i, r*1000+i)
				} else {
					err = c.Send(ctx, 0, i, fmt.Sprint(r*1000+i))
				}
				if err != nil {
					return err
				}
			}
			return nil
		}
		if m, st, ok, err := c.Improbe(comm.AnySource, 12345); ok || m != nil || err != nil || st.Source != comm.AnySource {
			return fmt.Errorf("Improbe with nothing sent: %v %+v %v %v", m, st, ok, err)
		}
		var (
			mu   sync.Mutex
			got  []int
			errs []error
			wg   sync.WaitGroup
		)
		total := (n - 1) * each
		for g := range 2 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for k := g; k < total; k += 2 {
					m, st, err := c.Mprobe(ctx, comm.AnySource, comm.AnyTag)
					if err != nil {
						mu.Lock()
						errs = append(errs, err)
						mu.Unlock()
						return
					}
					var v int
					if st.Tag%2 == 1 {
						var wrong int
						if _, err := m.Recv(&wrong); err == nil || !strings.Contains(err.Error(), "type mismatch") {
							mu.Lock()
							errs = append(errs, fmt.Errorf("Message.Recv of a string into *int: %v", err))
							mu.Unlock()
							return
						}
						var s string
						if _, err = m.Recv(&s); err == nil {
							_, err = fmt.Sscan(s, &v)
						}
					} else {
						_, err = m.Recv(&v)
					}
					mu.Lock()
					if err != nil {
						errs = append(errs, err)
					}
					got = append(got, v)
					mu.Unlock()
					if _, err := m.Recv(&v); err == nil {
						mu.Lock()
						errs = append(errs, fmt.Errorf("a Message was received twice"))
						mu.Unlock()
					}
				}
			}()
		}
		wg.Wait()
		if len(errs) > 0 {
			return errs[0]
		}
		var want []int
		for src := 1; src < n; src++ {
			for i := range each {
				want = append(want, src*1000+i)
			}
		}
		slices.Sort(got)
		if !slices.Equal(got, want) {
			return fmt.Errorf("Mprobe from two goroutines got %v, want %v", got, want)
		}
		m, st, err := c.Mprobe(ctx, comm.ProcNull, 0)
		v := 5
		if _, rerr := m.Recv(&v); err != nil || rerr != nil || st.Source != comm.ProcNull || v != 5 {
			return fmt.Errorf("Mprobe(ProcNull): %+v %v %v, value %d", st, err, rerr, v)
		}
		return nil
	})
}
