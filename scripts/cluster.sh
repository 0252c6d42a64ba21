#!/usr/bin/env bash
# A cluster of hosts on one Linux machine, for gorun's multi-host tests and
# demo: each host is a network namespace with its own address on a bridge
# and its own sshd; the filesystem is shared, as on a cluster with a shared
# home. Needs root, ip(8) and Debian's openssh-server.
#
#   cluster.sh up          create the hosts (idempotent: a stale cluster is torn down first)
#   cluster.sh down        kill every process on the hosts, delete hosts, bridge and state
#   cluster.sh exec H CMD  run CMD on host H (H: 2, gh2 or 198.18.0.12)
#   cluster.sh status      the hosts, their addresses and processes
#   cluster.sh pids H      the pids of every process on host H
#   cluster.sh crash H     SIGKILL every process on host H (a host crash), then
#                          start its sshd again (the host is back)
#   cluster.sh cut H | heal H   partition host H from the others, or end it
#   cluster.sh link RATE   shape every host's link to RATE each way (tc tbf, e.g. 1gbit,
#                          10gbit), or "off" to remove the shaping
#   cluster.sh run CMD     up, run CMD with GORUN_CLUSTER set, down (also on failure);
#                          without root it skips CMD with one line and exits 0
#
# Settings (environment): GORUN_CLUSTER_DIR (state; else GORUN_CLUSTER, else /tmp/gorun-cluster),
# GORUN_CLUSTER_PREFIX (namespace prefix, default gh), GORUN_CLUSTER_NET (first
# three octets, default 198.18.0: RFC 2544's benchmarking range), and
# GORUN_CLUSTER_HOSTS (default 3). Host i has address NET.1i and namespace
# PREFIXi; the bridge is PREFIXbr with address NET.1, the host's veth vPREFIXi.
# The state directory holds ssh_config (for ssh -F), the keys, and hostfile.
set -euo pipefail

DIR=${GORUN_CLUSTER_DIR:-${GORUN_CLUSTER:-/tmp/gorun-cluster}}
PREFIX=${GORUN_CLUSTER_PREFIX:-gh}
NET=${GORUN_CLUSTER_NET:-198.18.0}
HOSTS=${GORUN_CLUSTER_HOSTS:-3}
BRIDGE=${PREFIX}br

die() { echo "cluster: $*" >&2; exit 1; }

# ns H: the namespace of host H given as i, PREFIXi or NET.1i.
ns() {
	local h=$1
	case $h in
	"$PREFIX"[0-9]*) h=${h#"$PREFIX"} ;;
	"$NET".1[0-9]*) h=${h#"$NET".1} ;;
	esac
	[[ $h =~ ^[0-9]+$ ]] && ((h >= 1 && h <= 9)) || die "unknown host '$1' (want 1-9, ${PREFIX}N or $NET.1N)"
	echo "$PREFIX$h"
}

pids_in() { ip netns pids "$1" 2>/dev/null || true; }

kill_ns() {
	local p
	for p in $(pids_in "$1"); do kill -9 "$p" 2>/dev/null || true; done
}

down() {
	local n
	for n in $(ip netns list | awk '{print $1}' | grep -E "^${PREFIX}[0-9]+$" || true); do
		kill_ns "$n"
		# a process may be mid-exit; the namespace goes once it has
		for _ in 1 2 3 4 5 6 7 8 9 10; do [ -z "$(pids_in "$n")" ] && break; sleep 0.1; done
		ip netns del "$n" 2>/dev/null || true
	done
	for n in $(seq 1 9); do ip link del "v$PREFIX$n" 2>/dev/null || true; done
	ip link del "$BRIDGE" 2>/dev/null || true
	rm -rf "$DIR"
}

