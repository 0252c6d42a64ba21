package plots_test

import (
	"bytes"
	"testing"

	"github.com/gorun-dev/gorun/launcher/monitor"
	"github.com/gorun-dev/gorun/launcher/monitor/plots"
)

func TestDraw(t *testing.T) {
	rep, err := monitor.ReadReport("../testdata/run")
	if err != nil {
		t.Fatal(err)
	}
	samples, err := monitor.ReadSamples("../testdata/run")
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name  string
		draw  func(*bytes.Buffer) error
		magic string
	}{
		{"png", func(b *bytes.Buffer) error { return plots.PNG(b, rep, samples) }, "\x89PNG"},
		{"svg", func(b *bytes.Buffer) error { return plots.SVG(b, rep, samples) }, "<?xml"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := tt.draw(&b); err != nil {
				t.Fatal(err)
			}
			if !bytes.HasPrefix(b.Bytes(), []byte(tt.magic)) || b.Len() < 1000 {
				t.Errorf("%d bytes starting %q, want a figure", b.Len(), b.Bytes()[:min(b.Len(), 8)])
			}
		})
	}
	// Ranks gone before the first sample: an empty figure, not an error.
	var b bytes.Buffer
	if err := plots.PNG(&b, rep, nil); err != nil || b.Len() == 0 {
		t.Errorf("PNG without samples = %v, %d bytes", err, b.Len())
	}
}
