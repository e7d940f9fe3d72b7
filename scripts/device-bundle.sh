#!/bin/bash
# Assembles .device/, all that the GPU machine needs beside the working tree (docs/gpu.md):
#   jre.tgz            a small Java 17 runtime (the GPU machine has no Java)
#   lib/               the harness jar and its pure-Java dependencies, without the CPU libtorch
#                      and ONNX Runtime native jars (250 MB; the machine has its own torch)
#   jni/               DJL's PyTorch JNI sources at the release in use, to compile there
#   run-gpu-checks.sh  the entry script (with torch_twin.py and figures.py)
# then checks the expected contents and that the travelling tree stays within 64 MiB, and
# prints the sizes.
# usage: scripts/device-bundle.sh [--no-build] DJL_GIT_DIR     (or DJL_GIT_DIR=... in the environment)
#   DJL_GIT_DIR: a git dir of deepjavalibrary/djl, e.g. what the search tool's
#                fetch of github:deepjavalibrary/djl returns (/work/.mirror/deepjavalibrary+djl/repo)
#   --no-build:  reuse harness/target from an earlier `mvn -DskipTests package`
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
fail() { echo "device-bundle: $*" >&2; exit 2; }
build=1
[ "${1:-}" = --no-build ] && { build=0; shift; }
djl=${1:-${DJL_GIT_DIR:-}}
[ -n "$djl" ] || fail "no DJL git dir given: fetch github:deepjavalibrary/djl (the search tool's fetch) and pass its git dir"
[ -d "$djl" ] || fail "$djl: no such DJL git dir"
limit=$((64 * 1024 * 1024))
bundle=.device
git check-ignore -q "$bundle/" || fail "$bundle/ is not ignored by git (add it to .gitignore): it must not be committed"

if [ $build = 1 ]; then
  echo "device-bundle: building the harness (mvn -DskipTests package)"
  mvn -q -B -DskipTests -pl harness -am package
fi
[ -f harness/target/brainfm-harness.jar ] && [ -d harness/target/lib ] || fail "harness/target has no build; run without --no-build"

rm -rf "$bundle"
mkdir -p "$bundle/lib"
cp harness/target/brainfm-harness.jar "$bundle/lib/"
for jar in harness/target/lib/*.jar; do
  case "$(basename "$jar")" in
    pytorch-native-*|onnxruntime-[0-9]*) ;;   # the native jars: libtorch and ONNX Runtime for the CPU
    *) cp "$jar" "$bundle/lib/" ;;
  esac
done
scripts/device/make-jre.sh "$bundle/jre.tgz"
scripts/device/prepare-djl-jni.sh "$djl" "$bundle/jni"
cp scripts/device/run-gpu-checks.sh scripts/device/torch_twin.py scripts/device/figures.py "$bundle/"

# What must be there, and what must not.
for f in lib/brainfm-harness.jar lib/api-*.jar lib/pytorch-engine-*.jar lib/pytorch-jni-*.jar lib/h2-*.jar lib/picocli-*.jar \
         jre.tgz jni/build-djl-jni.sh jni/include/ai_djl_pytorch_jni_PyTorchLibrary.h jni/include/jni.h jni/djl/utils.h \
         jni/src/ai_djl_pytorch_jni_PyTorchLibrary_tensor.cc run-gpu-checks.sh torch_twin.py figures.py; do
  compgen -G "$bundle/$f" >/dev/null || fail "$bundle/$f is missing"
done
! compgen -G "$bundle/lib/pytorch-native-*" >/dev/null && ! compgen -G "$bundle/lib/onnxruntime-[0-9]*" >/dev/null \
  || fail "a native jar slipped into $bundle/lib"
tar tzf "$bundle/jre.tgz" jre/bin/java >/dev/null || fail "$bundle/jre.tgz has no jre/bin/java"

# The device call sends the working tree (tracked and untracked-not-ignored files) and the carried .device/.
bundle_bytes=$(du -sb "$bundle" | cut -f1)
tree_bytes=$(git ls-files -co --exclude-standard -z | du -cb --files0-from=- 2>/dev/null | tail -1 | cut -f1)
total=$((bundle_bytes + tree_bytes))
echo "device-bundle: contents of $bundle/:"
(cd "$bundle" && du -sh jre.tgz lib jni run-gpu-checks.sh torch_twin.py figures.py | sed 's/^/  /')
echo "  lib/: $(ls "$bundle/lib" | wc -l) jars"
awk -v b="$bundle_bytes" -v t="$tree_bytes" -v d="$bundle" 'BEGIN { m = 1048576;
  printf "device-bundle: %s is %.1f MiB; with the working tree (%.1f MiB) %.1f MiB travel, of at most 64 MiB\n", d, b / m, t / m, (b + t) / m }'
[ "$total" -le "$limit" ] || fail "that is over the 64 MiB a device call may carry"
