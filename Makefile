# cwrnn — one entry point: make, make check, make bench, make demo, make install.
# Parts (trainer/, plugin/, ...) add their own rules in their *.mk fragment.

VERSION := 0.1.0
PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
LIBDIR ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
MANDIR ?= $(PREFIX)/share/man
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig
LV2DIR ?= $(PREFIX)/lib/lv2
DESTDIR ?=
CC ?= cc
PKG_CONFIG ?= pkg-config
CFLAGS ?= -O2 -g
SANITIZE ?= 0

BUILD := build
OBJ := $(BUILD)/obj

# CFLAGS, CPPFLAGS and LDFLAGS are the user's (make CFLAGS=-O1 keeps every
# flag the build needs). The project's own: BASE_CFLAGS for every object, and
# CW_CFLAGS, added per target by the parts (`$(OBJS): CW_CFLAGS += ...`).
# -fopenmp-simd only enables `#pragma omp simd` (vectorised reductions); it
# pulls in no OpenMP runtime. -fno-math-errno lets sqrt/fabs inline; we never
# use -ffast-math (it breaks isnan, which the NaN guards rely on).
WARN := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes
BASE_CFLAGS := -std=c11 -D_POSIX_C_SOURCE=200809L -fPIC -fopenmp-simd -fno-math-errno $(WARN)
CW_CFLAGS :=
ifeq ($(SANITIZE),1)
BASE_CFLAGS += -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
override LDFLAGS += -fsanitize=address,undefined
BUILD := build-sanitize
OBJ := $(BUILD)/obj
endif
ALL_CFLAGS = $(BASE_CFLAGS) -Iengine $(CW_CFLAGS) $(CPPFLAGS) $(CFLAGS)

# Objects are rebuilt when the compiler or the flags change: the stamp is
# rewritten (at parse time) only when its content differs.
FLAGS_STAMP := $(BUILD)/flags.stamp
FLAGS_NOW := $(CC) $(BASE_CFLAGS) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS)
ifneq ($(file < $(FLAGS_STAMP)),$(FLAGS_NOW))
$(shell mkdir -p $(BUILD))
$(file > $(FLAGS_STAMP),$(FLAGS_NOW))
endif
$(FLAGS_STAMP): ;

# -Itests: tests/check_cases.h, shared by every Check runner.
CHECK_CFLAGS = $(shell $(PKG_CONFIG) --cflags check 2>/dev/null) -Itests
CHECK_LIBS = $(shell $(PKG_CONFIG) --libs check 2>/dev/null)

.PHONY: all check bench clean install uninstall deps need-deps demo
all:

# make demo and make check set a Debian machine up themselves: scripts/deps.sh
# installs the missing packages (apt-get, through sudo when not root) or
# prints the line to run, and make stops. It runs while this Makefile is read,
# before the parts ask pkg-config for those packages' flags; need-deps, which
# the check and demo targets depend on, then finds everything in place.
ifneq ($(filter demo check check-%,$(MAKECMDGOALS)),)
ifneq ($(shell scripts/deps.sh && echo ok),ok)
$(error cwrnn: the packages above are missing)
endif
endif

deps need-deps:
	@scripts/deps.sh

