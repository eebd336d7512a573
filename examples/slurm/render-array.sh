#!/usr/bin/env bash
# One task of a Slurm array job renders its share of a manifest's sessions.
#
#   sbatch --array=0-99 render-array.sh MANIFEST 100 [RESULTS_DIR]
#
# TASKS (100 here) is the number of tasks of the whole array, given
# explicitly so that re-submitting some of them (sbatch --array=3,17 ...)
# gives each the same share as before. Task SLURM_ARRAY_TASK_ID renders the
# sessions at sorted positions ID, ID + TASKS, ... (mixdown render --stride)
# and appends a line per render to RESULTS_DIR/ID.jsonl. MIXDOWN names the
# binary (default: mixdown on PATH). The exit status is mixdown's: 1 and 2
# are permanent (do not re-submit), 75 and 128 + N (a signal) are worth a
# retry. Afterwards: mixdown batch collect --manifest MANIFEST RESULTS_DIR/*.jsonl
#SBATCH --job-name=mixdown
#SBATCH --cpus-per-task=2
#SBATCH --output=mixdown-%A_%a.out
set -euo pipefail
manifest=${1:?usage: sbatch --array=0-N render-array.sh MANIFEST TASKS [RESULTS_DIR]}
tasks=${2:?usage: sbatch --array=0-N render-array.sh MANIFEST TASKS [RESULTS_DIR]}
results=${3:-results}
: "${SLURM_ARRAY_TASK_ID:?submit this with sbatch --array}"
exec "${MIXDOWN:-mixdown}" render --manifest "$manifest" --stride "$tasks" \
  --results "$results/$SLURM_ARRAY_TASK_ID.jsonl" -j "${SLURM_CPUS_PER_TASK:-1}" --no-progress
