# Fuzzing. `make fuzz` runs each libFuzzer target for FUZZ_SECONDS (needs
# clang and libclang-rt-dev); `make check` replays the seed corpus and every
# input that ever crashed (tests/fuzz/regressions/) without libFuzzer.
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

.PHONY: check-fuzz-replay fuzz fuzz-model-load
check-fuzz-replay: $(FUZZ_DIR)/replay_model_load $(FUZZ_DIR)/seeds/model_load/.made
	$(FUZZ_DIR)/replay_model_load $(FUZZ_DIR)/seeds/model_load tests/fuzz/regressions/model_load

check: check-fuzz-replay

$(FUZZ_DIR)/fuzz_model_load: tests/fuzz/fuzz_model_load.c $(ENGINE_SRC) engine/*.h
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_FLAGS) -Iengine -std=c11 -D_POSIX_C_SOURCE=200809L -fopenmp-simd \
		-o $@ tests/fuzz/fuzz_model_load.c $(ENGINE_SRC) -lm

# New crashes land in $(FUZZ_DIR)/crashes/; copy each into
# tests/fuzz/regressions/<target>/ once fixed.
fuzz-model-load: $(FUZZ_DIR)/fuzz_model_load $(FUZZ_DIR)/seeds/model_load/.made
	@mkdir -p $(FUZZ_DIR)/corpus/model_load $(FUZZ_DIR)/crashes
	$(FUZZ_DIR)/fuzz_model_load -max_total_time=$(FUZZ_SECONDS) -max_len=65536 \
		-artifact_prefix=$(FUZZ_DIR)/crashes/ -print_final_stats=1 \
		$(FUZZ_DIR)/corpus/model_load $(FUZZ_DIR)/seeds/model_load

fuzz: fuzz-model-load
