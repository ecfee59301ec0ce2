# The bundled models and presets (presets/README.md).
#
#   make presets          retrains every model in presets/models/ from scratch
#                         (fixed seeds, --epochs, one thread each: the same
#                         files bit for bit), then rebuilds the bundle
#   make -j2 presets      the same, two models at a time
#   make presets-measure  prints each model's numbers (held-out ESR, ...)
#   make check-presets    (part of make check) every preset through lilv
#
# Each model is one cwrnn-train command over recordings in audio/ (made by
# audio/make-audio.sh). The command is also stored in the model's summary.

PRESET_TRAIN = nice -n 10 $(BUILD)/cwrnn-train
PRESET_COMMON := --seed 1 --threads 1 --quiet
PRESET_PAPER := --optimizer nesterov --momentum 0.95 --loss sse --init-sigma 0.1 --clip 100 \
	--val 0 --patience 0

# default.cwrnn is the plugin's default model (DEFAULT_MODEL in plugin/plugin.mk).
PRESET_MODEL_NAMES := default fuzz harp cello drone inst-epiano inst-guitar inst-organ knob-ds1

PRESET_ARGS_default := transform --name "Warm overdrive (TS9)" \
	-i audio/guitar_train_dry_48k.flac -t audio/guitar_train_ts9_48k.flac \
	--hidden 48 --modules 6 --epochs 60
PRESET_ARGS_fuzz := transform --name "Fuzz Face" \
	-i audio/guitar_train_dry_48k.flac -t audio/guitar_train_fuzzface_48k.flac \
	--hidden 48 --epochs 60
PRESET_ARGS_harp := generate --name "Harp (generate)" -t audio/harp_a3_7056.flac \
	--hidden 44 --modules 11 --periods 1,2,4,8,16,32,64,128,256,512,1024 --segment 2822 \
	$(PRESET_PAPER) --lr 1.5e-4 --epochs 2000
PRESET_ARGS_cello := generate --name "Cello (generate)" -t audio/cello_a2_3528.flac \
	--hidden 40 --modules 9 --segment 640 $(PRESET_PAPER) --lr 3e-4 --epochs 2000
PRESET_ARGS_drone := continue --name "Cello drone (continue)" -i audio/cello_a3_7056.flac \
	--epochs 100
# The instruments (the instrument plugin's presets): named inst-* so they sort
# after the generators and the mono/stereo presets' model numbers stay.
PRESET_ARGS_inst-epiano := instrument --name "Electric piano" --notes audio/epiano/NOTES.txt \
	--epochs 600
PRESET_ARGS_inst-guitar := instrument --name "Nylon guitar" --notes audio/guitar/NOTES.txt \
	--epochs 600
PRESET_ARGS_inst-organ := instrument --name "Organ" --notes audio/organ/NOTES.txt --epochs 400
# The DS-1 with drive and tone knobs (nine recorded settings, presets/ds1-knobs.pairs):
# named so that it sorts after harp: model 5 of the mono and stereo plugins
# (whose model port lists the effects and generators; the instrument's its own),
# and the other presets' model numbers stay.
PRESET_ARGS_knob-ds1 := transform --name "DS-1 (drive, tone)" --pairs presets/ds1-knobs.pairs \
	--hidden 48 --epochs 45

.PHONY: presets presets-models presets-measure check-presets \
	$(PRESET_MODEL_NAMES:%=preset-model-%)

presets: presets-models
	$(MAKE) plugin

presets-models: $(PRESET_MODEL_NAMES:%=preset-model-%)

$(PRESET_MODEL_NAMES:%=preset-model-%): preset-model-%: $(BUILD)/cwrnn-train
	@mkdir -p presets/models $(BUILD)/presets
	$(PRESET_TRAIN) $(PRESET_ARGS_$*) $(PRESET_COMMON) -o presets/models/$*.cwrnn \
		--report $(BUILD)/presets/$*.json

presets-measure: $(BUILD)/cwrnn-render
	RENDER=$(BUILD)/cwrnn-render OUT=$(BUILD)/presets presets/measure.sh

# ---------------------------------------------------------------- tests
PRESETS_SNDFILE_CFLAGS := $(shell $(PKG_CONFIG) --cflags sndfile 2>/dev/null)
PRESETS_SNDFILE_LIBS := $(shell $(PKG_CONFIG) --libs sndfile 2>/dev/null)
PRESETS_TEST_OBJ := $(OBJ)/presets/check_presets.o
PRESETS_HOST_OBJ := $(OBJ)/tests/plugin/host.o $(OBJ)/tests/plugin/heap.o \
	$(OBJ)/tests/plugin/fixture.o $(LV2HOST_OBJ) $(OBJ)/plugin/ports.o
$(PRESETS_TEST_OBJ): CW_CFLAGS += $(CHECK_CFLAGS) $(LV2HOST_CFLAGS) $(PRESETS_SNDFILE_CFLAGS) \
	-Iplugin -Itests/plugin -Itools/demo

# -rdynamic: the plugin tests' heap counter (tests/plugin/heap.c) sees run().
$(BUILD)/tests/check_presets: $(PRESETS_TEST_OBJ) $(PRESETS_HOST_OBJ) $(OBJ)/tools/demo/signal.o \
		$(OBJ)/tools/demo/fft.o $(LIBCWRNN)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -rdynamic -o $@ $^ $(PLUGIN_LILV_LIBS) $(CHECK_LIBS) \
		$(PRESETS_SNDFILE_LIBS) -lm -ldl

check-presets: need-deps plugin $(BUILD)/tests/check_presets $(BUILD)/tests/check_instruments \
		$(PLUGIN_LV2_PATH)/$(BUNDLE_NAME)
	LV2_PATH=$(PLUGIN_LV2_PATH) CW_AUDIO_DIR=audio $(BUILD)/tests/check_presets

check: check-presets

# The instruments against their recordings (presets/check_instruments.c).
INSTRUMENTS_TEST_OBJ := $(OBJ)/presets/check_instruments.o
$(INSTRUMENTS_TEST_OBJ): CW_CFLAGS += $(CHECK_CFLAGS) $(PLUGIN_LILV_CFLAGS) $(PLUGIN_LV2_CFLAGS) \
	$(LV2HOST_CFLAGS) $(PRESETS_SNDFILE_CFLAGS) -Iplugin -Itests/plugin -Itools/demo
$(BUILD)/tests/check_instruments: $(INSTRUMENTS_TEST_OBJ) $(PRESETS_HOST_OBJ) \
		$(OBJ)/tools/demo/signal.o $(OBJ)/tools/demo/fft.o $(LIBCWRNN)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -rdynamic -o $@ $^ $(PLUGIN_LILV_LIBS) $(CHECK_LIBS) \
		$(PRESETS_SNDFILE_LIBS) -lm -ldl

# Not part of make check: the bundled instruments do not meet these bounds
# yet (presets/README.md, "Instruments"); this prints what they play.
.PHONY: check-instruments
check-instruments: need-deps plugin $(BUILD)/tests/check_instruments \
		$(PLUGIN_LV2_PATH)/$(BUNDLE_NAME)
	LV2_PATH=$(PLUGIN_LV2_PATH) CW_AUDIO_DIR=audio CK_FORK=no $(BUILD)/tests/check_instruments
