//go:build linux

package launcher

import (
	"bytes"
	"strings"
	"testing"
)

func TestLineWriter(t *testing.T) {
	long := strings.Repeat("a", MaxLine)
	tests := []struct {
		name   string
		chunks []string
		want   string
	}{
		{name: "whole lines", chunks: []string{"a\nb\n"}, want: "P a\nP b\n"},
		{name: "split across writes", chunks: []string{"he", "llo\nwor", "ld\n"}, want: "P hello\nP world\n"},
		{name: "last line without newline", chunks: []string{"a\nb"}, want: "P a\nP b\n"},
		{name: "empty lines", chunks: []string{"\n\n"}, want: "P \nP \n"},
		{name: "nothing", chunks: nil, want: ""},
		{name: "exactly MaxLine", chunks: []string{long[:10], long[10:], "\n"}, want: "P " + long + "\n"},
		{name: "MaxLine+1 is split", chunks: []string{long + "b\n"}, want: "P " + long + "\nP b\n"},
		{name: "never a newline", chunks: []string{long, long, "c"}, want: "P " + long + "\nP " + long + "\nP c\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			w := newLineWriter(&dest{w: &out}, "P ", false)
			for _, c := range tt.chunks {
				if n, err := w.Write([]byte(c)); n != len(c) || err != nil {
					t.Fatalf("Write(%d bytes) = %d, %v", len(c), n, err)
				}
			}
			if err := w.Flush(); err != nil {
				t.Fatal(err)
			}
			if got := out.String(); got != tt.want {
				t.Errorf("got %q\nwant %q", shorten(got), shorten(tt.want))
			}
		})
	}
}

func TestLineWriterPanicLine(t *testing.T) {
	var out bytes.Buffer
	w := newLineWriter(&dest{w: &out}, "", true)
	w.Write([]byte("some output\npanic: boom\n\ngoroutine 1 [running]:\npanic: again\n"))
	if got := w.PanicLine(); got != "panic: boom" {
		t.Errorf("PanicLine = %q, want %q", got, "panic: boom")
	}
}

func shorten(s string) string {
	if len(s) > 80 {
		return s[:40] + "..." + s[len(s)-40:]
	}
	return s
}

func BenchmarkLineWriter(b *testing.B) {
	chunk := bytes.Repeat([]byte(strings.Repeat("x", 99)+"\n"), 320) // 32 KB, as exec copies
	w := newLineWriter(&dest{w: discard{}}, "[rank 3] ", false)
	b.SetBytes(int64(len(chunk)))
	for b.Loop() {
		w.Write(chunk)
	}
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }
