// Package natsbus starts the embedded NATS server that a gorun job talks
// over, the nats-server way: loopback only, a random port, a random token,
// no signal handlers and no logging unless asked. The launcher and the
// comm test helpers share it.
package natsbus
