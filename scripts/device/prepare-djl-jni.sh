#!/bin/bash
# Gathers what the GPU machine needs to compile DJL's PyTorch JNI against its own libtorch:
# DJL's native sources at the tag of the DJL version in use, the JNI header javac makes from
# DJL's PyTorchLibrary.java, jni.h, and build-djl-jni.sh. Nothing of DJL is committed.
# usage: prepare-djl-jni.sh DJL_GIT_DIR OUT_DIR
#   DJL_GIT_DIR: a git dir of deepjavalibrary/djl (the search tool's fetch gives one)
#   OUT_DIR:     a folder that git ignores (the bundle's .device/jni)
# Needs DJL's api jar and slf4j-api in ~/.m2 (any build of the project brings them).
set -euo pipefail
git_dir=${1:?usage: prepare-djl-jni.sh DJL_GIT_DIR OUT_DIR}
out=${2:?usage: prepare-djl-jni.sh DJL_GIT_DIR OUT_DIR}
djl_version=${DJL_VERSION:-0.36.0}
jdk=${JDK_HOME:-/usr/lib/jvm/java-17-openjdk-amd64}
git --git-dir="$git_dir" rev-parse --verify -q HEAD >/dev/null \
  || { echo "prepare-djl-jni: $git_dir: not a git dir of DJL (fetch github:deepjavalibrary/djl and pass its git dir)" >&2; exit 2; }
g() { git --git-dir="$git_dir" "$@"; }
# The sources of the release whose jars are on the class path: the native methods must match.
ref=v$djl_version
if ! g rev-parse --verify -q "$ref^{commit}" >/dev/null; then
  echo "prepare-djl-jni: $git_dir has no tag $ref; its HEAD may not match DJL $djl_version" >&2
  ref=HEAD
fi
native=engines/pytorch/pytorch-native/src/main/native
[ -n "$(g ls-tree --name-only "$ref" "$native/")" ] || { echo "prepare-djl-jni: $git_dir: no $native at $ref" >&2; exit 2; }
api=~/.m2/repository/ai/djl/api/$djl_version/api-$djl_version.jar
slf=$(ls ~/.m2/repository/org/slf4j/slf4j-api/*/slf4j-api-*.jar 2>/dev/null | tail -1)
[ -f "$api" ] && [ -n "$slf" ] || { echo "prepare-djl-jni: DJL's api $djl_version or slf4j-api missing in ~/.m2 (build the project first)" >&2; exit 2; }
rm -rf "$out"; mkdir -p "$out/src" "$out/include" "$out/djl"
for f in $(g ls-tree -r --name-only "$ref" "$native/"); do
  g show "$ref:$f" > "$out/src/$(basename "$f")"
done
g show "$ref:api/src/main/native/djl/utils.h" > "$out/djl/utils.h"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
g archive "$ref" engines/pytorch/pytorch-engine/src/main/java | tar x -C "$tmp"
java_src="$tmp/engines/pytorch/pytorch-engine/src/main/java"
"$jdk/bin/javac" -cp "$api:$slf" -sourcepath "$java_src" "$java_src/ai/djl/pytorch/jni/PyTorchLibrary.java" \
  -h "$out/include" -d "$tmp/classes"
cp "$jdk/include/jni.h" "$jdk/include/linux/jni_md.h" "$out/include/"
cp "$(dirname "$0")/build-djl-jni.sh" "$out/"
echo "$ref $(g rev-parse "$ref^{commit}")" > "$out/DJL_REF"
echo "prepare-djl-jni: $out ($(du -sh "$out" | cut -f1)) from DJL $ref"
