//go:build linux

package launcher

import (
	"bufio"
	"bytes"
	"io"
	"strings"
	"testing"
)

func TestFrames(t *testing.T) {
	var buf bytes.Buffer
	fw := newFrameWriter(&buf)
	big := strings.Repeat("x", 70000)
	fw.send(frameStdout, []byte("line\n"))
	fw.send(frameUp, nil)
	fw.sendJSON(frameExit, rankExit{Rank: 3, Code: 2, Reason: "exited with code 2"})
	io.WriteString(streamWriter{fw, frameStderr}, big)
	r := bufio.NewReader(&buf)
	for _, want := range []struct {
		kind byte
		p    string
	}{
		{frameStdout, "line\n"},
		{frameUp, ""},
		{frameExit, `{"Rank":3,"Code":2,"Signal":0,"Reason":"exited with code 2","Aborted":false}`},
		{frameStderr, big},
	} {
		kind, p, err := readFrame(r)
		if err != nil || kind != want.kind || string(p) != want.p {
			t.Fatalf("frame %q %.40q %v, want %q %.40q", kind, p, err, want.kind, want.p)
		}
	}
	if _, _, err := readFrame(r); err != io.EOF {
		t.Errorf("after the last frame: %v, want EOF", err)
	}
	// A frame cut short is an error, not a frame.
	buf.Reset()
	fw.send(frameStdout, []byte("abcdef"))
	cut := bufio.NewReader(bytes.NewReader(buf.Bytes()[:buf.Len()-2]))
	if _, _, err := readFrame(cut); err != io.ErrUnexpectedEOF {
		t.Errorf("a cut frame: %v, want unexpected EOF", err)
	}
}

func TestStarters(t *testing.T) {
	argv := []string{"/opt/gorun's dir/gorun", "--agent"}
	ssh := newStarter(&Config{SSH: "ssh -F /etc/cfg"}).command("node1", argv)
	if got, want := strings.Join(ssh.Args, " "), `ssh -F /etc/cfg -x -o BatchMode=yes -- node1 '/opt/gorun'\''s dir/gorun' '--agent'`; got != want {
		t.Errorf("ssh: %s\nwant %s", got, want)
	}
	tpl := newStarter(&Config{LaunchAgent: "ip netns exec g{host}"}).command("h1", argv)
	if got, want := tpl.Args, []string{"ip", "netns", "exec", "gh1", argv[0], "--agent"}; strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("template: %q, want %q", got, want)
	}
}
