# Sourced by the by-hand Ardour tests: an empty work directory ($OUT, or $1
# when unset) in $work, the bundle on LV2_PATH, and what the ardour7-lua
# steps read (CW_ARDOUR_LUA for ardour_record.lua, SESS_NAME). Needs here
# and build set.
work=${OUT:-$1}
rm -rf "$work"
mkdir -p "$work" "$build/lv2"
ln -sfn ../cwrnn.lv2 "$build/lv2/cwrnn.lv2"
export CW_ARDOUR_LUA="$here" LV2_PATH="$build/lv2:/usr/lib/lv2" SESS_NAME=cwrnn
