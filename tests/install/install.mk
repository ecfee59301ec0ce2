# make check-install: `make install` into a DESTDIR under build/, with every
# install directory moved off its default, checked by check_install.sh
# (files, soname, exports, a program built through pkg-config, static and
# shared); then `make uninstall` must leave no file behind.

INSTALL_TEST_ROOT := $(abspath $(BUILD))/install-test
INSTALL_TEST_DIRS := PREFIX=/opt/cwrnn BINDIR=/opt/cwrnn/sbin LIBDIR=/opt/cwrnn/lib64 \
	INCLUDEDIR=/opt/cwrnn/include/cwrnn-0 MANDIR=/opt/cwrnn/man \
	PKGCONFIGDIR=/opt/cwrnn/share/pkgconfig LV2DIR=/opt/cwrnn/lv2

.PHONY: check-install
check-install: lib plugin trainer man
	rm -rf $(INSTALL_TEST_ROOT)
	$(MAKE) --no-print-directory install DESTDIR=$(INSTALL_TEST_ROOT) $(INSTALL_TEST_DIRS) \
		> $(INSTALL_TEST_ROOT).log
	$(INSTALL_TEST_DIRS) VERSION=$(VERSION) SOVERSION=$(SOVERSION) CC="$(CC)" \
		LDFLAGS="$(LDFLAGS)" tests/install/check_install.sh $(INSTALL_TEST_ROOT)
	$(MAKE) --no-print-directory uninstall DESTDIR=$(INSTALL_TEST_ROOT) $(INSTALL_TEST_DIRS) \
		>> $(INSTALL_TEST_ROOT).log
	@left=$$(find $(INSTALL_TEST_ROOT) ! -type d); [ -z "$$left" ] || \
		{ echo "check-install: make uninstall left: $$left"; exit 1; }
	@echo "check-install: make uninstall removed every file"

check: check-install