# ---------------------------------------------------------------- engine
ENGINE_SRC := $(wildcard engine/*.c)
ENGINE_OBJ := $(ENGINE_SRC:%.c=$(OBJ)/%.o)
LIBCWRNN := $(BUILD)/libcwrnn.a

all: $(LIBCWRNN)

# One kernel per instruction set (engine/dispatch.c picks one at run time):
# only the AVX2 file is built for more than the baseline, and only for x86-64.
CW_TARGET := $(shell $(CC) -dumpmachine 2>/dev/null)
ifneq ($(filter x86_64%,$(CW_TARGET)),)
$(OBJ)/engine/kernel_avx2.o: CW_CFLAGS += -mavx2 -mfma
endif


# Rebuilt from scratch: `ar r` keeps members of sources that no longer exist.
$(LIBCWRNN): $(ENGINE_OBJ)
	rm -f $@ && $(AR) rcs $@ $^

$(OBJ)/%.o: %.c $(FLAGS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c $< -o $@

# Engine tests: one Check runner, one suite per engine part.
ENGINE_TEST_SRC := $(wildcard tests/engine/*.c)
ENGINE_TEST_OBJ := $(ENGINE_TEST_SRC:%.c=$(OBJ)/%.o)
$(ENGINE_TEST_OBJ): CW_CFLAGS += $(CHECK_CFLAGS)
$(BUILD)/tests/check_engine: $(ENGINE_TEST_OBJ) $(LIBCWRNN)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(CHECK_LIBS) -lm

.PHONY: check-engine
check-engine: need-deps $(BUILD)/tests/check_engine
	$(BUILD)/tests/check_engine

check: check-engine

# The engine and its tests built for aarch64 (the generic kernel) and run
# under qemu-user: Debian's gcc-aarch64-linux-gnu, libc6-dev-arm64-cross,
# qemu-user, and check:arm64 + libsubunit-dev:arm64 (multiarch; .ci/run
# installs them); qemu finds the arm64 C library under /usr/aarch64-linux-gnu.
# CK_FORK=no: Check's forked test processes hang under qemu-user (its
# timeouts), and the suites are written to pass in one process.
AARCH64_CC ?= aarch64-linux-gnu-gcc
AARCH64_PKG_CONFIG := PKG_CONFIG_LIBDIR=/usr/lib/aarch64-linux-gnu/pkgconfig pkg-config
.PHONY: check-aarch64
check-aarch64:
	@command -v $(AARCH64_CC) >/dev/null && command -v qemu-aarch64 >/dev/null || { \
		echo "cwrnn: check-aarch64 needs gcc-aarch64-linux-gnu and qemu-user (apt-get)"; exit 1; }
	@$(AARCH64_PKG_CONFIG) --exists check || { echo "cwrnn: check-aarch64 needs check:arm64:" \
		"dpkg --add-architecture arm64 && apt-get update &&" \
		"apt-get install check:arm64 libsubunit-dev:arm64"; exit 1; }
	$(MAKE) BUILD=build-aarch64 CC=$(AARCH64_CC) AR=aarch64-linux-gnu-ar \
		PKG_CONFIG="$(AARCH64_PKG_CONFIG)" build-aarch64/tests/check_engine
	CK_FORK=no qemu-aarch64 -L /usr/aarch64-linux-gnu build-aarch64/tests/check_engine

# Engine benchmark: prints `bench: NAME ... ratio=... isa=...` lines, for the
# path this CPU gets; BENCH_ENGINE_ISA="sse2 avx2 ..." times forced paths.
$(BUILD)/bench/bench_engine: $(OBJ)/bench/bench_engine.o $(LIBCWRNN)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ -lm

.PHONY: bench-engine
bench-engine: $(BUILD)/bench/bench_engine
	$(BUILD)/bench/bench_engine $(BENCH_ENGINE_ISA)

bench: bench-engine

# Instructions per sample under callgrind for every model and ISA path: the
# deterministic figure (bench/bench_ir.sh). BENCH_ISA picks the paths.
BENCH_ISA ?= generic sse2 avx2
.PHONY: bench-ir
bench-ir: $(BUILD)/bench/bench_engine
	bench/bench_ir.sh $(BUILD)/bench/bench_engine $(BENCH_ISA)

# ---------------------------------------------------------------- parts
-include $(sort $(wildcard */*.mk */*/*.mk))

# The paper's sequence-generation experiment (README: Reproducing the paper).
.PHONY: paper
paper: $(BUILD)/cwrnn-train
	TRAIN=$(BUILD)/cwrnn-train OUT=$(BUILD)/paper scripts/paper.sh $(PAPER_SEEDS)
PAPER_SEEDS ?= 5

clean:
	rm -rf build build-sanitize build-aarch64

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
