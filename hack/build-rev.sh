#!/usr/bin/env bash
# Builds kubeadm-lint as of a commit, for make bench's side-by-side comparison. With SRC, the
# commit's source tree is left there, a git worktree, for the Go benchmarks to run in.
# Usage: hack/build-rev.sh REV OUT [SRC]
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
(cd "$tree" && go build -o "$out" ./cmd/kubeadm-lint)
echo "hack/build-rev.sh: $out is kubeadm-lint at $(git rev-parse --short "$rev")"
