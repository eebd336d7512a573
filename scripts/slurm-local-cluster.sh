#!/usr/bin/env bash
# A throwaway single-node Slurm cluster on this machine, for the tests and for
# trying examples/slurm/ without a real cluster:
#
#   scripts/slurm-local-cluster.sh start DIR   # then: export SLURM_CONF=DIR/slurm.conf
#   scripts/slurm-local-cluster.sh stop DIR
#
# `start` installs Debian's slurm-wlm and munge when missing, then runs munged,
# slurmctld and slurmd with every file (key, sockets, state, spool, logs) in
# DIR, on free TCP ports of localhost, so it touches no system configuration
# and two clusters can run side by side. The node has this machine's CPUs and
# needs no cgroups (proctrack/linuxproc, task/none). `start` exits 77 (the
# "skipped" status of ctest and automake) with a message saying why when Slurm
# cannot run here (not root, a daemon refuses to start); `stop` ends only the
# daemons that `start` recorded in DIR.
set -euo pipefail

skip() {
  echo "slurm-local-cluster: skipped: $*" >&2
  exit 77
}

usage() {
  echo "usage: $0 start|stop DIR" >&2
  exit 2
}

[ $# -eq 2 ] || usage
action=$1
dir=$2

# Waits up to 30 s for a command to succeed.
wait_until() {
  local tries=0
  until "$@" >/dev/null 2>&1; do
    tries=$((tries + 1))
    [ $tries -lt 300 ] || return 1
    sleep 0.1
  done
}

free_tcp_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

stop_cluster() {
  local name pid
  for name in slurmd slurmctld munged; do
    [ -f "$dir/$name.pid" ] || continue
    pid=$(cat "$dir/$name.pid")
    # Only a process still running the daemon recorded here is ended.
    if [ -n "$pid" ] && grep -q "$name" "/proc/$pid/comm" 2>/dev/null; then
      kill "$pid" 2>/dev/null || true
      wait_until bash -c "! kill -0 $pid" || kill -9 "$pid" 2>/dev/null || true
    fi
    rm -f "$dir/$name.pid"
  done
}

start_cluster() {
  [ "$(id -u)" -eq 0 ] || skip "slurmd must run as root to start jobs (this is uid $(id -u))"
  bash "$(dirname "$0")/install-packages.sh" slurm-wlm munge ||
    skip "cannot install slurm-wlm and munge"
  for program in munged mungekey slurmctld slurmd sbatch python3; do
    command -v "$program" >/dev/null || skip "$program is not installed"
  done

  mkdir -p "$dir"/{state,spool,munge}
  chmod 700 "$dir" "$dir/munge"
  dir=$(cd "$dir" && pwd)
  local socket="$dir/munge/munge.socket"
  mungekey --create --keyfile="$dir/munge/munge.key" --force
  munged --force --socket="$socket" --key-file="$dir/munge/munge.key" \
    --pid-file="$dir/munged.pid" --log-file="$dir/munged.log" --seed-file="$dir/munge/seed" ||
    skip "munged does not start (see $dir/munged.log)"
  wait_until test -S "$socket" || skip "munged made no socket (see $dir/munged.log)"

  local cpus
  cpus=$(nproc)
  cat >"$dir/slurm.conf" <<CONF
ClusterName=mixdown-test
SlurmctldHost=localhost(127.0.0.1)
SlurmctldPort=$(free_tcp_port)
SlurmdPort=$(free_tcp_port)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$socket
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/slurmctld.log
SlurmdLogFile=$dir/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
MailProg=/bin/true
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
SchedulerType=sched/builtin
SlurmctldTimeout=30
SlurmdTimeout=30
InactiveLimit=0
KillWait=5
MinJobAge=300
NodeName=localhost NodeAddr=127.0.0.1 CPUs=$cpus State=UNKNOWN
PartitionName=local Nodes=localhost Default=YES MaxTime=INFINITE State=UP
CONF

  export SLURM_CONF="$dir/slurm.conf"
  slurmctld -i || skip "slurmctld does not start (see $dir/slurmctld.log)"
  slurmd -N localhost || skip "slurmd does not start (see $dir/slurmd.log)"
  # The node is ready when the controller reports it idle.
  wait_until bash -c '[ "$(sinfo -h -N -o %t -n localhost)" = idle ]' ||
    skip "the node did not become idle in 30 s (see $dir/slurmctld.log and $dir/slurmd.log)"
}

case $action in
  start)
    # A failed start leaves no daemon behind.
    trap 'status=$?; [ $status -eq 0 ] || stop_cluster; exit $status' EXIT
    start_cluster
    trap - EXIT
    ;;
  stop) stop_cluster ;;
  *) usage ;;
esac
