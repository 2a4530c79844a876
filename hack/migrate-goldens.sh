#!/usr/bin/env bash
# Regenerates the goldens of 'kubeadm-lint fix --migrate' in testdata/migrate/: what the real
# 'kubeadm config migrate' of kubeadm v1.36.3, the last release that reads v1beta3, writes for
# every v1beta3 file of testdata/corpus and of testdata/migrate/cases. CI does not run this; the
# tests only read its output (fix/migrate_test.go explains how they compare).
#
#   hack/migrate-goldens.sh [KUBEADM_DIR]
#
# KUBEADM_DIR holds kubeadm-v1.36.3, built there with hack/kubeadm-oracle.sh when
# missing (3-10 minutes cold). The default is ../kubeadm-oracle, outside the repository.
#
# Two adjustments, both applied the same way by the test:
#   - kubeadm v1.36.3 refuses to migrate a config for a release below v1.35. Most of the corpus
#     is older, and the version gate is no part of the migration, so when kubeadm says so the
#     file is migrated again with its kubernetesVersion lines set to v1.36.0 ("raised" below).
#   - a bootstrap token that kubeadm generates is random; it is replaced with a fixed one so that
#     rerunning this script changes nothing. The test ignores generated tokens anyway.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bindir=${1:-$root/../kubeadm-oracle}
mkdir -p "$bindir"
bindir=$(cd "$bindir" && pwd)
ver=v1.36.3
bin=$bindir/kubeadm-$ver
[ -x "$bin" ] || bash "$root/hack/kubeadm-oracle.sh" "$ver" "$bindir" >/dev/null

out=$root/testdata/migrate/kubeadm-$ver
manifest=$root/testdata/migrate/kubeadm-$ver.tsv
rm -rf "$out"
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# migrate IN OUT: prints kubeadm's first error line and fails when kubeadm refuses.
migrate() {
  local msg
  if msg=$("$bin" config migrate --old-config "$1" --new-config "$2" 2>&1 >/dev/null); then
    return 0
  fi
  printf '%s\n' "$msg" | grep -m1 '^error' | sed 's/^error: //' | tr '\t' ' '
  return 1
}

{
  printf '# kubeadm %s config migrate over the v1beta3 files: file, verdict (ok, raised or skip), reason\n' "$ver"
  {
    (cd "$root/testdata" && grep -rl --include='*.yaml' 'kubeadm.k8s.io/v1beta3' corpus | LC_ALL=C sort)
    (cd "$root/testdata/migrate" && find cases -name '*.yaml' | LC_ALL=C sort)
  } | while IFS= read -r rel; do
    case $rel in
      corpus/*) file=$root/testdata/$rel ;;
      *) file=$root/testdata/migrate/$rel ;;
    esac
    golden=$out/$rel
    verdict=ok
    input=$file
    if ! err=$(migrate "$file" "$work/out.yaml"); then
      if [[ $err == *"only supports deploying clusters with the control plane version"* ]]; then
        input=$work/raised.yaml
        sed -E 's/^([[:space:]]*kubernetesVersion:[[:space:]]*).*/\1v1.36.0/' "$file" > "$input"
        verdict=raised
        err=$(migrate "$input" "$work/out.yaml") || verdict=skip
      else
        verdict=skip
      fi
    fi
    if [ "$verdict" = skip ]; then
      printf '%s\tskip\t%s\n' "$rel" "$err"
      continue
    fi
    # Replace the tokens kubeadm generated, those the input does not hold.
    mkdir -p "$(dirname "$golden")"
    cp "$work/out.yaml" "$golden"
    grep -oE 'token: [a-z0-9]{6}\.[a-z0-9]{16}' "$golden" | cut -d' ' -f2 | sort -u | while read -r tok; do
      grep -qF "$tok" "$input" || sed -i "s/$tok/abcdef.0123456789abcdef/" "$golden"
    done
    printf '%s\t%s\t\n' "$rel" "$verdict"
  done
} > "$manifest"
echo "wrote $manifest and $out"
