# cwrnn LV2 plugin: build/cwrnn.lv2 (manifest, Turtle, shared object, models),
# its tests (check-plugin), benchmark (bench-plugin) and install/uninstall.

PLUGIN_LV2_CFLAGS := $(shell $(PKG_CONFIG) --cflags lv2 2>/dev/null)
PLUGIN_LILV_CFLAGS := $(shell $(PKG_CONFIG) --cflags lilv-0 2>/dev/null)
PLUGIN_LILV_LIBS := $(shell $(PKG_CONFIG) --libs lilv-0 2>/dev/null)

BUNDLE_NAME := cwrnn.lv2
BUNDLE := $(BUILD)/$(BUNDLE_NAME)
PLUGIN_GEN := $(BUILD)/plugin
PLUGIN_SO := cwrnn.so

PLUGIN_SRC := plugin/plugin.c plugin/events.c plugin/worker.c plugin/state.c plugin/slot.c \
	plugin/resample.c plugin/ports.c plugin/instrument.c plugin/voices.c
PLUGIN_OBJ := $(PLUGIN_SRC:%.c=$(OBJ)/%.o)
PLUGIN_TOOL_OBJ := $(OBJ)/plugin/gen_ttl.o $(OBJ)/plugin/default_model.o

$(PLUGIN_OBJ) $(PLUGIN_TOOL_OBJ): CW_CFLAGS += -fvisibility=hidden $(PLUGIN_LV2_CFLAGS)
$(OBJ)/plugin/plugin.o: CW_CFLAGS += -I$(PLUGIN_GEN)
$(OBJ)/plugin/plugin.o: $(PLUGIN_GEN)/cw_bundled.h

