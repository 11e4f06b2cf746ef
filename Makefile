# The two commands of the README. Each installs what is missing first (Debian/Ubuntu: apt-get), then runs.
#   make demo   — the main job: `phasor demo` on the bundled data (release build)
#   make test   — the test suite (debug build, Swift Testing)

SWIFT ?= swift
# Release builds for the CPU they run on: measured 3–5× over a generic x86-64 target on the numerical loops.
RELEASE := -c release -Xswiftc -target-cpu -Xswiftc native
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: deps test-deps demo test build release bench clean

# LAPACKE + OpenBLAS (the only system libraries), and pkg-config, which SwiftPM uses to find them.
deps:
	@if ! pkg-config --exists lapacke openblas 2>/dev/null || [ ! -f /usr/include/lapacke.h ]; then \
		echo "make: installing liblapacke-dev libopenblas-dev pkg-config"; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq liblapacke-dev libopenblas-dev pkg-config; \
	fi

# The test suite also renders the HTML report with headless Chromium (a test checks the screenshot is not blank).
test-deps: deps
	@if ! command -v chromium >/dev/null 2>&1; then \
		echo "make: installing chromium (headless rendering of the report in the tests)"; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium; \
	fi

demo: deps
	$(SWIFT) run $(RELEASE) phasor demo $(ARGS)

# Every target may import only what Package.swift declares (PackageImportsTests checks the lists both ways).
IMPORTS := --explicit-target-dependency-import-check error

test: test-deps
	$(SWIFT) test $(IMPORTS)

build: deps
	$(SWIFT) build $(IMPORTS)

release: deps
	$(SWIFT) build $(RELEASE)

bench: deps
	cd Benchmarks && $(SWIFT) package benchmark

clean:
	rm -rf .build Benchmarks/.build
