package launcher

import (
	"bufio"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/gorun-dev/gorun/comm/natsbus"
)

// The launcher and each host's agent talk over the agent's stdin and
// stdout (through ssh, or whatever the launch template runs): a stream of
// frames, each a kind byte, a uvarint length and the payload. The stream
// is reliable and ordered, so frames on it need no acknowledgement; the
// agent's stdin reaching EOF means the launcher is gone.
const (
	// launcher to agent
	frameConfig   = 'c' // agentConfig as JSON, the first frame
	frameStdin    = 'i' // bytes for rank 0's stdin
	frameStdinEOF = 'I' // rank 0's stdin is at its end
	frameCheck    = 'q' // report once every rank's inbox is known to this host's server
	frameTerm     = 't' // end the ranks: the signal's number, SIGKILL after the grace period
	frameKill     = 'k' // SIGKILL every rank now
	frameFinish   = 'f' // the job is over: stop the server and exit

	// agent to launcher
	frameStdout  = 'o' // whole lines for the job's stdout
	frameStderr  = 'e' // whole lines for the job's stderr
	frameUp      = 'u' // routes up, the ranks are starting: the server's id
	frameExit    = 'x' // a rank exited: rankExit as JSON
	frameChecked = 'Q' // answer to frameCheck
	frameFailed  = 'E' // the agent cannot run its ranks: agentFailure as JSON
	frameLost    = 'L' // the agent lost the launcher and kills its ranks: why
	frameRoute   = 'R' // a route of the agent's server closed: the other server's id
	frameSamples = 'm' // the ranks' CPU and memory: []RankUsage as JSON
)

// maxFrame bounds a frame's payload; output lines are at most MaxLine.
const maxFrame = 16 << 20

// agentConfig is everything an agent needs, secrets included: it travels
// on the agent's stdin, never in its argv or environment.
type agentConfig struct {
	Job       string
	Token     string // the client token of every server of the job
	RouteUser string
	RoutePass string
	Seed      string // the launcher's route address, as this host reaches it
	RouteTLS  *natsbus.RouteTLS

	Host  string // the host's name in the host list
	Node  int    // its index there
	Nodes int
	Size  int
	Ranks []int // the ranks on this host
	Mode  Mode  // ModeProcesses, or ModeHybrid: one process holds them all

	Program string
	Args    []string
	Dir     string   // working directory for the ranks, when it exists here
	Env     []string // KEY=VALUE for every rank (Config.Env, resolved by the launcher)

	Tag         bool
	TagHost     bool // "[rank N host]" instead of "[rank N]"
	Grace       time.Duration
	HostTimeout time.Duration
	Verbose     bool
	Monitor     time.Duration // sample the ranks this often (gorun --monitor); 0: never
}

// rankExit reports how one rank ended: Code 0 for success.
type rankExit struct {
	Rank    int
	Code    int
	Signal  int
	Reason  string
	Aborted bool // it failed only because the job was aborted (rank.induced)
}

// agentFailure reports why an agent could not run its ranks; Code is the
// exit status gorun should end with.
type agentFailure struct {
	Code int
	Msg  string
}

// frameWriter writes frames from many goroutines, each whole.
type frameWriter struct {
	mu  sync.Mutex
	w   *bufio.Writer
	err error
}

func newFrameWriter(w io.Writer) *frameWriter { return &frameWriter{w: bufio.NewWriter(w)} }

func (fw *frameWriter) send(kind byte, p []byte) error {
	fw.mu.Lock()
	defer fw.mu.Unlock()
	if fw.err != nil {
		return fw.err
	}
	var hdr [1 + binary.MaxVarintLen64]byte
	hdr[0] = kind
	n := 1 + binary.PutUvarint(hdr[1:], uint64(len(p)))
	fw.w.Write(hdr[:n])
	fw.w.Write(p)
	fw.err = fw.w.Flush()
	return fw.err
}

func (fw *frameWriter) sendJSON(kind byte, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return fw.send(kind, b)
}

// streamWriter is an io.Writer that sends every write as one frame.
type streamWriter struct {
	fw   *frameWriter
	kind byte
}

func (s streamWriter) Write(p []byte) (int, error) {
	total := len(p)
	for len(p) > 0 {
		n := min(len(p), maxFrame)
		if err := s.fw.send(s.kind, p[:n]); err != nil {
			return 0, err
		}
		p = p[n:]
	}
	return total, nil
}

// readFrame reads the next frame.
func readFrame(r *bufio.Reader) (byte, []byte, error) {
	kind, err := r.ReadByte()
	if err != nil {
		return 0, nil, err
	}
	n, err := binary.ReadUvarint(r)
	if err != nil {
		return 0, nil, unexpectedEOF(err)
	}
	if n > maxFrame {
		return 0, nil, fmt.Errorf("frame %q of %d bytes: over the limit of %d", kind, n, maxFrame)
	}
	p := make([]byte, n)
	if _, err := io.ReadFull(r, p); err != nil {
		return 0, nil, unexpectedEOF(err)
	}
	return kind, p, nil
}

func unexpectedEOF(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}
