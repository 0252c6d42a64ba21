package costmodel_test

import (
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/gorun-dev/gorun/cmd/internal/costmodel"
)

// synthetic returns reps samples per size of a link with latency alpha
// and bandwidth beta, each off by up to ±noise (relative), and, with
// outliers, one sample per size ten times too slow, which the medians
// must ignore.
func synthetic(rng *rand.Rand, alpha, beta, noise float64, reps int, outliers bool) []costmodel.Sample {
	var out []costmodel.Sample
	for m := 1; m <= 4<<20; m *= 4 {
		t := alpha + float64(m)/beta
		for range reps {
			out = append(out, costmodel.Sample{Bytes: m, Seconds: t * (1 + noise*(2*rng.Float64()-1))})
		}
		if outliers {
			out = append(out, costmodel.Sample{Bytes: m, Seconds: 10 * t})
		}
	}
	return out
}

func TestFitRecoversParameters(t *testing.T) {
	for _, tc := range []struct {
		name        string
		alpha, beta float64
		noise       float64
		reps        int
		outliers    bool
		tol         float64 // relative error allowed on alpha and beta
	}{
		{"exact loopback", 25e-6, 800e6, 0, 1, false, 1e-9},
		{"exact 1GbE", 60e-6, 117e6, 0, 1, false, 1e-9},
		{"noisy", 40e-6, 300e6, 0.05, 5, false, 0.08},
		{"outliers", 40e-6, 300e6, 0.02, 5, true, 0.05},
		{"goroutine hop", 0.3e-6, 5e9, 0.03, 3, false, 0.08},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(1, 2))
			l, err := costmodel.Fit(synthetic(rng, tc.alpha, tc.beta, tc.noise, tc.reps, tc.outliers))
			if err != nil {
				t.Fatal(err)
			}
			if e := math.Abs(l.Alpha-tc.alpha) / tc.alpha; e > tc.tol {
				t.Errorf("alpha %.4g, want %.4g (off by %.1f%%)", l.Alpha, tc.alpha, 100*e)
			}
			if e := math.Abs(l.Beta-tc.beta) / tc.beta; e > tc.tol {
				t.Errorf("beta %.4g, want %.4g (off by %.1f%%)", l.Beta, tc.beta, 100*e)
			}
			if l.R2 < 0.99 || l.R2 > 1 {
				t.Errorf("R2 %v, want in [0.99, 1]", l.R2)
			}
			if l.MaxRelErr > 2*tc.noise+1e-9 {
				t.Errorf("max relative error %v over noise %v", l.MaxRelErr, tc.noise)
			}
			if l.Sizes != 12 {
				t.Errorf("%d sizes, want 12", l.Sizes)
			}
		})
	}
}

// A model that does not hold (time jumps at one size) shows in the
// residual.
func TestFitReportsMisfit(t *testing.T) {
	var s []costmodel.Sample
	for m := 1; m <= 1<<20; m *= 2 {
		sec := 20e-6 + float64(m)/1e9
		if m >= 64<<10 {
			sec *= 3 // a protocol switch the model does not know
		}
		s = append(s, costmodel.Sample{Bytes: m, Seconds: sec})
	}
	l, err := costmodel.Fit(s)
	if err != nil {
		t.Fatal(err)
	}
	if l.MaxRelErr < 0.3 {
		t.Errorf("max relative error %v on a broken model, want >= 0.3", l.MaxRelErr)
	}
}

func TestFitBadInput(t *testing.T) {
	for _, tc := range []struct {
		name    string
		samples []costmodel.Sample
		want    string
	}{
		{"none", nil, "two or more message sizes"},
		{"one size", []costmodel.Sample{{8, 1e-5}, {8, 2e-5}}, "two or more message sizes"},
		{"zero time", []costmodel.Sample{{8, 1e-5}, {16, 0}}, "sample 1 (16 bytes): time 0 is not a positive number"},
		{"negative time", []costmodel.Sample{{8, -1e-5}, {16, 1e-5}}, "sample 0 (8 bytes)"},
		{"NaN", []costmodel.Sample{{8, 1e-5}, {16, math.NaN()}}, "not a positive number"},
		{"infinite", []costmodel.Sample{{8, 1e-5}, {16, math.Inf(1)}}, "not a positive number"},
		{"negative bytes", []costmodel.Sample{{-8, 1e-5}, {16, 1e-5}}, "sample 0: -8 bytes"},
		{"flat", []costmodel.Sample{{8, 1e-5}, {1 << 20, 1e-5}}, "does not grow"},
		{"falling", []costmodel.Sample{{8, 2e-5}, {1 << 20, 1e-5}}, "does not grow"},
		{"no latency", []costmodel.Sample{{1000, 1e-6}, {2000, 3e-6}}, "latency"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := costmodel.Fit(tc.samples)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want one containing %q", err, tc.want)
			}
			if tc.want == "two or more message sizes" && !errors.Is(err, costmodel.ErrTooFewSizes) {
				t.Errorf("error %v is not ErrTooFewSizes", err)
			}
		})
	}
}
