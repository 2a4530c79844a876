#!/usr/bin/env bash
# Builds kubeadm-lint as of a commit, for make bench's side-by-side comparison.
# Usage: hack/build-rev.sh REV OUT
set -euo pipefail
rev=${1:?usage: build-rev.sh REV OUT}
out=$(mkdir -p "$(dirname "${2:?usage: build-rev.sh REV OUT}")" && cd "$(dirname "$2")" && pwd)/$(basename "$2")
tree=$(mktemp -d)
trap 'git worktree remove --force "$tree" >/dev/null 2>&1 || rm -rf "$tree"' EXIT
git worktree add --detach --quiet "$tree" "$rev"
(cd "$tree" && go build -o "$out" ./cmd/kubeadm-lint)
echo "hack/build-rev.sh: $out is kubeadm-lint at $(git rev-parse --short "$rev")"
