/* Command-line plumbing (see cli.h). */
#include "cli.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

int
parse_long(const char *opt, const char *s, long min, long max, long *out, char *msg,
           size_t msg_len)
{
	char *end = NULL;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0' || errno == ERANGE)
		return cw_fail(msg, msg_len, "%s: '%s' is not a whole number (expected %ld..%ld)", opt, s,
		               min, max);
	if (v < min || v > max)
		return cw_fail(msg, msg_len, "%s: %ld is out of range (expected %ld..%ld)", opt, v, min,
		               max);
	*out = v;
	return 0;
}

int
parse_double(const char *opt, const char *s, double min, double max, double *out, char *msg,
             size_t msg_len)
{
	char *end = NULL;
	errno = 0;
	double v = strtod(s, &end);
	if (*s == '\0' || *end != '\0' || errno == ERANGE || !isfinite(v))
		return cw_fail(msg, msg_len, "%s: '%s' is not a number (expected %g..%g)", opt, s, min,
		               max);
	if (v < min || v > max)
		return cw_fail(msg, msg_len, "%s: %g is out of range (expected %g..%g)", opt, v, min, max);
	*out = v;
	return 0;
}

/* The option as the user wrote it, without any "=value". */
static void
option_name(const char *word, int short_opt, char *name, size_t len)
{
	if (short_opt) {
		snprintf(name, len, "-%c", short_opt);
		return;
	}
	const char *eq = strchr(word, '=');
	int n = eq ? (int)(eq - word) : (int)strlen(word);
	snprintf(name, len, "%.*s", n, word);
}

int
cli_next(int argc, char **argv, const char *shortopts, const struct option *longopts, int *at,
         const char **arg, char *msg, size_t msg_len)
{
	/* "+": stop at the first non-option instead of reordering argv (the
	 * command line is echoed into the model's summary); ":": report a
	 * missing value as ':' and print nothing. */
	char spec[64];
	snprintf(spec, sizeof spec, "+:%s", shortopts);
	if (*at == 0)
		optind = 0;  /* glibc: a full restart, so the parser can run again */
	opterr = 0;
	int c = getopt_long(argc, argv, spec, longopts, NULL);
	*at = optind;
	*arg = optarg;
	if (c == -1) {
		if (optind < argc)
			return cw_fail(msg, msg_len, "unexpected argument '%s' (see --help)", argv[optind]),
			       -2;
		return -1;
	}
	if (c != '?' && c != ':')
		return c;
	/* The word the option came from names it when it is long (a missing
	 * value ends its word, so optind has moved past it); a short one, perhaps
	 * in a cluster (-qx), is named by optopt. An unknown long option leaves
	 * optopt 0; a known one given a value it does not take sets its id. */
	const char *word = argv[optind - 1];
	int is_long = strncmp(word, "--", 2) == 0 && (c == ':' || optopt == 0 || optopt >= 128 ||
	                                              strchr(word, '='));
	char name[64];
	option_name(word, is_long ? 0 : optopt, name, sizeof name);
	if (c == ':')
		cw_fail(msg, msg_len, "%s needs a value (see --help)", name);
	else if (is_long && optopt != 0)
		cw_fail(msg, msg_len, "%s takes no value (see --help)", name);
	else
		cw_fail(msg, msg_len, "unknown option '%s' (see --help)", name);
	return -2;
}

void
cli_verror(const char *program, const char *fmt, va_list ap)
{
	fprintf(stderr, "%s: ", program);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void
cli_error(const char *program, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	cli_verror(program, fmt, ap);
	va_end(ap);
}
