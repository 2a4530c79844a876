# kubeadm-lint. 'make run' lints the shipped examples; 'make test' runs every test.
GO      ?= go
BIN     := bin
KUBEADM ?=
BASELINE_REV ?=
START_ONLY ?=
FUZZTIME ?= 30s

.PHONY: all build run test test-unit e2e e2e-bins image vet staticcheck fmt-check docs parity bench clean-bin pre-commit-test fuzz helm-bin helm-lint

all: build

build:
	$(GO) build -o $(BIN)/kubeadm-lint ./cmd/kubeadm-lint
	$(GO) build -o $(BIN)/kubeadm-lint-webhook ./cmd/kubeadm-lint-webhook

# The examples contain mistakes on purpose: exit code 1 (findings) is success here, 2 is not.
run: build
	@./$(BIN)/kubeadm-lint --show-source testdata/examples/; code=$$?; \
	  if [ $$code -gt 1 ]; then exit $$code; fi; \
	  echo "make run: kubeadm-lint exited $$code (1 means it found the problems planted in testdata/examples)"

# Every test, the end-to-end suite against a real kube-apiserver and etcd included, then the
# webhook's load test at full size under the race detector: 40 s on 2 idle cores (2.5 minutes busy),
# and 10 minutes more the first time, to build the race-instrumented packages.
test: fmt-check vet staticcheck e2e-bins helm-lint editor-tools
	$(GO) test ./...
	$(GO) test -race -run '^TestLoad$$' ./webhook -args -load-reviews=20000

# Each fuzz target for $(FUZZTIME); 'go test' fuzzes one target at a time. 'make test' runs only
# their seeds. The first run builds every package with coverage instrumentation: 15 minutes.
fuzz:
	$(GO) test -run '^$$' -fuzz '^FuzzLint$$' -fuzztime $(FUZZTIME) ./lint
	$(GO) test -run '^$$' -fuzz '^FuzzReview$$' -fuzztime $(FUZZTIME) ./webhook
	$(GO) test -run '^$$' -fuzz '^FuzzPipeline$$' -fuzztime $(FUZZTIME) ./pipeline

# Everything but the end-to-end suite, for fast local loops.
test-unit: fmt-check vet staticcheck helm-lint editor-tools
	$(GO) test $$($(GO) list ./... | grep -v '/e2e$$')

e2e: e2e-bins helm-bin
	$(GO) test -count=1 -v ./e2e

# etcd and kube-apiserver for the end-to-end suite, built from the Go module proxy at the
# versions go.mod's tool block pins. About 10 minutes cold; the build cache makes it seconds.
e2e-bins:
	@start=$$(date +%s); \
	  $(GO) build -o $(BIN)/etcd go.etcd.io/etcd/server/v3 && \
	  $(GO) build -o $(BIN)/kube-apiserver k8s.io/kubernetes/cmd/kube-apiserver && \
	  echo "e2e-bins: etcd and kube-apiserver built in $$(( $$(date +%s) - start ))s"

# The real editor clients the editor tests drive (cmd/kubeadm-lint/editor_test.go, docs/editor.md):
# yaml-language-server at hack/editor/package-lock.json's version into hack/editor/node_modules,
# and Debian's neovim for its LSP client. Each step runs only when its tool is missing or stale.
.PHONY: editor-tools
editor-tools: hack/editor/node_modules/.installed
	@command -v nvim >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq neovim; }

hack/editor/node_modules/.installed: hack/editor/package.json hack/editor/package-lock.json
	cd hack/editor && npm ci --no-audit --no-fund
	touch $@

# helm at go.mod's tool version, for the chart's tests (manifests/chart_test.go, e2e/helm_test.go).
# 'go tool helm' runs the same code, but a build without helm's release stamps takes Kubernetes
# v1.20 as the default for 'helm template' and 'helm lint', which the chart refuses: these are the
# -X flags of helm's own Makefile. Seconds with a warm build cache.
HELM_VERSION = $(shell $(GO) list -m -f '{{.Version}}' helm.sh/helm/v3)
K8S_MINOR = $(word 2,$(subst ., ,$(shell $(GO) list -m -f '{{.Version}}' k8s.io/client-go)))
helm-bin:
	$(GO) build -o $(BIN)/helm -ldflags "-X helm.sh/helm/v3/internal/version.version=$(HELM_VERSION) \
	  -X helm.sh/helm/v3/pkg/chartutil.k8sVersionMajor=1 -X helm.sh/helm/v3/pkg/chartutil.k8sVersionMinor=$(K8S_MINOR) \
	  -X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMajor=1 -X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMinor=$(K8S_MINOR)" \
	  helm.sh/helm/v3/cmd/helm

