# The engine as an installed library, as a Debian package would ship it:
# libcwrnn.a, libcwrnn.so.$(VERSION) with the soname libcwrnn.so.$(SOVERSION)
# (exporting only the cwrnn_* API, engine/cwrnn.map), cwrnn.h and cwrnn.pc
# for pkg-config. The plugin and the programs link the static library.

SOVERSION := 0
LIBCWRNN_SONAME := libcwrnn.so.$(SOVERSION)
LIBCWRNN_SO := $(BUILD)/libcwrnn.so.$(VERSION)

.PHONY: lib install-lib uninstall-lib
all: lib
lib: $(LIBCWRNN) $(LIBCWRNN_SO)

$(LIBCWRNN_SO): $(ENGINE_OBJ) engine/cwrnn.map
	$(CC) $(LDFLAGS) -shared -Wl,-soname,$(LIBCWRNN_SONAME) \
		-Wl,--version-script,engine/cwrnn.map -Wl,-z,defs -o $@ $(ENGINE_OBJ) -lm

# cwrnn.pc is written with the install directories of this make run.
install: install-lib
install-lib: lib
	install -d $(DESTDIR)$(LIBDIR) $(DESTDIR)$(INCLUDEDIR) $(DESTDIR)$(PKGCONFIGDIR)
	install -m 644 $(LIBCWRNN) $(DESTDIR)$(LIBDIR)/
	install -m 755 $(LIBCWRNN_SO) $(DESTDIR)$(LIBDIR)/
	ln -sfn libcwrnn.so.$(VERSION) $(DESTDIR)$(LIBDIR)/$(LIBCWRNN_SONAME)
	ln -sfn $(LIBCWRNN_SONAME) $(DESTDIR)$(LIBDIR)/libcwrnn.so
	install -m 644 engine/cwrnn.h $(DESTDIR)$(INCLUDEDIR)/
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' \
		-e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' -e 's|@VERSION@|$(VERSION)|' \
		engine/cwrnn.pc.in > $(DESTDIR)$(PKGCONFIGDIR)/cwrnn.pc
	$(if $(DESTDIR),,-ldconfig 2>/dev/null)

uninstall: uninstall-lib
uninstall-lib:
	rm -f $(DESTDIR)$(LIBDIR)/libcwrnn.a $(DESTDIR)$(LIBDIR)/libcwrnn.so \
		$(DESTDIR)$(LIBDIR)/$(LIBCWRNN_SONAME) $(DESTDIR)$(LIBDIR)/libcwrnn.so.$(VERSION) \
		$(DESTDIR)$(INCLUDEDIR)/cwrnn.h $(DESTDIR)$(PKGCONFIGDIR)/cwrnn.pc
