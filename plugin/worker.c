/* Model loading and freeing on the host's worker thread. run() asks for a
 * load (cw_schedule_load) or hands back a retired slot (cw_drain_retired);
 * work() does the I/O and allocation; work_response() swaps the new slot in
 * by pointer, in the audio thread. */
#include "plugin.h"

#include <stdio.h>
#include <string.h>

/* Bytes of an over-long path shown in the log. */
#define CW_TOO_LONG_SHOWN 120

int
cw_schedule_load(cw_plugin *self, LV2_Worker_Schedule *schedule, const char *path,
                 uint32_t len)
{
	/* len counts the atom body, which usually includes the NUL */
	while (len > 0 && path[len - 1] == '\0')
		len--;
	if (!schedule || len == 0)
		return -1;
	self->load_msg.type = CW_MSG_LOAD;
	if (len >= CW_MAX_PATH) {
		self->load_msg.type = CW_MSG_TOO_LONG;
		len = CW_TOO_LONG_SHOWN;
	}
	memcpy(self->load_msg.path, path, len);
	self->load_msg.path[len] = '\0';
	uint32_t size = (uint32_t)offsetof(cw_msg_load, path) + len + 1;
	return schedule->schedule_work(schedule->handle, size, &self->load_msg) ==
	               LV2_WORKER_SUCCESS
	           ? 0
	           : -1;
}

void
cw_drain_retired(cw_plugin *self)
{
	while (self->n_retired > 0 && self->schedule) {
		cw_msg_slot msg = { CW_MSG_FREE, self->retired[self->n_retired - 1] };
		if (self->schedule->schedule_work(self->schedule->handle, sizeof msg, &msg) !=
		    LV2_WORKER_SUCCESS)
			break; /* try again next run */
		self->n_retired--;
	}
}

void
cw_log_model(cw_plugin *self, const char *what, const cw_slot *slot)
{
	char knobs[1024] = "no knobs";
	size_t at = 0;
	const cwrnn_config *cfg = &slot->model->config;
	for (int k = 0; k < slot->n_knobs && at < sizeof knobs; k++) {
		const cwrnn_control *ctl = &cfg->controls[slot->knob_control[k]];
		char port[16] = "no port";
		if (cw_knob_has_port(self, k))
			snprintf(port, sizeof port, "Knob %d", k + 1);
		int n = snprintf(knobs + at, sizeof knobs - at, "%s%s %g..%g (default %g) on %s",
		                 k ? ", " : "knobs: ", ctl->name, (double)ctl->min, (double)ctl->max,
		                 (double)ctl->def, port);
		if (n < 0)
			break;
		at += (size_t)n;
	}
	lv2_log_note(&self->logger, "cwrnn: %s model %s (%s)\n", what, slot->path, knobs);
}

int
cw_slot_fits(cw_plugin *self, const cw_slot *slot)
{
	int instrument = slot->mode == CW_MODE_INSTRUMENT;
	if (instrument == (self->kind == CW_PLUGIN_INSTRUMENT))
		return 1;
	lv2_log_error(&self->logger, "cwrnn: model %s is %s and cannot play in the %s, keeping the "
	              "current model\n", slot->path,
	              instrument ? "an instrument" : "an effect or generator",
	              self->kind == CW_PLUGIN_INSTRUMENT ? "instrument" : "effect");
	return 0;
}

static LV2_Worker_Status
work(LV2_Handle handle, LV2_Worker_Respond_Function respond, LV2_Worker_Respond_Handle rh,
     uint32_t size, const void *data)
{
	cw_plugin *self = handle;
	uint32_t type;
	if (size < sizeof type)
		return LV2_WORKER_ERR_UNKNOWN;
	memcpy(&type, data, sizeof type);

	if (type == CW_MSG_FREE && size == sizeof(cw_msg_slot)) {
		cw_msg_slot msg;
		memcpy(&msg, data, sizeof msg);
		cw_slot_free(msg.slot);
		return LV2_WORKER_SUCCESS;
	}
	if ((type != CW_MSG_LOAD && type != CW_MSG_TOO_LONG) || size <= offsetof(cw_msg_load, path) ||
	    size > sizeof(cw_msg_load))
		return LV2_WORKER_ERR_UNKNOWN;

	char path[CW_MAX_PATH], err[512];
	size_t len = size - offsetof(cw_msg_load, path);
	memcpy(path, (const char *)data + offsetof(cw_msg_load, path), len);
	path[len - 1] = '\0';
	if (type == CW_MSG_TOO_LONG) {
		lv2_log_error(&self->logger, "cwrnn: cannot load model %s...: the path is longer than %d "
		              "bytes (keeping the current model)\n", path, CW_MAX_PATH - 1);
		return LV2_WORKER_SUCCESS;
	}
	cw_slot *slot = cw_slot_load(path, self->slot_voices, err, sizeof err);
	if (!slot) {
		lv2_log_error(&self->logger, "cwrnn: cannot load model %s: %s (keeping the current model)\n",
		              path, err);
		return LV2_WORKER_ERR_UNKNOWN;
	}
	if (!cw_slot_fits(self, slot)) {
		cw_slot_free(slot);
		return LV2_WORKER_SUCCESS;
	}
	cw_log_model(self, "loaded", slot);
	cw_msg_slot msg = { CW_MSG_LOADED, slot };
	if (respond(rh, sizeof msg, &msg) != LV2_WORKER_SUCCESS) {
		cw_slot_free(slot);
		return LV2_WORKER_ERR_NO_SPACE;
	}
	return LV2_WORKER_SUCCESS;
}

static LV2_Worker_Status
work_response(LV2_Handle handle, uint32_t size, const void *data)
{
	cw_plugin *self = handle;
	cw_msg_slot msg;
	if (size != sizeof msg)
		return LV2_WORKER_ERR_UNKNOWN;
	memcpy(&msg, data, sizeof msg);
	if (msg.type != CW_MSG_LOADED)
		return LV2_WORKER_ERR_UNKNOWN;
	cw_adopt_user(self, msg.slot);
	return LV2_WORKER_SUCCESS;
}

const LV2_Worker_Interface cw_worker_interface = { work, work_response, NULL };
