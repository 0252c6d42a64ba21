// Command rankprog is the SPMD program the chaos suite (tools/chaos) runs
// under gorun: one scenario per trial kind, each leaving what the trial
// checks in files of its --dir and lines on its output.
//
//	rankprog fail --rank R --how exit|panic|kill|error --after D --dir DIR
//	rankprog idle --dir DIR
//	rankprog burst --count K --dir DIR
//	rankprog mismatch --kind collective|root|op|count --seed S --dir DIR
//
// Every scenario but mismatch starts two `sleep` children per rank
// (grandchildren of gorun, which must not outlive the job), the second in
// a session of its own (setsid, where the platform has one), and writes
// DIR/rank.R holding the rank's pid once it is running.
//
// fail: every rank loops over an Allreduce and a round of messages from
// rank R to the others; at --after, rank R writes DIR/failed (the time, in
// Unix nanoseconds) and fails: exit exits 3 (os.Exit in a rank process;
// comm.Exit in a goroutine world, where os.Exit would end every rank),
// panic panics, kill sends itself SIGKILL, error returns an error. The
// others are blocked in the Allreduce or in a Recv from R by then.
//
// idle: every rank blocks in a Recv that nothing satisfies, until the job
// is ended.
//
// burst: every rank but 0 sends K numbered messages to rank 0, which
// checks that each sender's arrive complete, in order and once, writing
// DIR/receiving at the first and DIR/done after the last, and prints "burst: received N of N, reordered X, extra Y".
//
// mismatch: the ranks split (from --seed, the same on every rank) into two
// groups that call collectives differing in kind, root, reduction op or
// element count; each rank prints "mismatch rank R in Ts: ..." when it
// got a *comm.MismatchError, "error rank R in Ts: ..." for another error
// and "result rank R in Ts: ..." when its call succeeded (T: how long the
// call took), then waits up to 3 s for every rank to report and returns
// nil.
package main
