#!/usr/bin/env bash
# Compiles every *.bpf.c here into <classes>/bpf/<name>.o against a vmlinux.h generated from the
# running kernel's BTF (CO-RE: the objects relocate to whichever kernel loads them).
# Usage: build.sh <generated-sources-dir> <classes-dir>
set -euo pipefail
src="$(cd "$(dirname "$0")" && pwd)"
gen="$1"
out="$2/bpf"
for tool in clang llvm-strip bpftool; do
  command -v "$tool" >/dev/null || { echo "build.sh: $tool not found (Debian packages: clang llvm bpftool libbpf-dev)" >&2; exit 1; }
done
[ -r /sys/kernel/btf/vmlinux ] || { echo "build.sh: /sys/kernel/btf/vmlinux missing: the kernel has no BTF" >&2; exit 1; }
mkdir -p "$gen" "$out"
bpftool btf dump file /sys/kernel/btf/vmlinux format c > "$gen/vmlinux.h.tmp"
mv "$gen/vmlinux.h.tmp" "$gen/vmlinux.h"
for program in "$src"/*.bpf.c; do
  name="$(basename "$program" .bpf.c)"
  clang -g -O2 -Wall -Werror -target bpf -D__TARGET_ARCH_x86 -I"$gen" -I"$src" -c "$program" -o "$out/$name.o"
  llvm-strip -g "$out/$name.o"
done
