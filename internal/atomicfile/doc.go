// Package atomicfile writes an output file the way a user of GNU tools
// expects (`sort -o`, `sed -i`): a reader of the path sees either the old
// file or the whole new one, never a part, and a writer killed at any
// moment, even by SIGKILL, leaves no temporary file behind.
//
// What Write does depends on what the path names:
//
//   - a new path, or an existing regular file: the data goes to an unnamed
//     temporary file in the same directory (Linux O_TMPFILE, which the
//     kernel frees if the writer dies), is flushed to disk (fsync), and is
//     then linked into place; an existing file is replaced by a rename, so
//     the new file keeps the old one's permission bits and, where the
//     writer may set them, its owner and group. Where O_TMPFILE is not
//     supported (other systems, some file systems) a hidden named
//     temporary file ".NAME.tmp*" is used instead, removed on every
//     failure but the writer's death.
//   - a symbolic link: it is followed to its target, which is written as
//     above; the link stays a link (a dangling link creates its target).
//   - a device, a FIFO or a socket (/dev/null, /dev/stdout when it is a
//     pipe or a terminal, a named pipe): it is opened and written directly,
//     never replaced.
//   - a directory: an error.
//
// Replacing a file needs write permission on its directory, as with
// `sed -i`. A file with other hard links gets a new inode: the other names keep the
// old content, as with `sed -i` and rsync. Writing in place, as `sort -o`
// does, would keep the links but let a failure or a kill leave a
// half-written file, which is the one thing this package exists to
// prevent.
package atomicfile
