package comm_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/gorun-dev/gorun/comm"
	"github.com/nats-io/nats.go"
)

// BenchmarkNATSPingPong compares a comm ping-pong over the NATS transport
// with raw nats.go pub/sub ping-pongs on the same embedded server. One op
// is one round trip; us/oneway is half of it, MB/s counts both directions.
// The "interleaved" runs alternate comm and raw-async round trips within
// one loop and report their ratio, which holds up on a loaded machine
// where separate runs drift apart.
//
//	go test -run '^$' -bench NATSPingPong -benchtime 2s ./comm/
func BenchmarkNATSPingPong(b *testing.B) {
	srv := natsBus(b)
	for _, size := range []int{8, 1 << 20} {
		name := fmt.Sprintf("%dB", size)
		if size >= 1<<20 {
			name = fmt.Sprintf("%dMiB", size>>20)
		}
		kinds := []struct {
			name string
			mk   func(b *testing.B) (roundTrip func(), stop func())
		}{
			{"comm", func(b *testing.B) (func(), func()) {
				return commPingPong(b, natsWorld(b, srv, fmt.Sprintf("bench%d", size), 2), size)
			}},
			{"raw-async", func(b *testing.B) (func(), func()) {
				return rawPingPong(b, natsClient(b, srv), natsClient(b, srv), size, false)
			}},
			{"raw-sync", func(b *testing.B) (func(), func()) {
				return rawPingPong(b, natsClient(b, srv), natsClient(b, srv), size, true)
			}},
		}
		for _, k := range kinds {
			b.Run(k.name+"/"+name, func(b *testing.B) {
				rt, stop := k.mk(b)
				b.SetBytes(int64(2 * size))
				b.ResetTimer()
				for range b.N {
					rt()
				}
				b.StopTimer()
				b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(2*b.N), "us/oneway")
				stop()
			})
		}
		b.Run("interleaved/"+name, func(b *testing.B) {
			commRT, stopComm := kinds[0].mk(b)
			rawRT, stopRaw := kinds[1].mk(b)
			var tc, tr time.Duration
			b.SetBytes(int64(4 * size))
			b.ResetTimer()
			for range b.N {
				t0 := time.Now()
				commRT()
				t1 := time.Now()
				rawRT()
				tr += time.Since(t1)
				tc += t1.Sub(t0)
			}
			b.StopTimer()
			b.ReportMetric(float64(tc.Microseconds())/float64(2*b.N), "comm-us/oneway")
			b.ReportMetric(float64(tr.Microseconds())/float64(2*b.N), "raw-us/oneway")
			b.ReportMetric(float64(tc)/float64(tr), "comm/raw")
			stopComm()
			stopRaw()
		})
	}
}

// commPingPong starts rank 1 echoing and returns a round trip from rank 0.
func commPingPong(b *testing.B, comms []*comm.Comm, size int) (roundTrip, stop func()) {
	ctx := context.Background()
	msg := make([]byte, size)
	done := make(chan error, 1)
	go func() { // rank 1 echoes until it gets an empty message
		var in []byte
		for {
			if _, err := comms[1].Recv(ctx, 0, 0, &in); err != nil {
				done <- err
				return
			}
			if len(in) == 0 {
				done <- nil
				return
			}
			if err := comms[1].Send(ctx, 0, 0, in); err != nil {
				done <- err
				return
			}
		}
	}()
	var in []byte
	roundTrip = func() {
		if err := comms[0].Send(ctx, 1, 0, msg); err != nil {
			b.Fatal(err)
		}
		if _, err := comms[0].Recv(ctx, 1, 0, &in); err != nil {
			b.Fatal(err)
		}
	}
	stop = func() {
		if err := comms[0].Send(ctx, 1, 0, []byte{}); err != nil {
			b.Fatal(err)
		}
		if err := <-done; err != nil {
			b.Fatal(err)
		}
	}
	return roundTrip, stop
}

