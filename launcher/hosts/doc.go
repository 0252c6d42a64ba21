// Package hosts reads where a multi-host job may run and places its ranks:
// host lists as mpirun -H takes them ("h1:4,h2:4"), hostfiles in Open
// MPI's ("h1 slots=4") and Hydra's ("h1:4") formats, and the two mappings
// of mpirun, by slot (fill each host in turn) and by node (round-robin).
package hosts
