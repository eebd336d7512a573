#!/usr/bin/env bash
# scripts/slurm-local-cluster.sh starts a working cluster: a three-task array
# job submitted with `sbatch --wait` runs every task once, each with its own
# SLURM_ARRAY_TASK_ID, and `stop` leaves no daemon running.
# Exits 77 (skipped) with the reason where Slurm cannot run.
set -euo pipefail
source_dir=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
cluster="$work/cluster"
trap 'bash "$source_dir/scripts/slurm-local-cluster.sh" stop "$cluster"; rm -rf "$work"' EXIT

bash "$source_dir/scripts/slurm-local-cluster.sh" start "$cluster"
export SLURM_CONF="$cluster/slurm.conf"

cat >"$work/task.sh" <<'JOB'
#!/usr/bin/env bash
echo "$SLURM_ARRAY_TASK_ID" >"$1/task-$SLURM_ARRAY_TASK_ID.txt"
JOB
sbatch --wait --quiet --array=0-2 --output="$work/slurm-%A_%a.out" "$work/task.sh" "$work"

for task in 0 1 2; do
  [ "$(cat "$work/task-$task.txt")" = "$task" ] || { echo "task $task did not run" >&2; exit 1; }
done
pids=$(cat "$cluster"/*.pid)
bash "$source_dir/scripts/slurm-local-cluster.sh" stop "$cluster"
for pid in $pids; do
  if kill -0 "$pid" 2>/dev/null; then echo "daemon $pid still runs after stop" >&2; exit 1; fi
done
echo "slurm local cluster: 3 array tasks ran, daemons stopped"
