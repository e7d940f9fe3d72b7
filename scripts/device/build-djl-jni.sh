#!/bin/bash
# On the GPU machine: compiles DJL's PyTorch JNI against the libtorch of its python3, installs
# it where DJL looks for it, and prints the environment DJL then needs (the build log goes to
# stderr). DJL's own JNI loads against a newer torch but is not ABI-compatible with it.
# usage: eval "$(bash build-djl-jni.sh)"
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
djl_version=${DJL_VERSION:-0.36.0}
py=${PYTHON:-python3}
read -r td tv cu abi < <($py -c 'import torch,os
cu = "cu" + torch.version.cuda.replace(".", "") if torch.version.cuda else "cpu"
print(os.path.dirname(torch.__file__), torch.__version__.split("+")[0], cu, int(torch._C._GLIBCXX_USE_CXX11_ABI))') \
  || { echo "build-djl-jni: $py cannot import torch" >&2; exit 1; }
sp=$(dirname "$td")
inc="-I$here/include -I$here -I$here/src -I$td/include -I$td/include/torch/csrc/api/include"
for d in "$sp"/nvidia/*/include /usr/local/cuda/include; do [ -d "$d" ] && inc="$inc -I$d"; done
cuda_flag=""; cuda_libs=""
[ "$cu" != cpu ] && { cuda_flag="-DUSE_CUDA"; cuda_libs="-ltorch_cuda -lc10_cuda"; }
flags="-std=c++17 -O2 -fPIC -w -D_GLIBCXX_USE_CXX11_ABI=$abi $cuda_flag $inc"
build=$(mktemp -d); cd "$build"
t0=$(date +%s)
echo "build-djl-jni: compiling $(ls "$here"/src/*.cc | wc -l) files for torch $tv $cu on $(nproc) cores" >&2
ls "$here"/src/*.cc | xargs -P "$(nproc)" -I{} bash -c \
  "n=\$(basename {} .cc); g++ $flags -c {} -o \$n.o 2> \$n.err || { echo FAIL \$n >&2; grep -m8 error \$n.err >&2; }"
failed=$(ls "$here"/src/*.cc | wc -l); failed=$((failed - $(ls ./*.o 2>/dev/null | wc -l)))
[ "$failed" -eq 0 ] || { echo "build-djl-jni: $failed files failed to compile" >&2; exit 1; }
g++ -shared -o libdjl_torch.so ./*.o -L"$td/lib" -ltorch -ltorch_cpu -lc10 $cuda_libs -Wl,-rpath,"$td/lib" >&2 || exit 1
echo "build-djl-jni: built libdjl_torch.so for torch $tv $cu in $(( $(date +%s) - t0 )) s" >&2
dest="${DJL_CACHE_DIR:-$HOME/.djl.ai}/pytorch/$tv-$cu-linux-x86_64"
mkdir -p "$dest" && cp libdjl_torch.so "$dest/$djl_version-libdjl_torch.so"
echo "export PYTORCH_LIBRARY_PATH=$td/lib PYTORCH_VERSION=$tv PYTORCH_FLAVOR=$cu DJL_OFFLINE=true"
