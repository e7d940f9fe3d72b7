#!/bin/bash
# Makes a small Java 17 runtime for the GPU machine, which has no Java: the modules the harness
# uses (jdk.management for the compute meter's CPU clock), packed as OUT.tgz with a top folder jre/.
# usage: make-jre.sh OUT.tgz [extra,modules]      (about 22 MB packed)
set -euo pipefail
out=${1:?usage: make-jre.sh OUT.tgz [extra,modules]}
jdk=${JDK_HOME:-/usr/lib/jvm/java-17-openjdk-amd64}
[ -x "$jdk/bin/jlink" ] || { echo "make-jre: no jlink under $jdk (apt-get install openjdk-17-jdk-headless, or set JDK_HOME)" >&2; exit 2; }
mods="java.base,java.logging,java.sql,java.management,java.naming,jdk.unsupported,jdk.management${2:+,$2}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$jdk/bin/jlink" --add-modules "$mods" --strip-debug --no-man-pages --no-header-files --compress=2 --output "$tmp/jre"
strip --strip-unneeded "$tmp/jre/lib/server/libjvm.so"
tar czf "$out" -C "$tmp" jre
echo "make-jre: $out ($(du -h "$out" | cut -f1)) with $mods"
