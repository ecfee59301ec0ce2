# Fuzzing. `make fuzz` runs each libFuzzer target for FUZZ_SECONDS (needs
# clang and libclang-rt-dev): model_load (the engine's model loader) and
# wav_read (the trainer's audio reader over libsndfile). `make check` replays
# each target's seed corpus and every input that ever crashed it
# (tests/fuzz/regressions/<target>/) without libFuzzer. docs/HARDENING.md has
# the numbers.
FUZZ_SECONDS ?= 60
FUZZ_CC ?= clang
FUZZ_FLAGS := -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
	-DFUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
FUZZ_DIR := $(BUILD)/fuzz

$(FUZZ_DIR)/make_model_seeds: $(OBJ)/tests/fuzz/make_model_seeds.o $(LIBCWRNN)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ -lm

$(FUZZ_DIR)/replay_model_load: $(OBJ)/tests/fuzz/replay.o $(OBJ)/tests/fuzz/fuzz_model_load.o $(LIBCWRNN)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ -lm

$(FUZZ_DIR)/seeds/model_load/.made: $(FUZZ_DIR)/make_model_seeds
	@mkdir -p $(dir $@)
	$(FUZZ_DIR)/make_model_seeds $(dir $@)
	@touch $@

.PHONY: check-fuzz-replay check-fuzz-replay-model-load check-fuzz-replay-wav-read fuzz fuzz-model-load
check-fuzz-replay: check-fuzz-replay-model-load check-fuzz-replay-wav-read
check-fuzz-replay-model-load: $(FUZZ_DIR)/replay_model_load $(FUZZ_DIR)/seeds/model_load/.made
	$(FUZZ_DIR)/replay_model_load $(FUZZ_DIR)/seeds/model_load tests/fuzz/regressions/model_load

check: check-fuzz-replay

# The engine one object per source, so each kernel gets its instruction set
# (as in the Makefile); the dispatcher picks what the CPU has at run time.
FUZZ_ENGINE_OBJ := $(ENGINE_SRC:%.c=$(FUZZ_DIR)/obj/%.o)
$(FUZZ_DIR)/obj/engine/kernel_avx2.o: FUZZ_ISA_FLAGS := -mavx2 -mfma
$(FUZZ_DIR)/obj/engine/%.o: engine/%.c engine/*.h
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_FLAGS) $(FUZZ_ISA_FLAGS) -Iengine -std=c11 -D_POSIX_C_SOURCE=200809L \
		-fopenmp-simd -c $< -o $@

$(FUZZ_DIR)/fuzz_model_load: tests/fuzz/fuzz_model_load.c $(FUZZ_ENGINE_OBJ)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_FLAGS) -Iengine -std=c11 -D_POSIX_C_SOURCE=200809L -fopenmp-simd \
		-o $@ tests/fuzz/fuzz_model_load.c $(FUZZ_ENGINE_OBJ) -lm

# New crashes land in $(FUZZ_DIR)/crashes/; copy each into
# tests/fuzz/regressions/<target>/ once fixed.
fuzz-model-load: $(FUZZ_DIR)/fuzz_model_load $(FUZZ_DIR)/seeds/model_load/.made
	@mkdir -p $(FUZZ_DIR)/corpus/model_load $(FUZZ_DIR)/crashes
	$(FUZZ_DIR)/fuzz_model_load -max_total_time=$(FUZZ_SECONDS) -max_len=65536 \
		-artifact_prefix=$(FUZZ_DIR)/crashes/ -print_final_stats=1 \
		$(FUZZ_DIR)/corpus/model_load $(FUZZ_DIR)/seeds/model_load

fuzz: fuzz-model-load

# ---- the trainer's audio reader (trainer/wav.c over libsndfile)
WAV_FUZZ_SRC := trainer/wav.c engine/util.c engine/atomic_file.c
# libsndfile leaks when it refuses some Ogg streams (upstream; see the file).
WAV_FUZZ_ENV := LSAN_OPTIONS=suppressions=$(CURDIR)/tests/fuzz/lsan.supp

$(OBJ)/tests/fuzz/make_wav_seeds.o $(OBJ)/tests/fuzz/fuzz_wav_read.o: \
	CW_CFLAGS += $(SNDFILE_CFLAGS) -Itrainer

$(FUZZ_DIR)/make_wav_seeds: $(OBJ)/tests/fuzz/make_wav_seeds.o
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(SNDFILE_LIBS) -lm

$(FUZZ_DIR)/replay_wav_read: $(OBJ)/tests/fuzz/replay.o $(OBJ)/tests/fuzz/fuzz_wav_read.o \
		$(OBJ)/trainer/wav.o $(LIBCWRNN)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(SNDFILE_LIBS) -lm

$(FUZZ_DIR)/seeds/wav_read/.made: $(FUZZ_DIR)/make_wav_seeds
	@mkdir -p $(dir $@)
	$(FUZZ_DIR)/make_wav_seeds $(dir $@)
	@touch $@

.PHONY: fuzz-wav-read
check-fuzz-replay-wav-read: $(FUZZ_DIR)/replay_wav_read $(FUZZ_DIR)/seeds/wav_read/.made
	$(WAV_FUZZ_ENV) $(FUZZ_DIR)/replay_wav_read $(FUZZ_DIR)/seeds/wav_read \
		tests/fuzz/regressions/wav_read

$(FUZZ_DIR)/fuzz_wav_read: tests/fuzz/fuzz_wav_read.c $(WAV_FUZZ_SRC) trainer/*.h engine/cwrnn.h
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_FLAGS) -Iengine -Itrainer $(SNDFILE_CFLAGS) -std=c11 \
		-D_POSIX_C_SOURCE=200809L -o $@ tests/fuzz/fuzz_wav_read.c $(WAV_FUZZ_SRC) \
		$(SNDFILE_LIBS) -lm

fuzz-wav-read: $(FUZZ_DIR)/fuzz_wav_read $(FUZZ_DIR)/seeds/wav_read/.made
	@mkdir -p $(FUZZ_DIR)/corpus/wav_read $(FUZZ_DIR)/crashes/wav_read
	$(WAV_FUZZ_ENV) $(FUZZ_DIR)/fuzz_wav_read -max_total_time=$(FUZZ_SECONDS) -max_len=16384 \
		-artifact_prefix=$(FUZZ_DIR)/crashes/wav_read/ -print_final_stats=1 \
		$(FUZZ_DIR)/corpus/wav_read $(FUZZ_DIR)/seeds/wav_read

fuzz: fuzz-wav-read
