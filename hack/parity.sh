#!/usr/bin/env bash
# Regenerates the parity goldens in testdata/parity/: what the real 'kubeadm config validate' says
# about every file of testdata/corpus and of testdata/parity/cases.
#
#   hack/parity.sh [KUBEADM_DIR]
#
# KUBEADM_DIR holds kubeadm-v1.37.2 and kubeadm-v1.36.3; when they are missing they are built there
# with hack/kubeadm-oracle.sh (3-10 minutes cold). The default is ../kubeadm-oracle,
# outside the repository. The tests never build kubeadm: they only read these goldens.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bindir=${1:-$root/../kubeadm-oracle}
mkdir -p "$bindir"
bindir=$(cd "$bindir" && pwd)

for ver in v1.37.2 v1.36.3; do
  bin=$bindir/kubeadm-$ver
  [ -x "$bin" ] || bash "$root/hack/kubeadm-oracle.sh" "$ver" "$bindir" >/dev/null
  flags=()
  [ "$ver" = v1.37.2 ] && flags=(--allow-experimental-api)
  out=$root/testdata/parity/kubeadm-$ver.tsv
  {
    printf '# kubeadm %s config validate %s: file, verdict, first error line\n' "$ver" "${flags[*]}"
    (cd "$root/testdata" && find corpus -name '*.yaml' | LC_ALL=C sort)
    (cd "$root/testdata/parity" && find cases -name '*.yaml' | LC_ALL=C sort)
  } | while IFS= read -r rel; do
    case $rel in
      '#'*) echo "$rel"; continue ;;
      corpus/*) file=$root/testdata/$rel ;;
      *) file=$root/testdata/parity/$rel ;;
    esac
    if msg=$("$bin" config validate "${flags[@]}" --config "$file" 2>&1 >/dev/null); then
      printf '%s\tok\t\n' "$rel"
    else
      err=$(printf '%s\n' "$msg" | grep -m1 '^error: ' | sed 's/^error: //' | tr '\t' ' ')
      printf '%s\terror\t%s\n' "$rel" "${err:-$(printf '%s\n' "$msg" | tail -n1)}"
    fi
  done > "$out"
  echo "wrote $out"
done
