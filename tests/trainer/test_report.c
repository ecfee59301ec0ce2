/* Report and plot: the numbers land in the JSON (non-finite ones as null),
 * the SVG has its parts, and names are escaped. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "suites.h"

static char dir[64], path[256], msg[512];

static void
setup(void)
{
	ck_assert_ptr_nonnull(make_temp_dir(dir, sizeof dir));
}

static void
teardown(void)
{
	cleanup_dir(dir);
}

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
	snprintf(path, sizeof path, "%s/r.json", dir);
	ck_assert_int_eq(report_write_json(path, f.t, &o, &f.ds, msg, sizeof msg), 0);
	const char *j = slurp(path);
	ck_assert_ptr_nonnull(strstr(j, "\"task\": \"transform\""));
	ck_assert_ptr_nonnull(strstr(j, "\"stopped\": \"epochs\""));
	ck_assert_ptr_nonnull(strstr(j, "\"epochs\": 3.5"));
	ck_assert_ptr_nonnull(strstr(j, "\"train_loss\": null, \"val_esr\": null"));
	ck_assert_ptr_nonnull(strstr(j, "\"input\": \"dry \\\"take 2\\\".wav\""));
	ck_assert_ptr_nonnull(strstr(j, "\"latency_samples\": 0"));
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
	snprintf(path, sizeof path, "%s/p.svg", dir);
	ck_assert_int_eq(report_write_svg(path, f.t, &o, msg, sizeof msg), 0);
	const char *s = slurp(path);
	ck_assert_ptr_nonnull(strstr(s, "<svg xmlns="));
	ck_assert_ptr_nonnull(strstr(s, "fuzz &lt;&amp;&gt; &apos;bright&apos;"));
	ck_assert_ptr_nonnull(strstr(s, ">epoch</text>"));
	ck_assert_ptr_nonnull(strstr(s, "validation ESR"));
	ck_assert_ptr_nonnull(strstr(s, "best validation ESR"));
	const char *first = strstr(s, "<polyline");
	ck_assert_ptr_nonnull(first);
	ck_assert_ptr_nonnull(strstr(first + 1, "<polyline"));
	ck_assert_ptr_nonnull(strstr(s, "</svg>"));
	assert_well_formed(s);
	fixture_free(&f);
}
END_TEST

Suite *
report_suite(void)
{
	Suite *s = suite_create("report");
	TCase *tc = tcase_create("files");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, json_holds_the_run);
	tcase_add_test(tc, svg_has_axes_curves_and_escaped_names);
	suite_add_tcase(s, tc);
	return s;
}