// rawPingPong: a publishes to ping, e echoes to pong. With sync, both
// sides receive with SubscribeSync/NextMsg; else with an async
// subscription handing messages over a channel, as comm does.
func rawPingPong(b *testing.B, a, e *nats.Conn, size int, sync bool) (roundTrip, stop func()) {
	ping, pong := fmt.Sprintf("raw.%d.%v.ping", size, sync), fmt.Sprintf("raw.%d.%v.pong", size, sync)
	recv := func(nc *nats.Conn, subj string) func() []byte {
		if sync {
			sub, err := nc.SubscribeSync(subj)
			if err != nil {
				b.Fatal(err)
			}
			return func() []byte {
				m, err := sub.NextMsg(10 * time.Second)
				if err != nil {
					b.Fatal(err)
				}
				return m.Data
			}
		}
		ch := make(chan []byte, 1024)
		sub, err := nc.Subscribe(subj, func(m *nats.Msg) { ch <- m.Data })
		if err == nil {
			err = sub.SetPendingLimits(-1, -1)
		}
		if err != nil {
			b.Fatal(err)
		}
		return func() []byte { return <-ch }
	}
	recvPing, recvPong := recv(e, ping), recv(a, pong)
	if err := e.Flush(); err != nil {
		b.Fatal(err)
	}
	if err := a.Flush(); err != nil {
		b.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			in := recvPing()
			if len(in) == 0 {
				return
			}
			if err := e.Publish(pong, in); err != nil {
				b.Error(err)
				return
			}
		}
	}()
	msg := make([]byte, size)
	roundTrip = func() {
		if err := a.Publish(ping, msg); err != nil {
			b.Fatal(err)
		}
		recvPong()
	}
	stop = func() {
		if err := a.Publish(ping, nil); err != nil {
			b.Fatal(err)
		}
		<-done
	}
	return roundTrip, stop
}

// BenchmarkNATSLarge sends 64 MiB messages one way (chunked by the
// transport), each acknowledged by an empty message: in the default
// chunks (256 KiB), in 1 MiB and in 8 MiB (the server's MaxPayload) ones,
// and as raw 1 MiB NATS messages.
//
//	go test -run '^$' -bench NATSLarge ./comm/
func BenchmarkNATSLarge(b *testing.B) {
	srv := natsBus(b)
	const size = 64 << 20
	for _, chunk := range []int{0, 1<<20 + 32, 8 << 20} {
		name := fmt.Sprintf("chunk=%dKiB", chunk>>10)
		if chunk == 0 {
			name = "default"
		}
		b.Run(name, func(b *testing.B) {
			defer comm.SetNATSLimits(chunk, 0)()
			comms := natsWorld(b, srv, fmt.Sprintf("large%d", chunk>>10), 2)
			ctx := context.Background()
			msg := make([]byte, size)
			done := make(chan error, 1)
			go func() {
				var in []byte
				for range b.N {
					if _, err := comms[1].Recv(ctx, 0, 0, &in); err != nil {
						done <- err
						return
					}
					if err := comms[1].Send(ctx, 0, 1, 0); err != nil {
						done <- err
						return
					}
				}
				done <- nil
			}()
			b.SetBytes(size)
			b.ResetTimer()
			cpu0 := cpuTime()
			for range b.N {
				if err := comms[0].Send(ctx, 1, 0, msg); err != nil {
					b.Fatal(err)
				}
				var ack int
				if _, err := comms[0].Recv(ctx, 1, 1, &ack); err != nil {
					b.Fatal(err)
				}
			}
			if err := <-done; err != nil {
				b.Fatal(err)
			}
			reportCPU(b, cpu0)
		})
	}
	// The same bytes as raw 1 MiB NATS messages, acknowledged per 64 MiB.
	b.Run("raw-1MiB-msgs", func(b *testing.B) {
		a, e := natsClient(b, srv), natsClient(b, srv)
		const chunk = 1 << 20
		got := make(chan struct{}, 1)
		n := 0
		if _, err := e.Subscribe("raw.large", func(m *nats.Msg) {
			if n += len(m.Data); n == size {
				n = 0
				if err := e.Publish("raw.large.ack", nil); err != nil {
					b.Error(err)
				}
			}
		}); err != nil {
			b.Fatal(err)
		}
		if _, err := a.Subscribe("raw.large.ack", func(*nats.Msg) { got <- struct{}{} }); err != nil {
			b.Fatal(err)
		}
		if err := e.Flush(); err != nil {
			b.Fatal(err)
		}
		if err := a.Flush(); err != nil {
			b.Fatal(err)
		}
		msg := make([]byte, chunk)
		b.SetBytes(size)
		b.ResetTimer()
		cpu0 := cpuTime()
		for range b.N {
			for range size / chunk {
				if err := a.Publish("raw.large", msg); err != nil {
					b.Fatal(err)
				}
			}
			<-got
		}
		reportCPU(b, cpu0)
	})
}

func reportCPU(b *testing.B, since time.Duration) {
	b.ReportMetric(float64((cpuTime()-since).Microseconds())/1e3/float64(b.N), "cpu-ms/op")
}
