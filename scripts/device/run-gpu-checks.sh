#!/bin/bash
# The GPU checks of docs/gpu.md in one go, from the repository root, with the bundle that
# scripts/device-bundle.sh made in .device/ (this script travels in it):
#   bash .device/run-gpu-checks.sh              on the GPU machine: results to $OUT
#   bash .device/run-gpu-checks.sh --rehearsal  here, on the CPU engine, at a small size
# Steps, each under a time limit and all within BUDGET_S seconds (default 540):
#   1. the Java runtime unpacked into /tmp; on the GPU, DJL's JNI built against the machine's
#      torch (the rehearsal uses the CPU libtorch jar from ~/.m2 instead, or with REHEARSAL_JNI=1
#      builds the JNI against the CPU torch that python3, or $PYTHON, imports: slow on 2 cores);
#   2. the PyTorch twin (torch_twin.py): fp32 eager and bf16 autocast steps of the same networks
#      (skipped with a message where python3 has no torch);
#   3. brainfm gpu-check: fails when DJL is not on the GPU; times the same steps;
#   4. short brainfm pretrain runs of the compact U-Net and a ViT-3D on synthetic data,
#      recorded in an H2 file;
#   5. figures.json: every figure and the ratios brainfm / PyTorch.
# $OUT receives log.txt, jni-build.log, figures.json and records.mv.db (the H2 file). The exit
# code is 0 when every step that ran passed (the twin may be skipped), else 1 (2: bad call).
# Limits: BUDGET_S, JNI_TIMEOUT_S (300). Sizes can be changed with SIZE, BATCH, STEPS, WARMUP, PRESET, PRETRAIN_PRESET,
# PRETRAIN_ITERATIONS, PRETRAIN_BATCH, PRETRAIN_PATCH, DATA_SIZE (see the defaults below).
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
mode=gpu
case "${1:-}" in
  --rehearsal) mode=rehearsal ;;
  "") ;;
  *) echo "usage: bash .device/run-gpu-checks.sh [--rehearsal]" >&2; exit 2 ;;
esac
[ -f baselines/compact-unet.yaml ] || { echo "run-gpu-checks: run me from the repository root (no baselines/ here)" >&2; exit 2; }
root=$(pwd)
if [ "$mode" = gpu ]; then
  : "${OUT:?run-gpu-checks: OUT is not set (the device machine sets it; here use --rehearsal)}"
  size=${SIZE:-128} batch=${BATCH:-2} steps=${STEPS:-5} warmup=${WARMUP:-2} preset=${PRESET:-full}
  pre_preset=${PRETRAIN_PRESET:-full} pre_iterations=${PRETRAIN_ITERATIONS:-20} data_size=${DATA_SIZE:-128}
  device=gpu heap=-Xmx32g twin_device=cuda
else
  OUT=${OUT:-$here/out}
  size=${SIZE:-32} batch=${BATCH:-1} steps=${STEPS:-1} warmup=${WARMUP:-1} preset=${PRESET:-mini}
  pre_preset=${PRETRAIN_PRESET:-mini} pre_iterations=${PRETRAIN_ITERATIONS:-2} data_size=${DATA_SIZE:-32}
  device=cpu heap=-Xmx4g twin_device=cpu
fi
pre_batch=${PRETRAIN_BATCH:+--batch $PRETRAIN_BATCH}
pre_patch=${PRETRAIN_PATCH:+--patch $PRETRAIN_PATCH}
mkdir -p "$OUT"
work=$(mktemp -d /tmp/brainfm-gpu.XXXXXX)
deadline=$(( $(date +%s) + ${BUDGET_S:-540} ))
: > "$work/phases.tsv"

# phase NAME CAP_SECONDS COMMAND...: runs COMMAND under min(CAP, what the budget has left).
phase() {
  local name=$1 cap=$2; shift 2
  local left=$(( deadline - $(date +%s) - 15 ))
  (( left < cap )) && cap=$left
  if (( cap < 20 )); then
    echo "== $name: skipped, the budget is spent"
    printf '%s\tskipped\t0\n' "$name" >> "$work/phases.tsv"
    return 124
  fi
  echo "== $name (at most ${cap}s): $*"
  local t0 rc
  t0=$(date +%s)
  timeout -k 10 "$cap" "$@"
  rc=$?
  echo "== $name: exit $rc after $(( $(date +%s) - t0 ))s"
  printf '%s\t%s\t%s\n' "$name" "$rc" "$(( $(date +%s) - t0 ))" >> "$work/phases.tsv"
  return $rc
}

