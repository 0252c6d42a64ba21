// Command hugemsg sends one large []byte from rank 1 to rank 0 and reports
// the receiver's peak resident set (VmHWM) against the message size: the
// memory a huge message costs at its destination.
//
//	gorun -n 2 bin/hugemsg --bytes 3GiB [--into]
//
// Rank 1 fills the message with a pattern and sends it; rank 0 receives it
// (with Recv into a *[]byte, or with --into into a buffer of its own
// through RecvInto), checks every byte against the pattern without a
// second copy, and prints one line:
//
//	received 3221225472 bytes: VmHWM 3.01 GiB = 1.00 x the message (before 0.01 GiB)
//
// It exits 1 when a byte differs, or when --max-ratio is given and the
// receiver's peak exceeds that multiple of the message.
package main
