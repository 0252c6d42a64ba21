package wordcount

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
)

// DefaultBufferSize is the read buffer used when a caller passes none: the
// most input bytes one reader holds at a time (plus one over-long word).
const DefaultBufferSize = 4 << 20

// UTF8Error reports invalid UTF-8 input.
type UTF8Error struct {
	Name   string // file name, when known
	Line   int    // 1-based line of the bad byte, when known (0 = unknown)
	Offset int64  // byte offset of the first invalid byte
}

func (e *UTF8Error) Error() string {
	name := e.Name
	if name == "" {
		name = "input"
	}
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: invalid UTF-8 at byte offset %d", name, e.Line, e.Offset)
	}
	return fmt.Sprintf("%s: invalid UTF-8 at byte offset %d", name, e.Offset)
}

// CountReader counts the words of r into dst, reading through buf (nil or
// empty: a DefaultBufferSize buffer) and carrying a partial word from one
// buffer to the next; a word longer than buf grows a private copy. Offsets in
// a returned *UTF8Error count from the first byte read.
func CountReader(dst *Counts, r io.Reader, buf []byte) error {
	if len(buf) == 0 {
		buf = make([]byte, DefaultBufferSize)
	}
	var off int64 // input offset of buf[0]
	carry := 0
	for {
		if carry == len(buf) { // one word fills the buffer: grow
			buf = append(buf, make([]byte, len(buf))...)
		}
		n, err := io.ReadFull(r, buf[carry:])
		final := false
		switch {
		case err == io.EOF || err == io.ErrUnexpectedEOF:
			final = true
		case err != nil:
			return err
		}
		data := buf[:carry+n]
		used, bad := dst.scan(data, final)
		if bad >= 0 {
			return &UTF8Error{Offset: off + int64(bad)}
		}
		if final {
			return nil
		}
		carry = copy(buf, data[used:])
		off += int64(used)
	}
}

// CountRange counts the words of the byte range [lo, hi) of r, a file of size
// bytes, moved to word boundaries as the package comment says, reading through
// buf. Offsets in a returned *UTF8Error are file offsets.
func CountRange(dst *Counts, r io.ReaderAt, size, lo, hi int64, buf []byte) error {
	if lo < 0 || hi > size || lo > hi {
		return fmt.Errorf("wordcount: range [%d, %d) outside a file of %d bytes", lo, hi, size)
	}
	if lo == hi {
		return nil
	}
	a, b := int64(0), size
	var err error
	if lo > 0 {
		if a, err = NextSeparator(r, size, lo); err != nil {
			return err
		}
		a++
	}
	if hi < size {
		if b, err = NextSeparator(r, size, hi); err != nil {
			return err
		}
	}
	if a >= b {
		return nil
	}
	err = CountReader(dst, io.NewSectionReader(r, a, b-a), buf)
	if ue, ok := errors.AsType[*UTF8Error](err); ok {
		ue.Offset += a
	}
	return err
}

// NextSeparator returns the offset of the first ASCII separator byte at or
// after off in r, a file of size bytes, or size when there is none.
func NextSeparator(r io.ReaderAt, size, off int64) (int64, error) {
	var block [4096]byte
	for off < size {
		n, err := r.ReadAt(block[:min(int64(len(block)), size-off)], off)
		for i, ch := range block[:n] {
			if class[ch] == clSep {
				return off + int64(i), nil
			}
		}
		off += int64(n)
		if err != nil && !(err == io.EOF && off >= size) {
			return 0, err
		}
	}
	return size, nil
}

// LineAt returns the 1-based line number of byte offset off in r: one plus
// the number of '\n' bytes before it.
func LineAt(r io.ReaderAt, off int64) (int, error) {
	line := 1
	err := chunks(r, off, func(b []byte) { line += bytes.Count(b, []byte{'\n'}) })
	return line, err
}

// chunks calls fn on the bytes [0, n) of r, 64 KiB at a time.
func chunks(r io.ReaderAt, n int64, fn func([]byte)) error {
	buf := make([]byte, 64<<10)
	for off := int64(0); off < n; {
		m, err := r.ReadAt(buf[:min(int64(len(buf)), n-off)], off)
		fn(buf[:m])
		off += int64(m)
		if err != nil && off < n {
			return err
		}
	}
	return nil
}

// CountPiece counts the words of one piece of a Plan into dst, reading
// through buf. Invalid UTF-8 is a *UTF8Error naming the file, the line and the
// byte offset.
func CountPiece(dst *Counts, p Piece, buf []byte) error {
	f, err := os.Open(p.Path)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	if st.Size() != p.Size {
		return fmt.Errorf("%s: size changed from %d to %d bytes while counting", p.Path, p.Size, st.Size())
	}
	err = CountRange(dst, f, p.Size, p.Lo, p.Hi, buf)
	if ue, ok := errors.AsType[*UTF8Error](err); ok {
		ue.Name = p.Path
		ue.Line, _ = LineAt(f, ue.Offset)
	}
	return err
}

// ErrDevice is why CountStream refuses a device: one like /dev/zero or
// /dev/urandom never ends, and a terminal waits for typing; what a user
// means to count from one can be piped in (head -c 1G /dev/urandom |
// wordcount /dev/stdin), and a pipe is read.
var ErrDevice = errors.New("is a device, which may never end; pipe what to count into /dev/stdin instead")

// CountStream counts the words of path, a File of Size Stream, into dst,
// reading it once from start to end through buf: a FIFO or /dev/stdin as
// a pipe is read; a character or block device is refused with ErrDevice
// (wrapped in an *fs.PathError naming path). Offsets in a returned
// *UTF8Error count from the first byte read; its Line is not known.
func CountStream(dst *Counts, path string, buf []byte) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	if st.Mode()&fs.ModeDevice != 0 {
		return &fs.PathError{Op: "read", Path: path, Err: ErrDevice}
	}
	err = CountReader(dst, f, buf)
	if ue, ok := errors.AsType[*UTF8Error](err); ok {
		ue.Name = path
	}
	return err
}