main() {
  echo "brainfm GPU checks, $mode mode, $(date -u +%FT%TZ) on ${HOSTNAME:-this machine}; work folder $work"
  echo "step timing: preset $preset, ${size}^3, batch $batch, $steps steps after $warmup warm-up; pretraining: preset $pre_preset, $pre_iterations iterations"
  command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader

  # 1. Java and DJL's native side.
  tar xzf "$here/jre.tgz" -C "$work" || { echo "run-gpu-checks: cannot unpack $here/jre.tgz" >&2; return 2; }
  java="$work/jre/bin/java"
  cp="$here/lib/*"
  jna=""
  failed=0
  if [ "$mode" = gpu ] || [ "${REHEARSAL_JNI:-0}" = 1 ]; then
    echo "== jni: building DJL's PyTorch JNI against this machine's torch (log: jni-build.log)"
    t0=$(date +%s)
    if env=$(timeout -k 10 "${JNI_TIMEOUT_S:-300}" bash "$here/jni/build-djl-jni.sh" 2> "$OUT/jni-build.log"); then
      eval "$env"
      echo "== jni: built in $(( $(date +%s) - t0 ))s; $env"
      # DJL counts GPUs through cudart, which JNA loads by its bare name: offer torch's own copy.
      mkdir -p "$work/cudart"
      found=$(find "$(dirname "$(dirname "$PYTORCH_LIBRARY_PATH")")/nvidia" /usr/local/cuda/lib64 /usr/local/cuda/targets \
        -name 'libcudart.so*' 2>/dev/null | sort | head -1)
      [ -n "$found" ] && ln -sf "$found" "$work/cudart/libcudart.so"
      echo "== cudart for DJL: ${found:-none found (DJL may then see no GPU)}"
      jna="-Djna.library.path=$work/cudart:$PYTORCH_LIBRARY_PATH"
      printf 'jni\t0\t%s\n' "$(( $(date +%s) - t0 ))" >> "$work/phases.tsv"
    else
      echo "== jni: FAILED after $(( $(date +%s) - t0 ))s; the end of jni-build.log:"
      tail -20 "$OUT/jni-build.log"
      printf 'jni\t1\t%s\n' "$(( $(date +%s) - t0 ))" >> "$work/phases.tsv"
      failed=1
    fi
  else
    native=$(ls ~/.m2/repository/ai/djl/pytorch/pytorch-native-cpu/*/pytorch-native-cpu-*-linux-x86_64.jar 2>/dev/null | tail -1)
    [ -n "$native" ] || { echo "run-gpu-checks: rehearsal needs pytorch-native-cpu in ~/.m2 (mvn -DskipTests package fetches it)" >&2; return 2; }
    echo "== rehearsal: no JNI build; DJL's CPU engine from $native"
    cp="$cp:$native"
    export DJL_OFFLINE=true
  fi
  # The CLI as a command line (an array, so that timeout can run it). One libtorch CPU thread, as
  # ./brainfm sets it: its multithreaded CPU conv3d backward gave NaN now and then.
  brainfm=(env "OMP_NUM_THREADS=${OMP_NUM_THREADS:-1}" "$java" $heap $jna -Dai.djl.offline=true -Dai.djl.pytorch.cudnn_benchmark=true -cp "$cp" org.brainfm.cli.Main)

  # 2. The PyTorch twin (before the JVM, so the two never share the GPU).
  phase twin 180 python3 "$here/torch_twin.py" --device "$twin_device" --size "$size" --batch "$batch" \
    --steps "$steps" --warmup "$warmup" --json "$work/twin.json"

  # 3. DJL on the GPU, and its training step.
  if [ $failed = 0 ]; then
    phase gpu-check 240 "${brainfm[@]}" gpu-check --device "$device" --preset "$preset" --size "$size" --batch "$batch" \
      --steps "$steps" --warmup "$warmup" --update brainfm,djl --json "$work/steps.json" || failed=1
  fi

  # 4. Short pretraining runs, recorded in H2.
  db="jdbc:h2:file:$work/records"
  pretrain_failed=0
  if [ $failed = 0 ] && "${brainfm[@]}" pretrain --help >/dev/null 2>&1; then
    cat > "$work/datasets.yaml" <<YAML
datasets:
  - name: gpu-synthetic
    kind: synthetic
    description: a small multi-contrast corpus for the short pretraining runs of run-gpu-checks.sh
    contrasts: [t1, t2, flair, dwi]
    generator: {seed: 1, subjects: 6, sessions: 2, size: $data_size, meningioma-share: 0.2, infarct-share: 0.2}
pretraining: [gpu-synthetic]
YAML
    for card in compact-unet vit-b16; do
      phase "pretrain-$card" 200 "${brainfm[@]}" pretrain --card "$root/baselines/$card.yaml" --preset "$pre_preset" --epochs 1 \
        --iterations "$pre_iterations" $pre_batch $pre_patch --device "$device" --datasets "$work/datasets.yaml" \
        --db "$db" --out "$work/pretrained-$card" || pretrain_failed=1
    done
    "${brainfm[@]}" runs --json --db "$db" > "$work/runs.json" || echo "run-gpu-checks: could not list the runs"
  elif [ $failed = 0 ]; then
    echo "== pretrain: skipped, this build has no 'brainfm pretrain' command"
    printf 'pretrain\tabsent\t0\n' >> "$work/phases.tsv"
  fi

  # 5. Figures and results.
  python3 "$here/figures.py" --mode "$mode" --work "$work" --out "$OUT/figures.json"
  [ -f "$work/records.mv.db" ] && cp "$work/records.mv.db" "$OUT/records.mv.db"
  echo "results in $OUT: $(cd "$OUT" && ls | tr '\n' ' ')"
  [ "$mode" = rehearsal ] || rm -rf "$work"
  return $(( failed | pretrain_failed ))
}

main 2>&1 | tee "$OUT/log.txt"
exit "${PIPESTATUS[0]}"
