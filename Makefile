# teepnet top-level commands. `make demo` and `make test` work on a fresh Debian 12 machine:
# both install missing system packages (scripts/deps.sh) and build first.

JOBS ?= 2
FUZZ_SECONDS ?= 60
CTEST := ctest --output-on-failure -j $(JOBS)

.PHONY: all deps build build-asan build-release build-fuzz demo test test-asan bench fuzz format clean

all: build

deps:
	@./scripts/deps.sh

build: deps
	@cmake --preset dev >/dev/null
	@cmake --build build/dev -j $(JOBS)

build-asan: deps
	@cmake --preset asan-ubsan >/dev/null
	@cmake --build build/asan -j $(JOBS)

build-release: deps
	@cmake --preset release >/dev/null
	@cmake --build build/release -j $(JOBS)

build-fuzz: deps
	@cmake --preset fuzz >/dev/null
	@cmake --build build/fuzz -j $(JOBS)

demo: build
	@./build/bin/teepnet demo

# The whole suite on the dev build, then the unit, vector and corpus-replay suites again
# under AddressSanitizer + UndefinedBehaviorSanitizer.
test: build
	@cd build/dev && $(CTEST)
	@$(MAKE) --no-print-directory test-asan

# Only the targets those suites run are built: the programs and end-to-end suites are already
# exercised by the dev build above.
test-asan: deps
	@cmake --preset asan-ubsan >/dev/null
	@cmake --build build/asan -j $(JOBS) --target $$(./scripts/test-targets.sh build/asan 'unit|vectors|fuzz')
	@cd build/asan && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  $(CTEST) -L 'unit|vectors|fuzz'

bench: build-release
	@./scripts/bench.sh build/release/bench

# Each libFuzzer target for FUZZ_SECONDS (default 60 s) from its committed corpus; any crash
# fails the run. New inputs go to build/fuzz/corpus-new/<target>, never into the repo.
fuzz: build-fuzz
	@./scripts/fuzz.sh build/fuzz/fuzz $(FUZZ_SECONDS)

format:
	@git ls-files '*.h' '*.cc' | xargs clang-format-14 -i

clean:
	rm -rf build
