package costmodel

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
)

// Report is what commbench --fit writes and gorun-plot --commbench reads:
// the links fitted per mode and every collective measured, next to its
// prediction.
type Report struct {
	Ranks       int          `json:"ranks"`
	Nodes       int          `json:"nodes"`
	Links       []LinkFit    `json:"links"`
	Collectives []Collective `json:"collectives"`
}

// What a LinkFit was fitted to, as in its From.
const (
	FromLatency   = "latency"   // ping-pong: one-way time per message
	FromBandwidth = "bandwidth" // a window of messages: time per message streamed
	FromModel     = "model"     // the link priced: latency's alpha, the lower beta
)

// LinkFit is a link of one mode of commbench's output, in its units.
type LinkFit struct {
	Mode      string  `json:"mode"` // e.g. processes, processes-intra, processes-inter, nats-raw
	From      string  `json:"from"` // FromLatency, FromBandwidth or FromModel
	AlphaUsec float64 `json:"alpha_us"`
	BetaMBps  float64 `json:"beta_MBps"` // 10^6 bytes per second
	R2        float64 `json:"r2"`
	MaxRelErr float64 `json:"max_rel_err"`
	Sizes     int     `json:"sizes"`
}

// Link is f as a Link.
func (f LinkFit) Link() Link {
	return Link{Alpha: f.AlphaUsec * 1e-6, Beta: f.BetaMBps * 1e6, R2: f.R2, MaxRelErr: f.MaxRelErr, Sizes: f.Sizes}
}

// NewLinkFit is l of mode, from from.
func NewLinkFit(mode, from string, l Link) LinkFit {
	return LinkFit{Mode: mode, From: from, AlphaUsec: l.Alpha * 1e6, BetaMBps: l.Beta / 1e6, R2: l.R2, MaxRelErr: l.MaxRelErr, Sizes: l.Sizes}
}

// Collective is one measured collective row and, where a model applies,
// its prediction (ModelUsec 0 and Algorithm empty when none does).
type Collective struct {
	Op        string  `json:"op"`
	Mode      string  `json:"mode"`
	Ranks     int     `json:"ranks"`
	Bytes     int     `json:"bytes"`
	Usec      float64 `json:"usec"`
	ModelUsec float64 `json:"model_us,omitempty"`
	Algorithm string  `json:"algorithm,omitempty"`
	Links     string  `json:"links,omitempty"` // the modes whose FromModel links were priced: intra[,inter]
}

// Write writes r as indented JSON.
func (r *Report) Write(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// ReadReport reads a Report from path, with an error naming the file
// when it is not one.
func ReadReport(path string) (*Report, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var r Report
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, fmt.Errorf("%s: not a commbench --fit report: %w", path, err)
	}
	if r.Ranks < 1 || r.Nodes < 1 {
		return nil, fmt.Errorf("%s: not a commbench --fit report: ranks %d, nodes %d", path, r.Ranks, r.Nodes)
	}
	for i, l := range r.Links {
		if l.Mode == "" || !(l.AlphaUsec > 0) || !(l.BetaMBps > 0) {
			return nil, fmt.Errorf("%s: link %d (%q): want a mode and positive alpha_us and beta_MBps", path, i, l.Mode)
		}
	}
	if len(r.Collectives) == 0 {
		return nil, errors.New(path + ": no collectives measured (commbench --ops with bcast, allreduce, alltoall or barrier)")
	}
	return &r, nil
}