# The chart with its defaults and with each values combination of its ci/ directory, which
# the rendering tests also use.
helm-lint: helm-bin
	$(BIN)/helm lint --strict charts/kubeadm-lint-webhook
	@for f in charts/kubeadm-lint-webhook/ci/*.yaml; do \
	  echo "$(BIN)/helm lint --strict charts/kubeadm-lint-webhook --values $$f"; \
	  $(BIN)/helm lint --strict charts/kubeadm-lint-webhook --values $$f || exit 1; done

# The pre-commit hook through the real pre-commit tool (apt-get installs it when missing): each of
# its two 'pre-commit try-repo' runs builds the hook from a clone: 1.5 minutes each with warm caches.
pre-commit-test:
	hack/pre-commit-test.sh

vet:
	$(GO) vet ./...

# Finds what vet does not: dead code, needless calls, misused APIs. The version is go.mod's tool
# line, so every machine runs the same checks. The first run analyses every dependency: 4 minutes
# on 2 cores; after that its cache makes it 20 seconds.
staticcheck:
	$(GO) tool staticcheck ./...

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	  if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

# Regenerates docs/rules, the rule tables of docs/rules.md and docs/cis.md, the table of fixes of
# docs/fix.md, and the example outputs of the README and docs/*.md, from the rule values and from
# the CLI, which it builds and runs.
docs:
	$(GO) run ./hack/gendocs

# Regenerates the parity goldens with the real kubeadm (built outside the repo on first use).
parity:
	hack/parity.sh

# Regenerates the goldens of 'fix --migrate' with the real kubeadm v1.36.3 'config migrate'.
.PHONY: migrate-goldens
migrate-goldens:
	hack/migrate-goldens.sh

# The CLI over the whole corpus (with KUBEADM=path/to/kubeadm, against 'kubeadm config validate'
# on the same files), the Go benchmarks of Lint, and the webhook under load next to a no-op
# kubewebhook server (hack/loadgen), then precision and bench-latency. Prints the figures,
# writes bench/results.md; asserts nothing.
# With BASELINE_REV=REV, the corpus is also linted by the linter as of that commit, and its Go
# benchmarks and CPU profile run from its source (bin/baseline-src), side by side.
bench: build
	@baseline=; src=; if [ -n "$(BASELINE_REV)" ]; then \
	  src=$$(pwd)/$(BIN)/baseline-src; \
	  hack/build-rev.sh "$(BASELINE_REV)" $(BIN)/kubeadm-lint-baseline "$$src" || exit 1; baseline=$(BIN)/kubeadm-lint-baseline; \
	  mkdir -p $(BIN)/shared && ln -sfn $$(pwd)/testdata/corpus $(BIN)/shared/corpus; fi; \
	  $(GO) run ./hack/bench -go $(GO) -linter $(BIN)/kubeadm-lint -corpus testdata/corpus -kubeadm "$(KUBEADM)" \
	    -baseline "$$baseline" -baseline-name "$(BASELINE_REV)" -baseline-src "$$src" -out bench/results.md
	$(MAKE) precision
	$(MAKE) bench-latency

# Each rule's precision on testdata/corpus: its findings there, how many the reviewed
# expectations (testdata/corpus/EXPECTED.tsv) call true positives, and the ratio. Seconds.
.PHONY: precision
precision:
	$(GO) run ./hack/precision

# Admission latency through the end-to-end suite's kube-apiserver and etcd: kubeadm's kube-proxy
# DaemonSet and kubeadm-config ConfigMap created and updated with no webhook, with the no-op
# webhook (hack/noopwebhook) and with ours, as one and three processes, at concurrency 1 and 16
# (hack/apilatency), then profiles of one process of each under load, in $(BIN)/profiles. With
# BASELINE_REV=REV, the webhook as of that commit is measured beside them. Its section of
# bench/results.md is replaced in place, so it can run alone: about 10 minutes.
.PHONY: bench-latency
bench-latency: build e2e-bins
	$(GO) build -o $(BIN)/noopwebhook ./hack/noopwebhook
	@baseline=; if [ -n "$(BASELINE_REV)" ]; then \
	  PKG=./cmd/kubeadm-lint-webhook hack/build-rev.sh "$(BASELINE_REV)" $(BIN)/kubeadm-lint-webhook-baseline || exit 1; \
	  baseline=$(BIN)/kubeadm-lint-webhook-baseline; fi; \
	  $(GO) run ./hack/apilatency -webhook $(BIN)/kubeadm-lint-webhook -noop $(BIN)/noopwebhook -out bench/results.md -profile $(BIN)/profiles \
	    -baseline "$$baseline" -baseline-name "webhook at $(BASELINE_REV)"

# The webhook's container image, with the CLI for the cluster audit, as an OCI archive, built
# without a Docker daemon.
image:
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags=-s -o $(BIN)/image/kubeadm-lint-webhook ./cmd/kubeadm-lint-webhook
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags=-s -o $(BIN)/image/kubeadm-lint ./cmd/kubeadm-lint
	$(GO) run ./hack/image -binary $(BIN)/image/kubeadm-lint-webhook -cli $(BIN)/image/kubeadm-lint -out $(BIN)/kubeadm-lint-webhook.oci.tar

# Regenerates the flag and feature gate tables of lint/release/data from each supported
# release's own code (hack/flags/gen.sh): about 15 minutes a release cold, 1 to 2 warm.
# Regenerates lint/release/data/staticpods, the hostPath mounts and default flags kubeadm writes
# into the static Pods, from each supported release's kubeadm (hack/volumes/gen.sh): a minute warm.
.PHONY: staticpods
staticpods:
	hack/volumes/gen.sh

# Regenerates schema/docs_gen.go, the doc comments and enumerations of the types 'kubeadm-lint
# schema' reflects, from the linked release's source in the module cache (hack/schemadoc): seconds.
.PHONY: schemadoc
schemadoc:
	$(GO) run ./hack/schemadoc

# Regenerates lint/componentfacts_gen.go, what kube-apiserver and kube-scheduler check in their
# configuration files with code the linter does not link (the scheduler's in-tree plugins, the
# authorizer types), from the kubernetes source of each supported release (hack/componentfacts): seconds.
.PHONY: componentfacts
componentfacts:
	$(GO) run ./hack/componentfacts v1.35.4 v1.36.3 v1.37.2

# Regenerates lint/rules/placeholders_gen.go, the placeholders 'kubeadm config print' ships (KL014),
# from the kubeadm source of each supported release (hack/placeholders): seconds.
.PHONY: placeholders
placeholders:
	$(GO) run ./hack/placeholders v1.35.4 v1.36.3 v1.37.2

# Regenerates lint/release/data/upgrade, what each release's 'kubeadm upgrade' holds to (upgrade
# and kubelet skew, CoreDNS and etcd), from its source (hack/upgrade): seconds, nothing is built.
# It reaches back to v1.31, further than the flag tables, whose generator builds the components.
.PHONY: upgrade-facts
upgrade-facts:
	$(GO) run ./hack/upgrade v1.31.14 v1.32.13 v1.33.13 v1.34.4 v1.35.4 v1.36.3 v1.37.2

.PHONY: flags flags-goldens
flags:
	hack/flags/gen.sh

# Builds the real v1.35.4, v1.36.3 and v1.37.2 components (kube-apiserver, kube-controller-manager,
# kube-scheduler, kubelet, etcd) into bin/components and reruns them on the extraArgs of every
# rule case and corpus file, to regenerate testdata/flags/differential.tsv. 'make test' compares
# the rules with these goldens and builds none of the components.
flags-goldens:
	BINDIR=$(CURDIR)/$(BIN)/components hack/flags/gen.sh v1.35.4 v1.36.3 v1.37.2
	$(GO) test -count=1 -run '^TestDifferential$$' ./lint/rules -args -update -components $(CURDIR)/$(BIN)/components

# Starts the real control plane of each release in bin/components ('make flags-goldens' builds
# it) as kubeadm would, with kubeadm's own PKI and command lines (hack/startcheck), on the
# extraArgs of KL218's cases, to regenerate testdata/flags/start.tsv. About 20 minutes; 'make
# test' only compares. START_ONLY=etcd (or a comma-separated list of components) restarts those components' cases alone; START_ONLY=missing only the cases that have no golden yet.
.PHONY: start-goldens
start-goldens:
	$(GO) test -count=1 -timeout 60m -run '^TestStartDifferential$$' ./lint/rules -args -update-start -components $(CURDIR)/$(BIN)/components \
	  -update-start-only '$(START_ONLY)'
