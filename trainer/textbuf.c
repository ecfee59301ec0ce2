/* A growing text buffer written with printf formats. */
#include "textbuf.h"

#include <stdio.h>
#include <stdlib.h>

void
textbuf_vadd(textbuf *b, const char *fmt, va_list ap)
{
	if (b->failed)
		return;
	for (;;) {
		va_list copy;
		va_copy(copy, ap);
		int n = vsnprintf(b->s ? b->s + b->len : NULL, b->s ? b->cap - b->len : 0, fmt, copy);
		va_end(copy);
		if (n < 0) {
			b->failed = 1;
			return;
		}
		if (b->s && b->len + (size_t)n < b->cap) {
			b->len += (size_t)n;
			return;
		}
		size_t cap = b->cap ? b->cap * 2 : 4096;
		while (cap <= b->len + (size_t)n)
			cap *= 2;
		char *s = realloc(b->s, cap);
		if (!s) {
			b->failed = 1;
			return;
		}
		b->s = s;
		b->cap = cap;
	}
}

void
textbuf_add(textbuf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	textbuf_vadd(b, fmt, ap);
	va_end(ap);
}

void
textbuf_free(textbuf *b)
{
	free(b->s);
	b->s = NULL;
	b->len = b->cap = 0;
}
