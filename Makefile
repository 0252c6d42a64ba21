# gorun: build, test and demo. Nothing here downloads anything but Go modules.
GO      ?= go
BIN     := bin
PROGS   := $(notdir $(wildcard cmd/*))
PKGS    := ./...

.PHONY: all build test test-short vet fmt-check bench demo clean

all: build

build:
	@mkdir -p $(BIN)
	$(GO) build -o $(BIN)/ $(addprefix ./cmd/,$(PROGS))

test:
	$(GO) test -race $(PKGS)

test-short:
	$(GO) test -short -race $(PKGS)

vet:
	$(GO) vet $(PKGS)

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

bench:
	$(GO) test -run '^$$' -bench . -benchtime 1s $(PKGS)

demo: build
	./cmd/demo.sh

clean:
	rm -rf $(BIN)
