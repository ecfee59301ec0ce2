/* Command-line plumbing shared by cwrnn-train and cwrnn-render: strict
 * number parsing, getopt_long's errors as one line, and the one place a
 * program prints its fatal error. Parsing never prints. */
#ifndef TRAINER_CLI_H
#define TRAINER_CLI_H

#include <getopt.h>
#include <stdarg.h>
#include <stddef.h>

/* The whole string must be a number within [min, max]. Return 0 or -1 with
 * msg naming the option. */
int parse_long(const char *opt, const char *s, long min, long max, long *out, char *msg,
               size_t msg_len);
int parse_double(const char *opt, const char *s, double min, double max, double *out, char *msg,
                 size_t msg_len);

/* Runs getopt_long over argv with the given options ("+:" semantics: no
 * reordering of argv, no messages of its own); call with *at = 0 first. It
 * returns the next option's val with its argument in *arg, -1 at the end
 * (then every argument was an option), or -2 with one line in msg: an
 * unknown option, one without its value, or an argument that is not an
 * option. Both --name VALUE and --name=VALUE are accepted. */
int cli_next(int argc, char **argv, const char *shortopts, const struct option *longopts,
             int *at, const char **arg, char *msg, size_t msg_len);

/* Prints "PROGRAM: message" and a newline on stderr (the programs' fatal()
 * and warnings). */
void cli_verror(const char *program, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
void cli_error(const char *program, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
