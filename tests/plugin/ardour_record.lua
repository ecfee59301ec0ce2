-- Shared by ardour_create.lua and ardour_instrument.lua (loaded with dofile
-- from $CW_ARDOUR_LUA): records `seconds` of what reaches track's input
-- into a new take on the Dummy backend.
function record_take(s, track, seconds)
	track:rec_enable_control():set_value(1, PBD.GroupControlDisposition.NoGroup)
	s:maybe_enable_record(false)
	s:request_roll(ARDOUR.TransportRequestSource.TRS_UI)
	ARDOUR.LuaAPI.usleep(math.floor(seconds * 1000000))
	s:request_stop(false, false, ARDOUR.TransportRequestSource.TRS_UI)
	ARDOUR.LuaAPI.usleep(1000000)
	track:rec_enable_control():set_value(0, PBD.GroupControlDisposition.NoGroup)
	s:disable_record(false, false)
end
