#!/usr/bin/env bash
# A real SLURM cluster on one machine, for gorun's SLURM tests: slurmctld in
# the root network namespace and one slurmd per host, each host a network
# namespace with its own address on a bridge, as scripts/cluster.sh builds them.
#
#   scripts/slurm-cluster.sh up [STATE_DIR]   start it; prints STATE_DIR
#   scripts/slurm-cluster.sh down [STATE_DIR] stop every daemon, delete hosts
#   scripts/slurm-cluster.sh run CMD...       up, CMD with GORUN_SLURM_CLUSTER and
#                                             SLURM_CONF set, down (also on failure)
#
# Needs root. Installs slurm-wlm and munge with apt-get when missing. Nodes
# are h1..h$GORUN_SLURM_NODES (default 2) at $NET.11, $NET.12, ...; their
# names resolve through /etc/hosts lines marked "gorun-slurm-testbed", as
# node names do on a real cluster.
set -euo pipefail

NET=${GORUN_SLURM_NET:-198.18.1}
NODES=${GORUN_SLURM_NODES:-2}
CPUS=${GORUN_SLURM_CPUS:-2}
BR=gsbr
MARK=gorun-slurm-testbed

die() { echo "slurm-cluster: $*" >&2; exit 1; }

install_packages() {
	command -v slurmctld >/dev/null && command -v munged >/dev/null && return
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q slurm-wlm munge >/dev/null ||
		die "cannot install slurm-wlm and munge with apt-get"
}

start_munge() {
	if [ -S /run/munge/munge.socket.2 ] && munge -n </dev/null >/dev/null 2>&1; then return; fi
	[ -f /etc/munge/munge.key ] || mungekey -c -f
	chown munge:munge /etc/munge/munge.key
	mkdir -p /run/munge && chown munge:munge /run/munge
	su -s /bin/sh munge -c /usr/sbin/munged
	for _ in $(seq 50); do munge -n </dev/null >/dev/null 2>&1 && return; sleep 0.1; done
	die "munged did not start"
}

add_hosts() {
	ip link add $BR type bridge
	ip addr add $NET.1/24 dev $BR
	ip link set $BR up
	for i in $(seq "$NODES"); do
		ip netns add gs$i
		ip link add vs$i type veth peer name eth0 netns gs$i
		ip link set vs$i master $BR up
		ip netns exec gs$i ip addr add $NET.1$i/24 dev eth0
		ip netns exec gs$i ip link set eth0 up
		ip netns exec gs$i ip link set lo up
		echo "$NET.1$i h$i # $MARK" >>/etc/hosts
	done
}

write_conf() {
	local dir=$1 ctl
	ctl=$(hostname -s)
	mkdir -p "$dir/ctld" "$dir/d"
	echo "CgroupPlugin=cgroup/v1" >"$dir/cgroup.conf"
	{
		echo "ClusterName=gorun"
		echo "SlurmctldHost=$ctl($NET.1)"
		echo "SlurmUser=root"
		echo "AuthType=auth/munge"
		echo "CredType=cred/munge"
		echo "StateSaveLocation=$dir/ctld"
		echo "SlurmdSpoolDir=$dir/d/%n"
		echo "SlurmctldPidFile=$dir/ctld.pid"
		echo "SlurmdPidFile=$dir/slurmd-%n.pid"
		echo "SlurmctldLogFile=$dir/ctld.log"
		echo "SlurmdLogFile=$dir/slurmd-%n.log"
		echo "ProctrackType=proctrack/linuxproc"
		echo "TaskPlugin=task/none"
		echo "SelectType=select/cons_tres"
		echo "SelectTypeParameters=CR_CPU"
		echo "MpiDefault=none"
		echo "ReturnToService=2"
		echo "KillWait=2"
		echo "AccountingStorageType=accounting_storage/none"
		echo "JobCompType=jobcomp/none"
		for i in $(seq "$NODES"); do
			echo "NodeName=h$i NodeAddr=$NET.1$i CPUs=$CPUS State=UNKNOWN"
		done
		echo "PartitionName=p Nodes=h[1-$NODES] Default=YES MaxTime=INFINITE State=UP"
	} >"$dir/slurm.conf"
}

up() {
	local dir=${1:-$(mktemp -d /tmp/gorun-slurm.XXXXXX)}
	[ "$(id -u)" = 0 ] || die "needs root (network namespaces, slurmd)"
	ip link show $BR >/dev/null 2>&1 && die "bridge $BR exists: run '$0 down' first"
	install_packages
	start_munge
	add_hosts
	write_conf "$dir"
	export SLURM_CONF=$dir/slurm.conf
	slurmctld -f "$SLURM_CONF"
	for i in $(seq "$NODES"); do
		ip netns exec gs$i env SLURM_CONF="$SLURM_CONF" slurmd -f "$SLURM_CONF" -N h$i
	done
	for _ in $(seq 150); do
		idle=$(sinfo -h -o '%t %D' 2>/dev/null | awk '$1=="idle"{n+=$2} END{print n+0}')
		[ "$idle" = "$NODES" ] && { echo "$dir"; return; }
		sleep 0.2
	done
	sinfo >&2 || true
	die "nodes not idle after 30 s; logs in $dir"
}

down() {
	local dir=${1:-}
	if [ -n "$dir" ] && [ -f "$dir/slurm.conf" ]; then
		SLURM_CONF=$dir/slurm.conf scancel --full --signal=KILL -u root 2>/dev/null || true
	fi
	for i in $(seq 9); do
		ip netns pids gs$i 2>/dev/null | xargs -r kill -9 2>/dev/null || true
	done
	pkill -9 -x slurmctld 2>/dev/null || true
	for i in $(seq 9); do ip netns del gs$i 2>/dev/null || true; done
	ip link del $BR 2>/dev/null || true
	sed -i "/# $MARK\$/d" /etc/hosts
	[ -n "$dir" ] && rm -rf "$dir"
	return 0
}

# lock_testbed serializes runs on this machine: there is one testbed, and a
# run starts by clearing whatever another run left, which would kill a run
# still in progress.
lock_testbed() {
	exec 9>/tmp/gorun-slurm-testbed.run.lock
	flock -n 9 && return
	echo "slurm-cluster: waiting for another run of the testbed to end" >&2
	flock -w 3600 9 || die "another run of the testbed held it for an hour"
}

run() {
	local rc=0
	lock_testbed
	down "" # a cluster a killed run left behind
	RUN_DIR=$(mktemp -d /tmp/gorun-slurm.XXXXXX)
	trap 'down "$RUN_DIR"' EXIT
	up "$RUN_DIR" >/dev/null 9>&- # a daemon it starts (munged stays up) must not hold the lock
	GORUN_SLURM_CLUSTER=$RUN_DIR SLURM_CONF=$RUN_DIR/slurm.conf "$@" 9>&- || rc=$?
	return $rc
}

case ${1:-} in
up) up "${2:-}" ;;
down) down "${2:-}" ;;
run) shift; run "$@" ;;
*) die "usage: $0 up|down [STATE_DIR] | run CMD..." ;;
esac
