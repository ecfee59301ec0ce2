# cwrnn-train and cwrnn-render: command-line programs over the engine and
# libsndfile; their tests (check-trainer) and benchmark (bench-train).

SNDFILE_CFLAGS := $(shell $(PKG_CONFIG) --cflags sndfile 2>/dev/null)
SNDFILE_LIBS := $(shell $(PKG_CONFIG) --libs sndfile 2>/dev/null)

TRAINER_MAINS := trainer/cwrnn_train.c trainer/cwrnn_render.c
TRAINER_LIB_SRC := $(filter-out $(TRAINER_MAINS),$(wildcard trainer/*.c))
# notes.c resamples recorded notes with the plugin's band-limited kernel.
TRAINER_LIB_OBJ := $(TRAINER_LIB_SRC:%.c=$(OBJ)/%.o) $(OBJ)/plugin/resample.o
TRAINER_TEST_SRC := $(wildcard tests/trainer/*.c)
TRAINER_TEST_OBJ := $(TRAINER_TEST_SRC:%.c=$(OBJ)/%.o)
TRAINER_ALL_OBJ := $(TRAINER_LIB_OBJ) $(TRAINER_MAINS:%.c=$(OBJ)/%.o) $(TRAINER_TEST_OBJ) \
	$(OBJ)/bench/bench_train.o
TRAINER_LIBS := $(SNDFILE_LIBS) -lpthread -lm

$(TRAINER_ALL_OBJ): CW_CFLAGS += $(SNDFILE_CFLAGS) -Itrainer
$(TRAINER_TEST_OBJ): CW_CFLAGS += $(CHECK_CFLAGS)
$(OBJ)/trainer/notes.o $(OBJ)/tests/trainer/test_notes.o: CW_CFLAGS += -Iplugin

CWRNN_TRAIN := $(BUILD)/cwrnn-train
CWRNN_RENDER := $(BUILD)/cwrnn-render

.PHONY: trainer check-trainer bench-train
all: trainer
trainer: $(CWRNN_TRAIN) $(CWRNN_RENDER)

$(CWRNN_TRAIN): $(OBJ)/trainer/cwrnn_train.o $(TRAINER_LIB_OBJ) $(LIBCWRNN)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(TRAINER_LIBS)

$(CWRNN_RENDER): $(OBJ)/trainer/cwrnn_render.o $(TRAINER_LIB_OBJ) $(LIBCWRNN)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(TRAINER_LIBS)

$(BUILD)/tests/check_trainer: $(TRAINER_TEST_OBJ) $(TRAINER_LIB_OBJ) $(LIBCWRNN)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(CHECK_LIBS) $(TRAINER_LIBS)

# Unit tests (Check), then the end-to-end script over the two programs (it
# takes a model with knobs from the fuzzer's seed maker).
check-trainer: need-deps $(BUILD)/tests/check_trainer $(CWRNN_TRAIN) $(CWRNN_RENDER) \
		$(BUILD)/fuzz/make_model_seeds
	$(BUILD)/tests/check_trainer
	tests/trainer/e2e.sh $(BUILD)

check: check-trainer

$(BUILD)/bench/bench_train: $(OBJ)/bench/bench_train.o $(TRAINER_LIB_OBJ) $(LIBCWRNN)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(TRAINER_LIBS)

bench-train: $(BUILD)/bench/bench_train
	$(BUILD)/bench/bench_train

bench: bench-train

# Man pages, generated from each program's --help by help2man.
TRAINER_MAN := $(BUILD)/man/cwrnn-train.1 $(BUILD)/man/cwrnn-render.1
$(BUILD)/man/cwrnn-train.1: DESCRIPTION := train a Clockwork RNN on audio
$(BUILD)/man/cwrnn-render.1: DESCRIPTION := play a cwrnn model offline
$(BUILD)/man/%.1: $(BUILD)/%
	@mkdir -p $(dir $@)
	help2man --no-info --version-string=$(VERSION) --name="$(DESCRIPTION)" --output=$@ $<

.PHONY: install-trainer uninstall-trainer man
man: $(TRAINER_MAN)
install: install-trainer
install-trainer: trainer man
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1
	install -m 755 $(CWRNN_TRAIN) $(CWRNN_RENDER) $(DESTDIR)$(BINDIR)/
	install -m 644 $(TRAINER_MAN) $(DESTDIR)$(MANDIR)/man1/

uninstall: uninstall-trainer
uninstall-trainer:
	rm -f $(DESTDIR)$(BINDIR)/cwrnn-train $(DESTDIR)$(BINDIR)/cwrnn-render \
		$(DESTDIR)$(MANDIR)/man1/cwrnn-train.1 $(DESTDIR)$(MANDIR)/man1/cwrnn-render.1

# The capture signal's DI phrases are embedded with .incbin (trainer/capture_audio.c).
$(OBJ)/trainer/capture_audio.o: audio/capture_guitar_dry.flac audio/capture_bass_dry.flac

# Issue 11's measurements (minutes of training; not part of make check):
# tests/trainer/measure.sh, MEASURE_PARTS to choose, MEASURE_SECONDS the
# budget of the seconds comparison.
.PHONY: measure
measure: $(CWRNN_TRAIN) $(CWRNN_RENDER)
	tests/trainer/measure.sh $(BUILD) $(MEASURE_PARTS)
