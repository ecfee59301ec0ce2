# make check-setup: scripts/deps.sh (the set-up make check and make demo run
# first) in every situation, against stand-ins for apt-get, sudo and dpkg.
.PHONY: check-setup
check-setup:
	tests/setup/check_deps.sh

check: check-setup
