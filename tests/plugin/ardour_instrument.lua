-- ardour7-lua, step 1 of tests/plugin/ardour_instrument_test.sh: a new
-- session with a MIDI track "T" playing the cwrnn instrument (inserted by
-- URI when the track is made), fed by a second MIDI track whose "cwrnn test
-- chord" processor (ardour_chord.lua) plays a C major chord; "T" records
-- 3 s of it, and the recorded region's notes are set to exactly one chord:
-- C4 E4 G4 at velocity 100 from the region's start for two beats (1 s).
dofile(os.getenv("CW_ARDOUR_LUA") .. "/ardour_record.lua")
local dir, name = os.getenv("SESS_DIR"), os.getenv("SESS_NAME")
local uri = os.getenv("PLUGIN_URI")

assert(AudioEngine:set_backend("None (Dummy)", "", ""), "no Dummy backend")
local s = create_session(dir, name, 48000)
assert(s, "create_session failed")
local midi1 = ARDOUR.ChanCount(ARDOUR.DataType("midi"), 1)
local order, normal = ARDOUR.PresentationInfo.max_order, ARDOUR.TrackMode.Normal

local player
for t in s:new_midi_track(midi1, midi1, false, ARDOUR.PluginInfo(), nil, nil, 1, "chord", order,
                          normal, true):iter() do player = t end
local chord = ARDOUR.LuaAPI.new_luaproc(s, "cwrnn test chord")
assert(not chord:isnil(), "the chord processor (ardour_chord.lua) was not found")
assert(player:add_processor_by_index(chord, 0, nil, true) == 0, "add chord processor failed")

local info = ARDOUR.LuaAPI.new_plugin_info(uri, ARDOUR.PluginType.LV2)
assert(not info:isnil(), "LV2 instrument not found: " .. uri)
local track
for t in s:new_midi_track(midi1, ARDOUR.ChanCount(ARDOUR.DataType("audio"), 2), true, info, nil,
                          nil, 1, "T", order, normal, false):iter() do track = t end
assert(track:nth_plugin(0):name() ~= "", "the instrument is not on the track")
print("INSTRUMENT", track:nth_plugin(0):name())
track:input():disconnect_all(nil)
assert(player:output():midi(0):connect(track:input():midi(0):name()) == 0, "connect failed")

record_take(s, track, 3)

local region
for r in track:playlist():region_list():iter() do region = r:to_midiregion() end
assert(region and not region:isnil(), "no MIDI region recorded")
local model = region:model()
local edit = model:new_note_diff_command("one chord")
for n in ARDOUR.LuaAPI.note_list(model):iter() do edit:remove(n) end
for _, note in ipairs({ 60, 64, 67 }) do
	edit:add(ARDOUR.LuaAPI.new_noteptr(1, Temporal.Beats(0, 0), Temporal.Beats(2, 0), note, 100))
end
model:apply_command(s, edit)
for n in ARDOUR.LuaAPI.note_list(model):iter() do
	print("NOTE", n:note(), n:velocity(), n:time():str(), n:length():str())
end
print("REGION", region:name(), region:length():samples())
s:save_state("", false, false, false, false, false)
close_session()
quit()
