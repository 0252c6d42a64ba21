# gorun: build, test and demo. Nothing here downloads anything but Go modules.
GO      ?= go
BIN     := bin
PROGS   := $(filter-out internal,$(notdir $(wildcard cmd/*)))
PKGS    := ./...

.PHONY: all build tools test test-unit test-hosts test-short vet fmt-check bench fuzz chaos chaos-short demo commbench scaling scaling-hosts costmodel-hosts vsbaseline vsbaseline-dirs clean cluster-test cluster-test-long cluster-demo slurm-test

all: build

build:
	@mkdir -p $(BIN)
	$(GO) build -o $(BIN)/ $(addprefix ./cmd/,$(PROGS))

# The development harnesses of tools/ (demo, vsbaseline), also into bin/.
tools:
	@mkdir -p $(BIN)
	$(GO) build -o $(BIN)/ ./tools/...

# Every test: the packages' tests with the race detector, then, as root
# with network namespaces, the multi-host and SLURM suites on real
# namespace hosts (their scripts install sshd, slurm-wlm and munge).
test: test-unit test-hosts

test-unit:
	$(GO) test -race -timeout 30m $(PKGS)

test-hosts:
	@if [ "$$(id -u)" = 0 ] && unshare --net true 2>/dev/null; then \
	  $(MAKE) --no-print-directory cluster-test slurm-test; \
	else \
	  echo "make test: SKIPPING the multi-host and SLURM suites (make cluster-test, make slurm-test): they need root and network namespaces"; \
	fi

test-short:
	$(GO) test -short -race $(PKGS)

vet:
	$(GO) vet $(PKGS)

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

bench:
	$(GO) test -run '^$$' -bench . -benchtime 1s $(PKGS)

# Fault trials against the real programs, with a summary table
# (tools/chaos): CHAOS_TRIALS per row; chaos-short is CI's 3 per row (fewer
# for rows that are slow while they show an open defect).
CHAOS_TRIALS ?= 50
chaos: build
	$(GO) run ./tools/chaos --bin $(BIN) --trials $(CHAOS_TRIALS)

chaos-short: build
	$(GO) run ./tools/chaos --bin $(BIN) --short

# Every Fuzz target in the tree, each for FUZZTIME (scripts/fuzz.sh).
FUZZTIME ?= 30s
fuzz:
	GO=$(GO) scripts/fuzz.sh $(FUZZTIME)

# One 3 GiB message between two rank processes over the job's NATS bus:
# the receiver's peak RSS must stay within 1.2x the message (tools/hugemsg).
# It needs about 8 GiB of free memory, so it is not part of make test.
HUGE_BYTES ?= 3GiB
.PHONY: huge-message
huge-message: build tools
	$(BIN)/gorun -n 2 $(BIN)/hugemsg --bytes $(HUGE_BYTES) --max-ratio 1.2

# The main job: tracts and wordcount on bundled data, both modes, answers
# checked, time and memory side by side.
demo: build tools
	$(BIN)/demo --bin $(BIN) --data testdata

# OSU-style communication benchmarks in every mode (csv).
commbench: build
	$(BIN)/commbench --mode goroutines --format csv
	$(BIN)/commbench --mode nats --format csv
	$(BIN)/gorun -n 2 --no-tag $(BIN)/commbench --mode processes --format csv

# Strong and weak scaling of tracts (brute force) and wordcount, 1..8 ranks,
# both modes, 3 repeats: docs/plots/scaling.csv and the plots (minutes).
PLOTS ?= docs/plots
scaling: build
	$(BIN)/scaling --out $(PLOTS) --repeat 3 --max-ranks 8 --strong-factor 2 \
	  --workload 'tracts=$(BIN)/tracts --tracts testdata/geo/il_2018.geojson --filter COUNTYFP=031 --points testdata/geo/zips_il.csv --method brute --dup {n} --out {tmp}/tracts.csv' \
	  --workload 'wordcount=$(BIN)/wordcount --out {tmp}/wordcount.tsv {rep*300:testdata/text}'

# The same workloads across 1-3 namespace hosts (scripts/cluster.sh; needs
# root), 1 and 2 ranks per host, process and hybrid mode, links shaped to
# 1 and 10 Gbit/s: docs/plots/scaling_hosts_*.csv and *_hosts_*.png/svg.
scaling-hosts: build
	scripts/cluster.sh run scripts/scaling-hosts.sh $(BIN) $(PLOTS)

# The alpha-beta cost model on 3 namespace hosts x 2 ranks (needs root):
# commbench --fit in process and hybrid mode, links unshaped and at
# 1 Gbit/s: docs/plots/costmodel_*.csv, .json and the plots.
costmodel-hosts: build
	scripts/cluster.sh run scripts/costmodel-hosts.sh $(BIN) $(PLOTS)

# The Python baselines (seed_*.py in BASELINES, their data in DATA) beside
# the gorun programs (needs Debian's python3-geopandas and python3-dask):
#   make vsbaseline BASELINES=DIR DATA=DIR
vsbaseline: vsbaseline-dirs build tools
	$(BIN)/vsbaseline --baselines $(BASELINES) --data $(DATA) --repeats 3 --dup 1

vsbaseline-dirs:
	@if [ -z "$(BASELINES)" ] || [ -z "$(DATA)" ]; then \
	  echo "make vsbaseline: set BASELINES=DIR (seed_*.py) and DATA=DIR (their data)"; exit 2; fi

# Multi-host tests on a cluster of network-namespace hosts with real sshd
# (scripts/cluster.sh; needs root): up, the tests, down, also on failure.
# cluster-test-long repeats the failure and congestion cases
# CLUSTER_TRIALS times each (the targets: 0 failures and 0 hangs in 20).
CLUSTER_TRIALS ?= 20
cluster-test:
	scripts/cluster.sh run $(GO) test -race -count=1 -timeout 20m ./internal/clustertest/

cluster-test-long:
	GORUN_CLUSTER_TRIALS=$(CLUSTER_TRIALS) scripts/cluster.sh run $(GO) test -count=1 -timeout 60m -v \
	  -run 'TestRemoteRankFails|TestCongestedRoute' ./internal/clustertest/

# SLURM tests on a real SLURM cluster (slurmctld, a slurmd per namespace
# host; scripts/slurm-cluster.sh installs slurm-wlm and munge; needs root).
slurm-test:
	scripts/slurm-cluster.sh run $(GO) test -race -count=1 -timeout 20m ./internal/slurmtest/

# The 3-host namespace cluster, and pi and word count run across it.
cluster-demo: build
	scripts/cluster.sh run scripts/cluster-demo.sh $(BIN)

clean:
	rm -rf $(BIN)
