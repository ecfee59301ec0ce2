# make valgrind: the lilv host tests (every suite of check_plugin, the abuse
# suite included) in one process under memcheck: any invalid access, use of
# uninitialised memory or leak fails the run. Not part of make check (slow);
# .ci/run runs it. somalloc=nouserintercepts: memcheck replaces glibc's
# allocator underneath the test's own malloc (tests/plugin/heap.c forwards to
# __libc_malloc), so the heap counter keeps counting calls made in run().
VALGRIND ?= valgrind
VALGRIND_FLAGS ?= --error-exitcode=1 --leak-check=full --errors-for-leak-kinds=definite,indirect \
	--soname-synonyms=somalloc=nouserintercepts \
	--track-origins=yes --quiet

.PHONY: valgrind
valgrind: plugin $(BUILD)/tests/check_plugin $(PLUGIN_LV2_PATH)/$(BUNDLE_NAME)
	LV2_PATH=$(PLUGIN_LV2_PATH) CW_TEST_TMP=$(abspath $(BUILD))/tests/plugin-tmp CK_FORK=no \
		$(VALGRIND) $(VALGRIND_FLAGS) $(BUILD)/tests/check_plugin
