# kubeadm-lint. 'make run' lints the shipped examples; 'make test' runs every test.
GO      ?= go
BIN     := bin
KUBEADM ?=

.PHONY: all build run test vet fmt-check docs parity bench clean-bin

all: build

build:
	$(GO) build -o $(BIN)/kubeadm-lint ./cmd/kubeadm-lint

# The examples contain mistakes on purpose: exit code 1 (findings) is success here, 2 is not.
run: build
	@./$(BIN)/kubeadm-lint --show-source testdata/examples/; code=$$?; \
	  if [ $$code -gt 1 ]; then exit $$code; fi; \
	  echo "make run: kubeadm-lint exited $$code (1 means it found the problems planted in testdata/examples)"

test: fmt-check vet
	$(GO) test ./...

vet:
	$(GO) vet ./...

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	  if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

# Regenerates docs/rules and the README's rule table from the rule values.
docs:
	$(GO) run ./hack/gendocs

# Regenerates the parity goldens with the real kubeadm (built outside the repo on first use).
parity:
	hack/parity.sh

# Lints the whole corpus in one process and, with KUBEADM=path/to/kubeadm, times
# 'kubeadm config validate' on the same files. Prints the figures; asserts nothing.
bench: build
	$(GO) run ./hack/bench -linter $(BIN)/kubeadm-lint -corpus ../shared/corpus -kubeadm "$(KUBEADM)"
	$(GO) test -run '^$$' -bench . -benchmem ./lint