# ensure_tools installs what is missing of ip(8) and sshd (Debian).
ensure_tools() {
	local pkgs=()
	command -v ip >/dev/null || pkgs+=(iproute2)
	[ -x /usr/sbin/sshd ] || pkgs+=(openssh-server)
	[ ${#pkgs[@]} = 0 ] && return
	command -v apt-get >/dev/null || die "needs ${pkgs[*]}, and there is no apt-get to install them"
	timeout 300 apt-get install -y -q "${pkgs[@]}" >/dev/null ||
		{ timeout 300 apt-get update -q >/dev/null && timeout 300 apt-get install -y -q "${pkgs[@]}" >/dev/null; } ||
		die "apt-get install ${pkgs[*]} failed"
}

up() {
	[ "$(id -u)" = 0 ] || die "needs root (network namespaces)"
	ensure_tools
	down
	mkdir -p "$DIR" /run/sshd
	chmod 700 "$DIR"
	trap 'down' ERR
	ssh-keygen -q -t ed25519 -N '' -f "$DIR/hostkey"
	ssh-keygen -q -t ed25519 -N '' -f "$DIR/userkey"
	cp "$DIR/userkey.pub" "$DIR/authorized_keys"
	cat >"$DIR/sshd_config" <<-EOF
		HostKey $DIR/hostkey
		AuthorizedKeysFile $DIR/authorized_keys
		PermitRootLogin prohibit-password
		PasswordAuthentication no
		KbdInteractiveAuthentication no
		StrictModes no
		UsePAM no
		PidFile none
		X11Forwarding no
		MaxStartups 100
		MaxSessions 100
	EOF
	cat >"$DIR/ssh_config" <<-EOF
		Host *
		  IdentityFile $DIR/userkey
		  IdentitiesOnly yes
		  StrictHostKeyChecking no
		  UserKnownHostsFile /dev/null
		  LogLevel ERROR
		  BatchMode yes
		  ConnectTimeout 5
	EOF
	ip link add "$BRIDGE" type bridge
	ip addr add "$NET.1/24" dev "$BRIDGE"
	ip link set "$BRIDGE" up
	: >"$DIR/hostfile"
	local h
	for h in $(seq 1 "$HOSTS"); do
		ip netns add "$PREFIX$h"
		ip link add "v$PREFIX$h" type veth peer name eth0 netns "$PREFIX$h"
		ip link set "v$PREFIX$h" master "$BRIDGE" up
		ip netns exec "$PREFIX$h" ip addr add "$NET.1$h/24" dev eth0
		ip netns exec "$PREFIX$h" ip link set eth0 up
		ip netns exec "$PREFIX$h" ip link set lo up
		ip netns exec "$PREFIX$h" /usr/sbin/sshd -f "$DIR/sshd_config" -o "ListenAddress=$NET.1$h"
		echo "$NET.1$h" >>"$DIR/hostfile"
	done
	for h in $(seq 1 "$HOSTS"); do
		local ok=
		for _ in $(seq 1 50); do
			if ssh -F "$DIR/ssh_config" "$NET.1$h" true 2>/dev/null; then ok=1; break; fi
			sleep 0.1
		done
		[ -n "$ok" ] || die "sshd on $NET.1$h does not answer"
	done
	trap - ERR
	cat >"$DIR/env" <<-EOF
		GORUN_CLUSTER=$DIR
		GORUN_CLUSTER_DIR=$DIR
		GORUN_CLUSTER_PREFIX=$PREFIX
		GORUN_CLUSTER_NET=$NET
		GORUN_CLUSTER_HOSTS=$HOSTS
	EOF
	echo "cluster: $HOSTS hosts up ($NET.11..$NET.1$HOSTS, namespaces ${PREFIX}1..$PREFIX$HOSTS); state in $DIR"
}

status() {
	local n
	for n in $(ip netns list | awk '{print $1}' | grep -E "^${PREFIX}[0-9]+$" || true); do
		echo "$n: $(ip netns exec "$n" ip -br -4 addr show dev eth0 2>/dev/null | awk '{print $3}')"
		local p
		for p in $(pids_in "$n"); do echo "  $p $(tr '\0' ' ' </proc/"$p"/cmdline 2>/dev/null | cut -c1-100)"; done
	done
}

cmd=${1:-}
shift || true
case $cmd in
up) up ;;
down) down ;;
status) status ;;
exec)
	[ $# -ge 2 ] || die "usage: cluster.sh exec HOST CMD [ARGS...]"
	n=$(ns "$1")
	shift
	exec ip netns exec "$n" "$@"
	;;
pids) pids_in "$(ns "${1:?host}")" ;;
crash)
	n=$(ns "${1:?host}")
	kill_ns "$n"
	for _ in $(seq 1 50); do [ -z "$(pids_in "$n")" ] && break; sleep 0.02; done
	ip netns exec "$n" /usr/sbin/sshd -f "$DIR/sshd_config" -o "ListenAddress=$NET.1${n#"$PREFIX"}"
	;;
link)
	rate=${1:?usage: cluster.sh link RATE|off}
	for n in $(ip netns list | awk '{print $1}' | grep -E "^${PREFIX}[0-9]+$" || true); do
		if [ "$rate" = off ]; then
			ip netns exec "$n" tc qdisc del dev eth0 root 2>/dev/null || true
			tc qdisc del dev "v$n" root 2>/dev/null || true
			continue
		fi
		# A bucket of 10 ms at the rate, at least 64 KiB, and up to 50 ms
		# of queue: the shape of a switched link of that speed.
		case $rate in
		*gbit) b=$((${rate%gbit} * 1000000000)) ;;
		*mbit) b=$((${rate%mbit} * 1000000)) ;;
		*) die "link: rate '$rate': want Ngbit, Nmbit or off" ;;
		esac
		burst=$((b / 8 / 100))
		((burst < 65536)) && burst=65536
		ip netns exec "$n" tc qdisc replace dev eth0 root tbf rate "$rate" burst "$burst" latency 50ms
		tc qdisc replace dev "v$n" root tbf rate "$rate" burst "$burst" latency 50ms
	done
	;;
cut) ip link set "v$(ns "${1:?host}")" down ;;
heal) ip link set "v$(ns "${1:?host}")" up ;;
run)
	[ $# -ge 1 ] || die "usage: cluster.sh run CMD [ARGS...]"
	if [ "$(id -u)" != 0 ] || ! unshare --net true 2>/dev/null; then
		echo "cluster: SKIPPING '$*': a cluster of network namespaces needs root (and CAP_SYS_ADMIN)" >&2
		exit 0
	fi
	# One run per prefix at a time: up tears down a stale cluster of the
	# same prefix, which would kill a run still in progress.
	exec 9>"/tmp/gorun-cluster-$PREFIX.run.lock"
	if ! flock -n 9; then
		echo "cluster: waiting for another run on hosts ${PREFIX}1.. to end" >&2
		flock -w 3600 9 || die "another run on hosts ${PREFIX}1.. held them for an hour"
	fi
	trap down EXIT
	up 9>&- # the hosts' sshd must not hold the lock
	export GORUN_CLUSTER=$DIR GORUN_CLUSTER_DIR=$DIR GORUN_CLUSTER_PREFIX=$PREFIX GORUN_CLUSTER_NET=$NET GORUN_CLUSTER_HOSTS=$HOSTS
	"$@" 9>&-
	;;
*) die "usage: cluster.sh up|down|status|exec H CMD|pids H|crash H|cut H|heal H|link RATE|run CMD" ;;
esac
