ardour { ["type"] = "dsp", name = "cwrnn test chord", category = "Utility", license = "MIT",
	author = "cwrnn", description = [[tests/plugin/ardour_instrument_test.sh: sends C4 E4 G4
(MIDI 60 64 67) at velocity 100, on for 1.5 s of every 2 s, to be recorded into a MIDI region.]] }

-- Ardour 7 cannot import a MIDI file headless, nor make a MIDI region from
-- Lua: a MIDI track records what this plays (the script is copied into
-- $HOME/.config/ardour7/scripts for the test).

function dsp_ioconfig ()
	return { { midi_in = 0, midi_out = 1, audio_in = 0, audio_out = 0 }, }
end

local pos, rate = 0, 48000

function dsp_init (sr)
	rate = sr
end

function dsp_run (_, _, n_samples)
	local period, off = 2 * rate, 1.5 * rate
	local m = 1
	for t = 1, n_samples do
		local k = (pos + t - 1) % period
		if k == 0 or k == off then
			for _, note in ipairs ({ 60, 64, 67 }) do
				midiout[m] = { time = t, data = { k == 0 and 0x90 or 0x80, note, 100 } }
				m = m + 1
			end
		end
	end
	pos = pos + n_samples
end
