# The two commands of the README. Each installs what is missing first (Debian/Ubuntu: apt-get), then runs.
#   make demo   — the main job: `phasor demo` on the bundled data (release build)
#   make test   — the test suite (debug build, Swift Testing)
# and `make install` (release build of `phasor` into $(PREFIX)/bin).

SWIFT ?= swift
# Release builds. A plain `swift build -c release` is portable and fast: the hot loops are C kernels that pick
# AVX2/AVX-512 at run time (docs/performance.md). `-target-cpu native` also widens the remaining Swift loops (FFT,
# kernel generation): the plain build takes 6–18% more CPU per S4D block call; results are bit-identical, but the
# native binary needs this CPU's instruction set. `make … NATIVE=0` builds the portable binary.
NATIVE ?= 1
RELEASE := -c release $(if $(filter 1,$(NATIVE)),-Xswiftc -target-cpu -Xswiftc native)
PREFIX ?= /usr/local
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: deps test-deps demo test build release install bench clean

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

# `phasor --version` says which build it is (SIMD kernel level, and whether the Swift code was built for this CPU).
install: deps
	$(SWIFT) build $(RELEASE) --product phasor
	$(SUDO) install -D -m 755 "$$($(SWIFT) build $(RELEASE) --show-bin-path)/phasor" "$(DESTDIR)$(PREFIX)/bin/phasor"
	"$(DESTDIR)$(PREFIX)/bin/phasor" --version

bench: deps
	cd Benchmarks && $(SWIFT) package benchmark

clean:
	rm -rf .build Benchmarks/.build
