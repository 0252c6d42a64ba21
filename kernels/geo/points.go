package geo

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Points is a flat point set: point i is (XY[2i], XY[2i+1]) (lon, lat before
// projection) named IDs[i] (IDs may be nil when names are not needed).
type Points struct {
	IDs []string
	XY  []float64
}

// Len is the number of points.
func (p *Points) Len() int { return len(p.XY) / 2 }

// Project returns a copy of p with every point mapped through proj.
func (p *Points) Project(proj Projection) *Points {
	q := &Points{IDs: p.IDs, XY: make([]float64, len(p.XY))}
	proj.ForwardSlice(q.XY, p.XY)
	return q
}

// Append adds the points of o to p.
func (p *Points) Append(o *Points) {
	p.IDs = append(p.IDs, o.IDs...)
	p.XY = append(p.XY, o.XY...)
}

// PointOptions selects the CSV columns. The zero value takes the first
// column as the id and finds latitude and longitude by name.
type PointOptions struct {
	// ID, Lat and Lon name columns (case-insensitive). Empty ID means the
	// first column; empty Lat means latitude, lat or y; empty Lon means
	// longitude, lon, lng, long or x.
	ID, Lat, Lon string
	// Filter keeps only rows whose column matches (optional).
	Filter Filter
}

// CSVHeader is a parsed header line with the chosen columns.
type CSVHeader struct {
	Names                []string
	ID, Lat, Lon, Filter int   // column indexes; Filter is -1 when unused
	DataStart            int64 // byte offset of the first data line
	filter               Filter
}

// IDName is the name of the id column.
func (h *CSVHeader) IDName() string { return h.Names[h.ID] }

var (
	latNames = []string{"latitude", "lat", "y"}
	lonNames = []string{"longitude", "lon", "lng", "long", "x"}
)

// ReadCSVHeader reads the header line of path and resolves opt's columns.
func ReadCSVHeader(path string, opt PointOptions) (*CSVHeader, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	line, err := bufio.NewReader(f).ReadBytes('\n')
	if err != nil && !(errors.Is(err, io.EOF) && len(line) > 0) {
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("%s: empty file, want a header line", path)
		}
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	h, err := parseHeader(line, opt)
	if err != nil {
		return nil, fmt.Errorf("%s: line 1: %w", path, err)
	}
	return h, nil
}

func parseHeader(line []byte, opt PointOptions) (*CSVHeader, error) {
	if !utf8.Valid(line) {
		return nil, errors.New("invalid UTF-8")
	}
	names, err := splitCSV(nil, trimEOL(trimBOM(line)))
	if err != nil {
		return nil, err
	}
	h := &CSVHeader{Names: append([]string(nil), names...), DataStart: int64(len(line)), Filter: -1, filter: opt.Filter}
	find := func(what, want string, auto []string) (int, error) {
		cands := auto
		if want != "" {
			cands = []string{want}
		}
		for _, c := range cands {
			for i, n := range h.Names {
				if strings.EqualFold(strings.TrimSpace(n), c) {
					return i, nil
				}
			}
		}
		return 0, fmt.Errorf("no %s column (looked for %s in %s)", what, strings.Join(cands, "/"), strings.Join(h.Names, ","))
	}
	if h.Lat, err = find("latitude", opt.Lat, latNames); err != nil {
		return nil, err
	}
	if h.Lon, err = find("longitude", opt.Lon, lonNames); err != nil {
		return nil, err
	}
	if opt.ID != "" {
		if h.ID, err = find("id", opt.ID, nil); err != nil {
			return nil, err
		}
	}
	if opt.Filter.Active() {
		if h.Filter, err = find("filter", opt.Filter.Key, nil); err != nil {
			return nil, err
		}
	}
	return h, nil
}

// LoadPoints reads every data row of a CSV file in file order.
func LoadPoints(path string, opt PointOptions) (*Points, *CSVHeader, error) {
	h, err := ReadCSVHeader(path, opt)
	if err != nil {
		return nil, nil, err
	}
	p, err := ReadPointsRange(path, h, 0, 1<<62)
	return p, h, err
}

// ReadPointsRange reads the data rows of path that start at a byte offset
// in [lo, hi): splitting a file's size into consecutive ranges reads every
// row exactly once. Fields must not hold newlines.
func ReadPointsRange(path string, h *CSVHeader, lo, hi int64) (*Points, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	lo = max(lo, h.DataStart)
	if hi <= lo {
		return &Points{}, nil
	}
	// Start one byte early: a row starts at lo only if a newline precedes it.
	if _, err := f.Seek(lo-1, io.SeekStart); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	br := bufio.NewReaderSize(f, 1<<16)
	pos := lo - 1
	skip, err := br.ReadSlice('\n')
	pos += int64(len(skip))
	if err != nil {
		return &Points{}, nil // no row starts in the range
	}
	p := &Points{}
	var fields []string
	for pos < hi {
		line, rerr := br.ReadSlice('\n')
		if errors.Is(rerr, bufio.ErrBufferFull) {
			line, rerr = readLongLine(br, line)
		}
		start := pos
		pos += int64(len(line))
		if len(line) > 0 {
			if fields, err = parseRow(p, fields, h, trimEOL(line)); err != nil {
				return nil, rowError(path, start, err)
			}
		}
		if rerr != nil {
			if !errors.Is(rerr, io.EOF) {
				return nil, fmt.Errorf("%s: %w", path, rerr)
			}
			break
		}
	}
	return p, nil
}

func readLongLine(br *bufio.Reader, first []byte) ([]byte, error) {
	buf := append([]byte(nil), first...)
	rest, err := br.ReadBytes('\n')
	return append(buf, rest...), err
}

// parseRow appends the point of one data line to p (empty lines are skipped).
func parseRow(p *Points, fields []string, h *CSVHeader, line []byte) ([]string, error) {
	if len(bytes.TrimSpace(line)) == 0 {
		return fields, nil
	}
	if !utf8.Valid(line) {
		return fields, errors.New("invalid UTF-8")
	}
	fields, err := splitCSV(fields[:0], line)
	if err != nil {
		return fields, err
	}
	if len(fields) != len(h.Names) {
		return fields, fmt.Errorf("%d fields, header has %d", len(fields), len(h.Names))
	}
	if h.Filter >= 0 && !h.filter.Match(fields[h.Filter]) {
		return fields, nil
	}
	lat, err := parseCoord(fields, h, h.Lat, maxLat)
	if err != nil {
		return fields, err
	}
	lon, err := parseCoord(fields, h, h.Lon, maxLon)
	if err != nil {
		return fields, err
	}
	p.XY = append(p.XY, lon, lat)
	p.IDs = append(p.IDs, strings.Clone(fields[h.ID]))
	return fields, nil
}

func parseCoord(fields []string, h *CSVHeader, col int, limit float64) (float64, error) {
	s := strings.TrimSpace(fields[col])
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || v != v || v < -limit || v > limit {
		return 0, fmt.Errorf("column %d (%s): bad coordinate %q", col+1, h.Names[col], fields[col])
	}
	return v, nil
}

// splitCSV splits one line on commas; quoted fields go through encoding/csv.
func splitCSV(dst []string, line []byte) ([]string, error) {
	if bytes.IndexByte(line, '"') >= 0 {
		r := csv.NewReader(bytes.NewReader(line))
		r.FieldsPerRecord = -1
		rec, err := r.Read()
		if err != nil {
			return dst, err
		}
		return append(dst, rec...), nil
	}
	s := string(line)
	for {
		i := strings.IndexByte(s, ',')
		if i < 0 {
			return append(dst, s), nil
		}
		dst = append(dst, s[:i])
		s = s[i+1:]
	}
}

func trimEOL(b []byte) []byte {
	b = bytes.TrimSuffix(b, []byte{'\n'})
	return bytes.TrimSuffix(b, []byte{'\r'})
}

// rowError names the file and the 1-based line of the row at byte off
// (counted only now, on the error path).
func rowError(path string, off int64, err error) error {
	line := 0
	if data, rerr := os.ReadFile(path); rerr == nil && off <= int64(len(data)) {
		line = lineAt(data, int(off))
	}
	return fmt.Errorf("%s: line %d: %w", path, line, err)
}
