-- ardour7-lua, step 2 of tests/plugin/ardour_test.sh and
-- ardour_instrument_test.sh: reload the session (the plugin comes back from
-- the saved session), read the control PARAM_INDEX back (when set) and
-- bounce the track's last region through the track's plugin.
local dir, name = os.getenv("SESS_DIR"), os.getenv("SESS_NAME")
local pidx = tonumber(os.getenv("PARAM_INDEX"))

AudioEngine:set_backend("None (Dummy)", "", "")
local s = load_session(dir, name)
assert(s, "load_session failed")
local track = s:route_by_name("T"):to_track()
local p = track:nth_plugin(0)
assert(not p:isnil(), "plugin missing after reload")
print("PLUGIN", p:name(), "PARAM_READBACK", pidx,
      pidx and ARDOUR.LuaAPI.get_processor_param(p, pidx, true))
local r
for x in track:playlist():region_list():iter() do r = x end
local b = track:bounce_range(r:position():samples(), (r:position() + r:length()):samples(),
                             ARDOUR.InterThreadInfo(), track:main_outs(), false, "bounced")
assert(not b:isnil(), "bounce failed")
print("BOUNCED", b:source(0):to_filesource():path(), b:length():samples())
s:save_state("", false, false, false, false, false)
close_session()
quit()
