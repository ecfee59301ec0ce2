-- ardour7-lua, step 1 of tests/plugin/ardour_test.sh: new session with one
-- mono track, the cwrnn plugin inserted by URI, one control set by parameter
-- index, and a take recorded from the Dummy backend (replaced by the test
-- audio before step 2, as Ardour 7 has no headless import).
dofile(os.getenv("CW_ARDOUR_LUA") .. "/ardour_record.lua")
local dir, name = os.getenv("SESS_DIR"), os.getenv("SESS_NAME")
local uri = os.getenv("PLUGIN_URI")
local pidx = tonumber(os.getenv("PARAM_INDEX"))
local pval = tonumber(os.getenv("PARAM_VALUE"))

assert(AudioEngine:set_backend("None (Dummy)", "", ""), "no Dummy backend")
local s = create_session(dir, name, 48000)
assert(s, "create_session failed")
local tracks = s:new_audio_track(1, 1, nil, 1, "T", ARDOUR.PresentationInfo.max_order,
                                 ARDOUR.TrackMode.Normal, true)
local track
for t in tracks:iter() do track = t end

local p = ARDOUR.LuaAPI.new_plugin(s, uri, ARDOUR.PluginType.LV2, "")
assert(not p:isnil(), "LV2 plugin not found: " .. uri)
assert(track:add_processor_by_index(p, 0, nil, true) == 0, "add_processor failed")
assert(ARDOUR.LuaAPI.set_processor_param(p, pidx, pval), "set_processor_param failed")
print("PARAM_SET", pidx, ARDOUR.LuaAPI.get_processor_param(p, pidx, true))

record_take(s, track, 2)
for r in track:playlist():region_list():iter() do
  print("TAKE", r:source(0):to_filesource():path(), r:length():samples())
end
s:save_state("", false, false, false, false, false)
close_session()
quit()