# The default model: presets/models/default.cwrnn (trained by make presets,
# presets/README.md), or the untrained one of plugin/default_model.c when it
# is missing; bundled models are the default followed by
# $(PLUGIN_MODELS_DIR)/*.cwrnn sorted by name, which is the order of the
# model port's scale points.
DEFAULT_MODEL ?= $(or $(wildcard presets/models/default.cwrnn),$(PLUGIN_GEN)/default.cwrnn)
PLUGIN_MODELS_DIR ?= presets/models
PRESET_MODELS := $(filter-out %/default.cwrnn,$(sort $(wildcard $(PLUGIN_MODELS_DIR)/*.cwrnn)))
BUNDLE_MODELS := $(BUNDLE)/models/default.cwrnn \
	$(PRESET_MODELS:$(PLUGIN_MODELS_DIR)/%=$(BUNDLE)/models/%)

# Presets: $(PLUGIN_PRESETS_DIR)/*.ttl go into the bundle beside cwrnn.ttl,
# and $(PLUGIN_PRESETS_DIR)/manifest.ttl.in (the presets' manifest entries,
# @URI@ = the plugin URI prefix) is appended to manifest.ttl.
PLUGIN_PRESETS_DIR ?= presets
PRESET_TTL := $(sort $(wildcard $(PLUGIN_PRESETS_DIR)/*.ttl))
PRESET_MANIFEST := $(wildcard $(PLUGIN_PRESETS_DIR)/manifest.ttl.in)
BUNDLE_PRESETS := $(PRESET_TTL:$(PLUGIN_PRESETS_DIR)/%=$(BUNDLE)/%)

PLUGIN_BUNDLE_FILES := $(BUNDLE)/manifest.ttl $(BUNDLE)/cwrnn.ttl $(BUNDLE)/$(PLUGIN_SO) \
	$(BUNDLE_MODELS) $(BUNDLE_PRESETS)

.PHONY: plugin plugin-deps check-plugin bench-plugin install-plugin uninstall-plugin
all: plugin
plugin: plugin-deps $(PLUGIN_BUNDLE_FILES)

plugin-deps:
	@$(PKG_CONFIG) --exists lv2 || { echo "cwrnn: the plugin needs the LV2 headers:" \
		"apt-get install lv2-dev (or: make deps)"; exit 1; }

$(PLUGIN_GEN)/gen_ttl: $(OBJ)/plugin/gen_ttl.o $(OBJ)/plugin/ports.o $(OBJ)/plugin/slot.o \
		$(OBJ)/plugin/resample.o $(LIBCWRNN)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ -lm

$(PLUGIN_GEN)/default_model: $(OBJ)/plugin/default_model.o $(LIBCWRNN)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ -lm

$(PLUGIN_GEN)/default.cwrnn: $(PLUGIN_GEN)/default_model
	$< $@

$(BUNDLE)/models/default.cwrnn: $(DEFAULT_MODEL)
	@mkdir -p $(dir $@)
	cp $< $@

$(BUNDLE)/models/%.cwrnn: $(PLUGIN_MODELS_DIR)/%.cwrnn
	@mkdir -p $(dir $@)
	cp $< $@

$(BUNDLE)/cwrnn.ttl $(PLUGIN_GEN)/cw_bundled.h &: ttl/cwrnn.ttl.in $(PLUGIN_GEN)/gen_ttl \
		$(BUNDLE_MODELS)
	@mkdir -p $(BUNDLE) $(PLUGIN_GEN)
	$(PLUGIN_GEN)/gen_ttl -t ttl/cwrnn.ttl.in -o $(BUNDLE)/cwrnn.ttl \
		-H $(PLUGIN_GEN)/cw_bundled.h $(BUNDLE_MODELS)

$(BUNDLE)/manifest.ttl: ttl/manifest.ttl.in $(PRESET_MANIFEST) $(PLUGIN_GEN)/gen_ttl
	@mkdir -p $(dir $@)
	$(PLUGIN_GEN)/gen_ttl -t $< -o $@ -s $(PLUGIN_SO)
	$(if $(PRESET_MANIFEST),$(PLUGIN_GEN)/gen_ttl -t $(PRESET_MANIFEST) -o $@.presets \
		&& cat $@.presets >> $@ && rm $@.presets)

$(BUNDLE)/%.ttl: $(PLUGIN_PRESETS_DIR)/%.ttl
	@mkdir -p $(dir $@)
	cp $< $@

# Engine symbols stay hidden (--exclude-libs): the .so exports lv2_descriptor.
$(BUNDLE)/$(PLUGIN_SO): $(PLUGIN_OBJ) $(LIBCWRNN)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -shared -o $@ $(PLUGIN_OBJ) $(LIBCWRNN) -lm \
		-Wl,--exclude-libs,ALL -Wl,-z,defs

# ------------------------------------------------------------ lilv host
# The one LV2 host (tools/lv2host): the plugin tests, the presets check, the
# plugin benchmark and cwrnn-lv2-render run the plugin through it.
LV2HOST_OBJ := $(OBJ)/tools/lv2host/lv2host.o
LV2HOST_CFLAGS := $(PLUGIN_LILV_CFLAGS) $(PLUGIN_LV2_CFLAGS) -Itools/lv2host
$(LV2HOST_OBJ): CW_CFLAGS += $(LV2HOST_CFLAGS)

# ---------------------------------------------------------------- tests
PLUGIN_TEST_SRC := $(wildcard tests/plugin/*.c)
PLUGIN_TEST_OBJ := $(PLUGIN_TEST_SRC:%.c=$(OBJ)/%.o)
$(PLUGIN_TEST_OBJ) $(OBJ)/bench/bench_plugin.o: CW_CFLAGS += $(CHECK_CFLAGS) $(LV2HOST_CFLAGS) \
	-Iplugin -Itrainer -iquote tools/demo $(SNDFILE_CFLAGS)
PLUGIN_TOOLS_ENV :=
ifeq ($(SANITIZE),1)
# ASan owns malloc: the test's heap counter cannot interpose it. The lilv
# tools load the instrumented plugin only with the ASan runtime preloaded.
$(PLUGIN_TEST_OBJ): CW_CFLAGS += -DCW_NO_HEAP_HOOK
PLUGIN_TOOLS_ENV := LD_PRELOAD=$(shell $(CC) -print-file-name=libasan.so) ASAN_OPTIONS=detect_leaks=0
endif

# -rdynamic exports the test's malloc/free so the plugin's calls reach them.
$(BUILD)/tests/check_plugin: $(PLUGIN_TEST_OBJ) $(LV2HOST_OBJ) $(OBJ)/plugin/ports.o \
		$(OBJ)/plugin/resample.o $(OBJ)/plugin/slot.o $(OBJ)/plugin/voices.o \
		$(OBJ)/trainer/wav.o $(OBJ)/tools/demo/signal.o $(OBJ)/tools/demo/fft.o $(LIBCWRNN)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -rdynamic -o $@ $^ $(PLUGIN_LILV_LIBS) $(CHECK_LIBS) $(SNDFILE_LIBS) -lm -ldl

# build/ holds more than bundles and lilv reports every directory without a
# manifest, so the lilv tests look at build/lv2/, which links to the bundle.
PLUGIN_LV2_PATH := $(abspath $(BUILD))/lv2
$(PLUGIN_LV2_PATH)/$(BUNDLE_NAME):
	@mkdir -p $(dir $@)
	ln -sfn ../$(BUNDLE_NAME) $@

check-plugin: need-deps plugin $(BUILD)/tests/check_plugin $(PLUGIN_LV2_PATH)/$(BUNDLE_NAME)
	tests/plugin/validate.sh $(BUNDLE)
	LV2_PATH=$(PLUGIN_LV2_PATH) CW_TEST_TMP=$(abspath $(BUILD))/tests/plugin-tmp \
		$(BUILD)/tests/check_plugin
	$(PLUGIN_TOOLS_ENV) tests/plugin/tools.sh $(BUILD)

check: check-plugin

# ---------------------------------------------------------------- bench
$(BUILD)/bench/bench_plugin: $(OBJ)/bench/bench_plugin.o $(LV2HOST_OBJ) $(OBJ)/plugin/ports.o \
		$(LIBCWRNN)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(PLUGIN_LILV_LIBS) -lm

bench-plugin: plugin $(BUILD)/bench/bench_plugin $(PLUGIN_LV2_PATH)/$(BUNDLE_NAME)
	LV2_PATH=$(PLUGIN_LV2_PATH) $(BUILD)/bench/bench_plugin $(BUNDLE)/models/default.cwrnn

bench: bench-plugin

# -------------------------------------------------------------- install
install: install-plugin
install-plugin: plugin
	install -d $(DESTDIR)$(LV2DIR)/$(BUNDLE_NAME)/models
	install -m 644 $(BUNDLE)/manifest.ttl $(BUNDLE)/cwrnn.ttl $(DESTDIR)$(LV2DIR)/$(BUNDLE_NAME)/
	install -m 755 $(BUNDLE)/$(PLUGIN_SO) $(DESTDIR)$(LV2DIR)/$(BUNDLE_NAME)/
	install -m 644 $(BUNDLE_MODELS) $(DESTDIR)$(LV2DIR)/$(BUNDLE_NAME)/models/
	$(if $(BUNDLE_PRESETS),install -m 644 $(BUNDLE_PRESETS) $(DESTDIR)$(LV2DIR)/$(BUNDLE_NAME)/)

uninstall: uninstall-plugin
uninstall-plugin:
	rm -rf $(DESTDIR)$(LV2DIR)/$(BUNDLE_NAME)
