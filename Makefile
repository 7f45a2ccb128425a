# Leefbaar: make demo | make test | make bench — see README.md.
SWIFT ?= swift
SWIFT_FLAGS ?=
BIN = .build/debug
DEMO_URL = $(shell scripts/pg-local.sh url)

.PHONY: deps build test demo db-start db-stop clean bench lint lint-deps fuzz man

deps:
	@missing=""; \
	command -v pg_config >/dev/null 2>&1 && [ -f "$$(pg_config --includedir 2>/dev/null)/libpq-fe.h" ] || missing="$$missing libpq-dev"; \
	command -v pkg-config >/dev/null 2>&1 || missing="$$missing pkg-config"; \
	{ command -v pkg-config >/dev/null 2>&1 && pkg-config --exists zlib; } || missing="$$missing zlib1g-dev"; \
	{ [ -x "$$(pg_config --bindir 2>/dev/null)/initdb" ] || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; } || missing="$$missing postgresql"; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y $$missing; \
	fi

build: deps
	$(SWIFT) build $(SWIFT_FLAGS)

test: build
	$(SWIFT) test $(SWIFT_FLAGS)

db-start: deps
	@scripts/pg-local.sh start
	@echo "DATABASE_URL=\"$$(scripts/pg-local.sh url)\""

db-stop:
	@scripts/pg-local.sh stop

demo: build
	@scripts/demo.sh

bench: deps
	Benchmarks/load-bench.sh $(BENCH_ROWS)
	Benchmarks/report-bench.sh $(BENCH_SCALE)

fuzz:
	Fuzz/run.sh $(FUZZ_RUNS)

# Man pages (one per command and subcommand) from the ArgumentParser definitions, into
# .build/plugins/GenerateManual/outputs/<target>/.
man: build
	$(SWIFT) package plugin generate-manual --multi-page

clean: db-stop
	rm -rf .build .pgdata

# Style that CI enforces: swift format (.swift-format) over the Swift code, sqlfluff (.sqlfluff)
# over SQL/. `swift format format -i -r Sources Tests Fuzz Package.swift` fixes most findings.
SQLFLUFF_VERSION = 4.5.0
lint-deps:
	@command -v sqlfluff >/dev/null 2>&1 || python3 -m pip install -q "sqlfluff==$(SQLFLUFF_VERSION)" \
	  || python3 -m pip install -q --break-system-packages "sqlfluff==$(SQLFLUFF_VERSION)"

lint: lint-deps
	$(SWIFT) format lint --strict -r Sources Tests Fuzz Package.swift
	sqlfluff lint --nocolor SQL
