# The trainer under abuse (tests/trainer/abuse.sh): unwritable destinations,
# a read-only mount and a full disk (a 256 KiB tmpfs, when mount works),
# SIGKILL while a checkpoint and while the model is written. check-kill adds
# KILL_ROUNDS kills at random moments of a run.
KILL_ROUNDS ?= 20

.PHONY: check-trainer-abuse check-kill
check-trainer-abuse: need-deps $(BUILD)/cwrnn-train $(BUILD)/cwrnn-render
	tests/trainer/abuse.sh $(BUILD)

check: check-trainer-abuse

check-kill: $(BUILD)/cwrnn-train $(BUILD)/cwrnn-render
	tests/trainer/abuse.sh $(BUILD) $(KILL_ROUNDS)
