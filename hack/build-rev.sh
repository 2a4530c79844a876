#!/usr/bin/env bash
# Builds kubeadm-lint as of a commit, for make bench's side-by-side comparison. With SRC, the
# commit's source tree is left there, a git worktree, for the Go benchmarks to run in. PKG names
# another command to build (make bench-latency builds ./cmd/kubeadm-lint-webhook).
# Usage: [PKG=./cmd/...] hack/build-rev.sh REV OUT [SRC]
set -euo pipefail
rev=${1:?usage: build-rev.sh REV OUT [SRC]}
out=$(mkdir -p "$(dirname "${2:?usage: build-rev.sh REV OUT [SRC]}")" && cd "$(dirname "$2")" && pwd)/$(basename "$2")
tree=${3:-}
if [ -n "$tree" ]; then
  git worktree remove --force "$tree" >/dev/null 2>&1 || rm -rf "$tree"
  mkdir -p "$(dirname "$tree")"
else
  tree=$(mktemp -d)
  trap 'git worktree remove --force "$tree" >/dev/null 2>&1 || rm -rf "$tree"' EXIT
fi
git worktree add --detach --quiet "$tree" "$rev"
pkg=${PKG:-./cmd/kubeadm-lint}
(cd "$tree" && go build -o "$out" "$pkg")
echo "hack/build-rev.sh: $out is $(basename "$pkg") at $(git rev-parse --short "$rev")"
