# make demo: train a small DS-1 model from the bundled recordings, render the
# held-out pair through the LV2 plugin (cwrnn-lv2-render, a lilv host) and
# draw demo/cwrnn-demo.svg (cwrnn-demo-plot). The tools, their tests
# (check-demo) and the demo itself. Knobs: DEMO_DIR, DEMO_EPOCHS.

DEMO_DIR ?= demo
DEMO_EPOCHS ?= 28
DEMO_HIDDEN ?= 24

LV2_RENDER := $(BUILD)/cwrnn-lv2-render
DEMO_PLOT := $(BUILD)/cwrnn-demo-plot

DEMO_HOST_OBJ := $(OBJ)/tools/demo/cwrnn_lv2_render.o $(OBJ)/tools/demo/smf.o
DEMO_PLOT_OBJ := $(OBJ)/tools/demo/cwrnn_demo_plot.o $(OBJ)/tools/demo/fft.o \
	$(OBJ)/tools/demo/signal.o $(OBJ)/tools/demo/history.o \
	$(OBJ)/tools/demo/figure.o
DEMO_LIB_OBJ := $(filter-out $(OBJ)/tools/demo/cwrnn_demo_plot.o,$(DEMO_PLOT_OBJ))
DEMO_TEST_OBJ := $(OBJ)/tools/demo/check_demo.o
# The trainer's libsndfile reading, text buffer, SVG writer and command-line parsing.
DEMO_WAV_OBJ := $(OBJ)/trainer/wav.o $(OBJ)/trainer/textbuf.o $(OBJ)/trainer/svg.o \
	$(OBJ)/trainer/cli.o

# cwrnn-demo-plot reads the trainer's JSON report with jansson.
JANSSON_CFLAGS := $(shell $(PKG_CONFIG) --cflags jansson 2>/dev/null)
JANSSON_LIBS := $(shell $(PKG_CONFIG) --libs jansson 2>/dev/null)

$(DEMO_HOST_OBJ) $(DEMO_PLOT_OBJ) $(DEMO_TEST_OBJ): CW_CFLAGS += -Itrainer $(SNDFILE_CFLAGS) \
	$(JANSSON_CFLAGS)
$(DEMO_HOST_OBJ): CW_CFLAGS += $(LV2HOST_CFLAGS)
$(DEMO_TEST_OBJ): CW_CFLAGS += $(CHECK_CFLAGS)

.PHONY: demo-tools check-demo
all: demo-tools
demo-tools: $(LV2_RENDER) $(DEMO_PLOT)

$(LV2_RENDER): $(DEMO_HOST_OBJ) $(LV2HOST_OBJ) $(DEMO_WAV_OBJ) $(LIBCWRNN)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(PLUGIN_LILV_LIBS) $(SNDFILE_LIBS) -lm

$(DEMO_PLOT): $(DEMO_PLOT_OBJ) $(DEMO_WAV_OBJ) $(LIBCWRNN)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(JANSSON_LIBS) $(SNDFILE_LIBS) -lm

$(BUILD)/tests/check_demo: $(DEMO_TEST_OBJ) $(DEMO_LIB_OBJ) $(OBJ)/tools/demo/smf.o \
		$(DEMO_WAV_OBJ) $(LIBCWRNN)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(CHECK_LIBS) $(JANSSON_LIBS) $(SNDFILE_LIBS) -lm

# Unit tests of the analysis (FFT, spectra, ESR, report reading, SVG), then
# one second through the plugin against cwrnn-render on the same model.
check-demo: need-deps plugin trainer demo-tools $(BUILD)/tests/check_demo \
		$(PLUGIN_LV2_PATH)/$(BUNDLE_NAME)
	$(BUILD)/tests/check_demo
	$(PLUGIN_TOOLS_ENV) LV2_PATH=$(PLUGIN_LV2_PATH) tools/demo/check.sh $(BUILD)

check: check-demo

demo: need-deps plugin trainer demo-tools $(PLUGIN_LV2_PATH)/$(BUNDLE_NAME)
	LV2_PATH=$(PLUGIN_LV2_PATH) BUILD=$(BUILD) OUT=$(DEMO_DIR) EPOCHS=$(DEMO_EPOCHS) \
		HIDDEN=$(DEMO_HIDDEN) \
		tools/demo/demo.sh
