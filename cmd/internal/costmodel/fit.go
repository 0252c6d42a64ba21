package costmodel

import (
	"errors"
	"fmt"
	"math"
	"slices"
)

// Sample is one timing: a message of Bytes took Seconds one way.
type Sample struct {
	Bytes   int
	Seconds float64
}

// Link is a fitted Hockney model: sending m bytes takes Alpha + m/Beta
// seconds.
type Link struct {
	Alpha     float64 // seconds per message
	Beta      float64 // bytes per second
	R2        float64 // coefficient of determination of the fit on the medians
	MaxRelErr float64 // largest |fit - median| / median over the sizes
	Sizes     int     // distinct message sizes fitted
}

// Time is the modelled one-way time of a message of m bytes, in seconds.
func (l Link) Time(m float64) float64 { return l.Alpha + m/l.Beta }

// ErrTooFewSizes is returned by Fit when fewer than two message sizes are
// given: two numbers need two sizes.
var ErrTooFewSizes = errors.New("costmodel: need samples at two or more message sizes")

// Fit returns the link that best explains samples: the median time of each
// size, fitted by least squares on relative error (each residual divided
// by its median). Every sample needs Bytes >= 0 and a positive, finite
// Seconds. It fails when the sizes are fewer than two or when the medians
// imply a latency or a bandwidth that is not positive (times that fall as
// messages grow).
func Fit(samples []Sample) (Link, error) {
	bySize := map[int][]float64{}
	for i, s := range samples {
		if s.Bytes < 0 {
			return Link{}, fmt.Errorf("costmodel: sample %d: %d bytes", i, s.Bytes)
		}
		if !(s.Seconds > 0) || math.IsInf(s.Seconds, 0) {
			return Link{}, fmt.Errorf("costmodel: sample %d (%d bytes): time %v is not a positive number", i, s.Bytes, s.Seconds)
		}
		bySize[s.Bytes] = append(bySize[s.Bytes], s.Seconds)
	}
	if len(bySize) < 2 {
		return Link{}, ErrTooFewSizes
	}
	sizes := make([]int, 0, len(bySize))
	for m := range bySize {
		sizes = append(sizes, m)
	}
	slices.Sort(sizes)
	meds := make([]float64, len(sizes))
	for i, m := range sizes {
		meds[i] = median(bySize[m])
	}
	// Weighted least squares of t = a + b·m with weights 1/t²: the normal
	// equations of sum w(t - a - b·m)².
	var sw, sx, sy, sxx, sxy float64
	for i, m := range sizes {
		w, x, y := 1/(meds[i]*meds[i]), float64(m), meds[i]
		sw, sx, sy, sxx, sxy = sw+w, sx+w*x, sy+w*y, sxx+w*x*x, sxy+w*x*y
	}
	det := sw*sxx - sx*sx
	a, b := (sxx*sy-sx*sxy)/det, (sw*sxy-sx*sy)/det
	switch {
	case !(b > 0):
		return Link{}, fmt.Errorf("costmodel: time does not grow with message size (slope %.3g s/byte): no bandwidth to fit", b)
	case !(a > 0):
		return Link{}, fmt.Errorf("costmodel: fitted latency %.3g s is not positive: add small message sizes", a)
	}
	l := Link{Alpha: a, Beta: 1 / b, Sizes: len(sizes)}
	var mean, ssTot, ssRes float64
	for _, y := range meds {
		mean += y / float64(len(meds))
	}
	for i, m := range sizes {
		f := l.Time(float64(m))
		ssRes += (meds[i] - f) * (meds[i] - f)
		ssTot += (meds[i] - mean) * (meds[i] - mean)
		l.MaxRelErr = max(l.MaxRelErr, math.Abs(f-meds[i])/meds[i])
	}
	l.R2 = 1
	if ssTot > 0 {
		l.R2 = 1 - ssRes/ssTot
	}
	return l, nil
}

func median(v []float64) float64 {
	s := slices.Clone(v)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}
