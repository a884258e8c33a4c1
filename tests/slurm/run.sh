#!/usr/bin/env bash
# Runs a small sweep (tests/sweeps/lhs.toml, 10 runs) as a SLURM job array of 3 shards on a
# one-node SLURM started on localhost, merges the shards with the generated scripts and checks
# that runs.csv, runs_years.csv and summary.csv equal those of the single-machine sweep.
#
# Needs root and Debian's packages (slurmctld, slurmd, munge; installed when missing). Not part
# of `cargo test` (it starts daemons). From the repository root:
#   sudo tests/slurm/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$(pwd)

if ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq slurmctld slurmd slurm-client munge >/dev/null
fi
cargo build --release --quiet
bin="$repo/target/release/medesert"

# munge: one key, daemon as root is refused unless forced; run it as the munge user.
if [ ! -s /etc/munge/munge.key ]; then
  dd if=/dev/urandom bs=1 count=1024 of=/etc/munge/munge.key status=none
fi
chown munge:munge /etc/munge/munge.key && chmod 400 /etc/munge/munge.key
mkdir -p /run/munge /var/log/munge /var/lib/munge && chown munge:munge /run/munge /var/log/munge /var/lib/munge
pgrep -x munged >/dev/null || su -s /bin/sh munge -c munged

# slurm: one node (this machine) in one partition, no cgroups (works in containers).
cpus=$(nproc)
host=$(hostname -s)
mkdir -p /etc/slurm /var/spool/slurmctld /var/spool/slurmd /var/log/slurm
cat > /etc/slurm/slurm.conf <<CONF
ClusterName=medesert-test
SlurmctldHost=$host
AuthType=auth/munge
ProctrackType=proctrack/pgid
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
SlurmctldPidFile=/run/slurmctld.pid
SlurmdPidFile=/run/slurmd.pid
StateSaveLocation=/var/spool/slurmctld
SlurmdSpoolDir=/var/spool/slurmd
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
SlurmUser=root
NodeName=$host CPUs=$cpus RealMemory=2000 State=UNKNOWN
PartitionName=test Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
pgrep -x slurmctld >/dev/null || slurmctld
pgrep -x slurmd >/dev/null || slurmd
for _ in $(seq 60); do sinfo -h -o %T 2>/dev/null | grep -qE "idle|mixed" && break; sleep 1; done
sinfo

work=$(mktemp -d /tmp/medesert-slurm.XXXXXX)
"$bin" sweep tests/sweeps/lhs.toml --quiet --out "$work/single"
"$bin" sweep tests/sweeps/lhs.toml --emit-slurm --shards 3 --out "$work/cluster"
started=$(date +%s)
"$work/cluster/slurm/submit.sh"
for _ in $(seq 300); do
  [ -z "$(squeue -h)" ] && break
  sleep 1
done
echo "array + merge finished in $(( $(date +%s) - started )) s"
cat "$work"/cluster/slurm/*.log || true

status=0
for f in runs.csv runs_years.csv summary.csv; do
  if cmp -s "$work/single/$f" "$work/cluster/merged/$f"; then
    echo "same $f: $(wc -l < "$work/single/$f") lines"
  else
    echo "DIFFERENT $f"; status=1
  fi
done
[ "$status" = 0 ] && echo "PASS: the SLURM array's merged result equals the single-machine sweep"
exit $status
