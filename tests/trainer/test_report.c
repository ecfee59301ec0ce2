/* Report and plot: the numbers land in the JSON (non-finite ones as null),
 * the SVG has its parts, and names are escaped. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_cases.h"
#include "report.h"
#include "suites.h"

static char msg[512];

static char *
slurp(const char *p)
{
	FILE *f = fopen(p, "rb");
	ck_assert_ptr_nonnull(f);
	static char buf[1 << 16];
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

/* Each of the NULL-terminated needles stands somewhere in text. */
static void
assert_contains(const char *text, const char *const *needles)
{
	for (; *needles; needles++)
		ck_assert_msg(strstr(text, *needles) != NULL, "no \"%s\" in:\n%s", *needles, text);
}

/* Every element closed by its own name, in order (a mismatched pair such as
 * <textbuf ...></text> makes the file unreadable to a browser). */
static void
assert_well_formed(const char *s)
{
	char open[32][16];
	int depth = 0;
	for (const char *p = strchr(s, '<'); p; p = strchr(p + 1, '<')) {
		const char *end = strchr(p, '>');
		ck_assert_ptr_nonnull(end);
		int closing = p[1] == '/', selfclosing = end[-1] == '/';
		const char *name = p + 1 + closing;
		size_t len = strcspn(name, " />");
		ck_assert_uint_lt(len, sizeof open[0]);
		if (closing) {
			ck_assert_int_gt(depth, 0);
			depth--;
			ck_assert_msg(strlen(open[depth]) == len && !strncmp(open[depth], name, len),
			              "<%s> closed by </%.*s>", open[depth], (int)len, name);
		} else if (!selfclosing) {
			ck_assert_int_lt(depth, 32);
			snprintf(open[depth++], sizeof open[0], "%.*s", (int)len, name);
		}
	}
	ck_assert_int_eq(depth, 0);
}

START_TEST(json_holds_the_run)
{
	fixture f;
	fixture_init(&f, 1, 2);
	trainer_run(f.t, NULL, NULL);
	train_point broken = {.epoch = 3.5, .train_loss = NAN, .val_esr = INFINITY};
	trainer_record(f.t, &broken);
	train_options o;
	options_defaults(&o, CWRNN_TASK_TRANSFORM);
	o.input = "dry \"take 2\".wav";
	const char *path = scratch_file("r.json");
	ck_assert_int_eq(report_write_json(path, f.t, &o, &f.ds, msg, sizeof msg), 0);
	const char *j = slurp(path);
	assert_contains(j, (const char *const[]){
		"\"task\": \"transform\"", "\"stopped\": \"epochs\"", "\"epochs\": 3.5",
		"\"train_loss\": null, \"val_esr\": null", "\"input\": \"dry \\\"take 2\\\".wav\"",
		"\"latency_samples\": 0", NULL});
	ck_assert_ptr_null(strstr(j, "nan"));
	ck_assert_ptr_null(strstr(j, "inf"));
	fixture_free(&f);
}
END_TEST

START_TEST(svg_has_axes_curves_and_escaped_names)
{
	fixture f;
	fixture_init(&f, 1, 2);
	trainer_run(f.t, NULL, NULL);
	strcpy(f.t->cfg.name, "fuzz <&> 'bright'");
	train_options o;
	options_defaults(&o, CWRNN_TASK_TRANSFORM);
	const char *path = scratch_file("p.svg");
	ck_assert_int_eq(report_write_svg(path, f.t, &o, msg, sizeof msg), 0);
	const char *s = slurp(path);
	assert_contains(s, (const char *const[]){
		"<svg xmlns=", "fuzz &lt;&amp;&gt; &apos;bright&apos;", ">epoch</text>",
		"validation ESR", "best validation ESR", "</svg>", NULL});
	const char *first = strstr(s, "<polyline");
	ck_assert_ptr_nonnull(first);
	ck_assert_ptr_nonnull(strstr(first + 1, "<polyline"));
	assert_well_formed(s);
	fixture_free(&f);
}
END_TEST

Suite *
report_suite(void)
{
	Suite *s = suite_create("report");
	suite_add_tests(s, scratch_tcase("files"),
	                TESTS(json_holds_the_run, svg_has_axes_curves_and_escaped_names));
	return s;
}
