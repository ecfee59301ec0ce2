/* State: the path of a user-loaded model, saved through state:mapPath.
 * Bundled models are selected by the model control port, which the host
 * saves itself, so nothing is stored for them: a state (or preset) without a
 * model path returns to the bundled model its port selects. Restore loads at
 * once when the plugin is not running or no worker is offered (eg-sampler's
 * rule), otherwise through the worker. */
#include "plugin.h"

#include <stdlib.h>
#include <string.h>

#include <lv2/core/lv2_util.h>

static void
free_path(const LV2_Feature *const *features, char *path)
{
	const LV2_State_Free_Path *fp = lv2_features_data(features, LV2_STATE__freePath);
	if (fp)
		fp->free_path(fp->handle, path);
	else
		free(path);
}

static LV2_State_Status
save(LV2_Handle handle, LV2_State_Store_Function store, LV2_State_Handle sh, uint32_t flags,
     const LV2_Feature *const *features)
{
	cw_plugin *self = handle;
	(void)flags;
	if (!self->map || !self->user || self->cur != self->user)
		return LV2_STATE_SUCCESS;
	const LV2_State_Map_Path *map_path = lv2_features_data(features, LV2_STATE__mapPath);
	if (!map_path) {
		lv2_log_error(&self->logger, "cwrnn: host offers no state:mapPath, model path not saved\n");
		return LV2_STATE_ERR_NO_FEATURE;
	}
	char *apath = map_path->abstract_path(map_path->handle, self->user->path);
	if (!apath)
		return LV2_STATE_ERR_UNKNOWN;
	LV2_State_Status st = store(sh, self->uris.cw_model, apath, strlen(apath) + 1,
	                            self->uris.atom_Path, LV2_STATE_IS_POD | LV2_STATE_IS_PORTABLE);
	free_path(features, apath);
	return st;
}

/* Copies a saved model path into out (CW_MAX_PATH bytes, NUL-terminated).
 * Hosts differ on the size of a string value: lilv and jalv count the
 * terminating NUL, Carla and REAPER hand over strlen() bytes and no NUL may
 * follow them, so only `size` bytes are read. Returns 0, or -1 after logging
 * why the value is not a path. */
static int
saved_path(cw_plugin *self, const char *value, size_t size, uint32_t type, char *out)
{
	if (type != self->uris.atom_Path) {
		lv2_log_error(&self->logger, "cwrnn: saved model path has the wrong type\n");
		return -1;
	}
	size_t len = size && value[size - 1] == '\0' ? size - 1 : size;
	const char *why = len == 0                           ? "is empty"
	                  : len >= CW_MAX_PATH               ? "is too long"
	                  : memchr(value, '\0', len) != NULL ? "has a NUL byte inside"
	                                                     : NULL;
	if (why) {
		lv2_log_error(&self->logger, "cwrnn: saved model path %s (%zu bytes)\n", why, size);
		return -1;
	}
	memcpy(out, value, len);
	out[len] = '\0';
	return 0;
}

static LV2_State_Status
restore(LV2_Handle handle, LV2_State_Retrieve_Function retrieve, LV2_State_Handle sh,
        uint32_t flags, const LV2_Feature *const *features)
{
	cw_plugin *self = handle;
	(void)flags;
	if (!self->map)
		return LV2_STATE_ERR_NO_FEATURE;
	size_t size = 0;
	uint32_t type = 0, vflags = 0;
	const char *value = retrieve(sh, self->uris.cw_model, &size, &type, &vflags);
	if (!value) {
		/* no user model saved: the bundled model of the state's model port
		 * plays, even if the port keeps its value */
		self->follow_model_port = 1;
		return LV2_STATE_SUCCESS;
	}
	char saved[CW_MAX_PATH];
	if (saved_path(self, value, size, type, saved) != 0)
		return LV2_STATE_ERR_BAD_TYPE;
	self->follow_model_port = 0;
	const LV2_State_Map_Path *map_path = lv2_features_data(features, LV2_STATE__mapPath);
	char *path = map_path ? map_path->absolute_path(map_path->handle, saved) : strdup(saved);
	if (!path)
		return LV2_STATE_ERR_UNKNOWN;

	LV2_State_Status st = LV2_STATE_SUCCESS;
	LV2_Worker_Schedule *schedule = lv2_features_data(features, LV2_WORKER__schedule);
	if (self->activated && schedule) {
		if (cw_schedule_load(self, schedule, path, (uint32_t)strlen(path) + 1) != 0) {
			lv2_log_error(&self->logger, "cwrnn: cannot schedule loading %s\n", path);
			st = LV2_STATE_ERR_UNKNOWN;
		}
	} else {
		char err[512];
		cw_slot *slot = cw_slot_load(path, self->slot_voices, err, sizeof err);
		if (slot && !cw_slot_fits(self, slot)) {
			cw_slot_free(slot);
			st = LV2_STATE_ERR_UNKNOWN;
		} else if (slot) {
			cw_install_now(self, slot);
			cw_log_model(self, "restored", slot);
		} else {
			lv2_log_error(&self->logger,
			              "cwrnn: cannot restore model %s: %s (keeping the current model)\n",
			              path, err);
			st = LV2_STATE_ERR_UNKNOWN;
		}
	}
	if (map_path)
		free_path(features, path);
	else
		free(path);
	return st;
}

const LV2_State_Interface cw_state_interface = { save, restore };
