# Thin wrapper over CMake: CMake is the single source of truth for targets.
BUILD_DIR ?= build
SAN_BUILD_DIR ?= build-san
FUZZ_BUILD_DIR ?= build-fuzz
FUZZ_SECONDS ?= 60
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=
# make install: under PREFIX, staged under DESTDIR when set (packaging).
PREFIX ?= /usr/local
DESTDIR ?=

.PHONY: all deps test-plugins build test install reference demo bench sanitize fuzz clean

all: build

deps:
	@bash scripts/install-deps.sh

$(BUILD_DIR)/CMakeCache.txt: | deps
	cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS)

build: deps $(BUILD_DIR)/CMakeCache.txt
	cmake --build $(BUILD_DIR) -j $(JOBS)

# The LV2 plugins the tests render with (the tests skip, saying so, without them).
test-plugins:
	@bash scripts/install-test-plugins.sh

test: build test-plugins
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS)

# The binary, its man page, bash completion and the session JSON Schema (cmake/Install.cmake).
install: build
	DESTDIR="$(DESTDIR)" cmake --install $(BUILD_DIR) --prefix "$(PREFIX)"

# docs/reference.md, rewritten from the parameter tables (src/session/params.cpp).
reference: deps $(BUILD_DIR)/CMakeCache.txt
	cmake --build $(BUILD_DIR) -j $(JOBS) --target make-reference-docs
	$(BUILD_DIR)/make-reference-docs docs/reference.md

demo: deps $(BUILD_DIR)/CMakeCache.txt
	cmake --build $(BUILD_DIR) -j $(JOBS) --target mixdown make-demo-audio
	$(BUILD_DIR)/make-demo-audio sessions/audio
	$(BUILD_DIR)/mixdown render sessions/demo.json -o renders/demo

# The speed benchmark (bench/run.py): mixdown against FFmpeg, SoX, ecasound and
# plain libsndfile loops on a generated multitrack; BENCH_SECONDS and
# BENCH_RUNS shorten it.
bench: deps $(BUILD_DIR)/CMakeCache.txt
	@bash scripts/install-bench-deps.sh
	cmake --build $(BUILD_DIR) -j $(JOBS) --target mixdown convolution_speed make_bench_corpus floor_mix
	/usr/bin/python3 bench/run.py

# The sanitizer and fuzz builds compile at -O1 with line tables only: every frame of a report keeps
# its file and line, and on two cores they build in half the time of -O2 -g (NDEBUG as in Release).
CHECK_BUILD_FLAGS = -DCMAKE_BUILD_TYPE=RelWithDebInfo "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -g1 -DNDEBUG"

# The tests labelled "system" (Slurm, make install: tests/CMakeLists.txt) run in make test only.
sanitize: deps test-plugins
	cmake -S . -B $(SAN_BUILD_DIR) $(CHECK_BUILD_FLAGS) -DMIXDOWN_SANITIZE=ON $(CMAKE_FLAGS)
	cmake --build $(SAN_BUILD_DIR) -j $(JOBS)
	cd $(SAN_BUILD_DIR) && ctest --output-on-failure -j $(JOBS) -LE system

# libFuzzer (clang): each target runs FUZZ_SECONDS from its seeds and what
# earlier runs found; a crash, leak, sanitizer report or a 10 s input fails.
FUZZ_RUN = -max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=2048 -print_final_stats=1
# Sessions up to 64 KiB (libFuzzer's default follows the seeds, a few KiB): room for the
# generated deep and wide graphs and long variant paths (fuzz/stage_seeds.cmake) to grow.
FUZZ_SESSION_MAX_BYTES ?= 65536
FUZZ_ENV = LSAN_OPTIONS=suppressions=$(CURDIR)/fuzz/leak_suppressions.txt:print_suppressions=0

fuzz: deps
	cmake -S . -B $(FUZZ_BUILD_DIR) $(CHECK_BUILD_FLAGS) -DCMAKE_CXX_COMPILER=clang++ -DMIXDOWN_FUZZ=ON $(CMAKE_FLAGS)
	cmake --build $(FUZZ_BUILD_DIR) -j $(JOBS) --target fuzz-seeds
	cd $(FUZZ_BUILD_DIR)/fuzz && $(FUZZ_ENV) ./session_fuzzer $(FUZZ_RUN) -max_len=$(FUZZ_SESSION_MAX_BYTES) -artifact_prefix=session- corpus/session seeds/session
	cd $(FUZZ_BUILD_DIR)/fuzz && $(FUZZ_ENV) ./audio_file_fuzzer $(FUZZ_RUN) -artifact_prefix=audio- corpus/audio seeds/audio

clean:
	rm -rf $(BUILD_DIR) $(SAN_BUILD_DIR) $(FUZZ_BUILD_DIR)
