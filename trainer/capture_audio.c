/* The DI phrases of the capture signal (audio/capture_guitar_dry.flac,
 * audio/capture_bass_dry.flac, made by audio/make-audio.sh capture),
 * embedded in the program so that cwrnn-train regenerates the signal
 * bit for bit wherever it runs, installed or not. */
#include "capture.h"

__asm__(".section .rodata\n"
        ".balign 16\n"
        ".hidden capture_guitar_flac\n"
        "capture_guitar_flac:\n"
        ".incbin \"audio/capture_guitar_dry.flac\"\n"
        ".hidden capture_guitar_flac_end\n"
        "capture_guitar_flac_end:\n"
        ".balign 16\n"
        ".hidden capture_bass_flac\n"
        "capture_bass_flac:\n"
        ".incbin \"audio/capture_bass_dry.flac\"\n"
        ".hidden capture_bass_flac_end\n"
        "capture_bass_flac_end:\n"
        ".text\n");

extern const unsigned char capture_guitar_flac[], capture_guitar_flac_end[];
extern const unsigned char capture_bass_flac[], capture_bass_flac_end[];

const unsigned char *
capture_phrase(int bass, size_t *size)
{
	const unsigned char *start = bass ? capture_bass_flac : capture_guitar_flac;
	const unsigned char *end = bass ? capture_bass_flac_end : capture_guitar_flac_end;
	*size = (size_t)(end - start);
	return start;
}
