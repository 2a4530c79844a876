#!/usr/bin/env bash
# Checks .pre-commit-hooks.yaml with the real pre-commit tool: 'pre-commit try-repo' against this
# repository, in a scratch git repository, must fail on a bad kubeadm config with the finding in
# its output, and pass on a good one beside unrelated YAML and Markdown.
#
#   hack/pre-commit-test.sh [REPO]
#
# REPO defaults to this repository. try-repo tests its HEAD commit; when the working tree has
# changes, it tests a snapshot of HEAD plus the staged files and the modified tracked files.
# Untracked files are left out, so a new hook file must be staged (or committed) to be seen.
#
# Each try-repo run builds the hook from scratch, as pre-commit does for a new rev: 'go install
# ./...' in a clone, with GOPATH set to the hook's environment. GOMODCACHE is exported so that the
# build reuses this machine's module cache instead of downloading k8s.io/kubernetes and the rest
# again into that GOPATH; the build cache is shared anyway. pre-commit is installed with apt-get
# when missing.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
repo=${1:-$root}

if ! command -v pre-commit >/dev/null; then
  sudo=
  [ "$(id -u)" = 0 ] || sudo=sudo
  echo "pre-commit-test: installing pre-commit with apt-get"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq pre-commit >/dev/null
fi
pre-commit --version

export GOMODCACHE=${GOMODCACHE:-$(go env GOMODCACHE)}
# Under GitHub Actions the CLI would print ::error annotations, and GitHub would pin the planted
# mistakes of bad.yaml on the pull request.
unset GITHUB_ACTIONS

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
scratch=$work/scratch
mkdir -p "$scratch/.github/workflows"
cp "$root/testdata/examples/cluster-bad-v1beta4.yaml" "$scratch/bad.yaml"
cp "$root/testdata/examples/cluster-good.yaml" "$scratch/good.yaml"
cp "$root/testdata/examples/not-a-config.yaml" "$scratch/configmap.yaml"
printf 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n' > "$scratch/deployment.yaml"
printf 'name: ci\non: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n' > "$scratch/.github/workflows/ci.yaml"
printf 'kubernetesVersion: v1.37\n' > "$scratch/.kubeadm-lint.yaml"
# Not YAML: the hook's files pattern must keep it away from kubeadm-lint.
printf '# Notes\n\n- [ ] key: [unclosed\n' > "$scratch/notes.md"
git -C "$scratch" init -q
git -C "$scratch" add -A

# try_repo EXPECTED_EXIT FILE...: runs the hook on the files; prints its output and the time.
try_repo() {
  local want=$1 start code=0
  shift
  start=$(date +%s)
  (cd "$scratch" && pre-commit try-repo --color never "$repo" kubeadm-lint --files "$@") > "$work/out" 2>&1 || code=$?
  sed 's/^/    /' "$work/out"
  echo "pre-commit-test: try-repo on $* exited $code in $(( $(date +%s) - start ))s"
  if [ "$code" != "$want" ]; then
    echo "FAIL: want exit $want" >&2
    exit 1
  fi
}

# Exit 1 is pre-commit's "a hook failed"; 3 or more would be pre-commit's own trouble.
try_repo 1 bad.yaml
for want in 'bad.yaml:6:3: error KL008 networking.podSubnet' 'bad.yaml:12:3: error KL005'; do
  grep -qF "$want" "$work/out" || { echo "FAIL: the output lacks the finding '$want'" >&2; exit 1; }
done

try_repo 0 good.yaml configmap.yaml deployment.yaml .github/workflows/ci.yaml .kubeadm-lint.yaml notes.md
grep -q '^kubeadm-lint\.*Passed$' "$work/out" || { echo "FAIL: the hook did not run and pass" >&2; exit 1; }
echo "pre-commit-test: ok"
