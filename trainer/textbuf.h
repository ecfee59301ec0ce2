/* A growing text buffer written with printf formats (JSON reports, SVG
 * plots). Out of memory sticks in `failed` and is reported once, when the
 * text is used, so writers need not check every call. */
#ifndef TRAINER_TEXTBUF_H
#define TRAINER_TEXTBUF_H

#include <stdarg.h>
#include <stddef.h>

typedef struct {
	char *s;      /* NUL-terminated once anything was added; owned */
	size_t len, cap;
	int failed;
} textbuf;

void textbuf_add(textbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void textbuf_vadd(textbuf *b, const char *fmt, va_list ap);
void textbuf_free(textbuf *b);

#endif
