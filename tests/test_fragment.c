/* SPDX-License-Identifier: MIT */
/* The three states of the fragment, byte for byte, in both dialects, and
 * every fragment the project can write validated against its dialect's
 * schema in the repository. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <libxml/parser.h>
#include <libxml/relaxng.h>

#include "hostpm.h"

#ifndef SCHEMA_DIR
#define SCHEMA_DIR "probe"
#endif

static struct probe_result result(bool valid, enum pm_answer s3,
				  enum pm_answer s4, enum pm_answer hybrid)
{
	struct probe_result r;

	memset(&r, 0, sizeof(r));
	r.valid = valid;
	r.s3 = s3;
	r.s4 = s4;
	r.hybrid = hybrid;
	return r;
}

static void assert_dialect_fragment(struct probe_result r, enum pm_dialect d,
				    const char *expected)
{
	char *xml = pm_fragment_write(&r, d);

	assert_non_null(xml);
	assert_string_equal(xml, expected);
	free(xml);
}

static void assert_fragment(struct probe_result r, const char *expected)
{
	assert_dialect_fragment(r, PM_DIALECT_LIBVIRT_2011, expected);
}

static void both_features_exact_bytes(void **state)
{
	(void)state;
	assert_fragment(result(true, PM_YES, PM_YES, PM_NO),
			"<power_management>\n"
			"  <S3/>\n"
			"  <S4/>\n"
			"</power_management>\n");
}

static void one_feature_exact_bytes(void **state)
{
	(void)state;
	assert_fragment(result(true, PM_YES, PM_NO, PM_NO),
			"<power_management>\n  <S3/>\n</power_management>\n");
	assert_fragment(result(true, PM_NO, PM_YES, PM_UNKNOWN),
			"<power_management>\n  <S4/>\n</power_management>\n");
}

static void hybrid_has_no_element_in_the_2011_dialect(void **state)
{
	(void)state;
	assert_fragment(result(true, PM_NO, PM_YES, PM_YES),
			"<power_management>\n  <S4/>\n</power_management>\n");
}

static void nothing_supported_is_an_empty_element(void **state)
{
	(void)state;
	assert_fragment(result(true, PM_NO, PM_NO, PM_NO),
			"<power_management/>\n");
}

static void failed_query_is_no_element(void **state)
{
	struct probe_result r = result(false, PM_UNKNOWN, PM_UNKNOWN,
				       PM_UNKNOWN);

	(void)state;
	/* Even with stale capabilities left in it, nothing is written. */
	r.s3 = PM_YES;
	assert_fragment(r, "");
}

static void libvirt_dialect_exact_bytes(void **state)
{
	(void)state;
	assert_dialect_fragment(result(true, PM_YES, PM_YES, PM_YES),
				PM_DIALECT_LIBVIRT,
				"<power_management>\n"
				"  <suspend_mem/>\n"
				"  <suspend_disk/>\n"
				"  <suspend_hybrid/>\n"
				"</power_management>\n");
	assert_dialect_fragment(result(true, PM_NO, PM_YES, PM_UNKNOWN),
				PM_DIALECT_LIBVIRT,
				"<power_management>\n"
				"  <suspend_disk/>\n"
				"</power_management>\n");
}

static void libvirt_dialect_keeps_the_three_states(void **state)
{
	struct probe_result failed = result(false, PM_YES, PM_YES, PM_YES);

	(void)state;
	/* libvirt writes an empty element when its probe fails; hostpm
	 * keeps "nothing supported" and "could not tell" apart. */
	assert_dialect_fragment(result(true, PM_NO, PM_NO, PM_NO),
				PM_DIALECT_LIBVIRT, "<power_management/>\n");
	assert_dialect_fragment(failed, PM_DIALECT_LIBVIRT, "");
}

static void dialect_names_parse(void **state)
{
	enum pm_dialect d = PM_DIALECT_LIBVIRT;

	(void)state;
	assert_int_equal(pm_dialect_parse("libvirt-2011", &d), 0);
	assert_int_equal(d, PM_DIALECT_LIBVIRT_2011);
	assert_string_equal(pm_dialect_name(d), "libvirt-2011");
	assert_int_equal(pm_dialect_parse("libvirt", &d), 0);
	assert_int_equal(d, PM_DIALECT_LIBVIRT);
	assert_string_equal(pm_dialect_name(d), "libvirt");
	/* The alias: the dialect's first name. */
	assert_int_equal(pm_dialect_parse("seed", &d), 0);
	assert_int_equal(d, PM_DIALECT_LIBVIRT_2011);
	assert_int_equal(pm_dialect_parse("libvirt", &d), 0);
	assert_int_equal(pm_dialect_parse("Libvirt", &d), -1);
	assert_int_equal(pm_dialect_parse("", &d), -1);
	assert_int_equal(d, PM_DIALECT_LIBVIRT);
}

static int validate(xmlRelaxNGPtr schema, const char *xml)
{
	xmlDocPtr doc = xmlReadMemory(xml, (int)strlen(xml), "fragment.xml",
				      NULL, XML_PARSE_NONET);
	xmlRelaxNGValidCtxtPtr ctx;
	int rc;

	if (!doc)
		return -1;
	ctx = xmlRelaxNGNewValidCtxt(schema);
	assert_non_null(ctx);
	rc = xmlRelaxNGValidateDoc(ctx, doc);
	xmlRelaxNGFreeValidCtxt(ctx);
	xmlFreeDoc(doc);
	return rc;
}

static xmlRelaxNGPtr load_schema_file(const char *path)
{
	xmlRelaxNGParserCtxtPtr p = xmlRelaxNGNewParserCtxt(path);
	xmlRelaxNGPtr schema;

	assert_non_null(p);
	schema = xmlRelaxNGParse(p);
	xmlRelaxNGFreeParserCtxt(p);
	assert_non_null(schema);
	return schema;
}

static xmlRelaxNGPtr load_schema(void)
{
	return load_schema_file(SCHEMA_DIR "/power_management.rng");
}

static xmlRelaxNGPtr load_libvirt_schema(void)
{
	return load_schema_file(SCHEMA_DIR "/power_management-libvirt.rng");
}

/* Every valid result the sources can give: 3 answers for S3, S4, hybrid. */
#define NRESULTS 27
static void every_valid_result(struct probe_result out[NRESULTS])
{
	static const enum pm_answer answers[] = { PM_UNKNOWN, PM_NO, PM_YES };

	for (size_t i = 0; i < NRESULTS; i++)
		out[i] = result(true, answers[i / 9], answers[i / 3 % 3],
				answers[i % 3]);
}

static void every_fragment_validates(void **state)
{
	struct probe_result all[NRESULTS];
	xmlRelaxNGPtr schema = load_schema();

	(void)state;
	every_valid_result(all);
	for (size_t i = 0; i < NRESULTS; i++) {
		char *xml = pm_fragment_write(&all[i], PM_DIALECT_LIBVIRT_2011);

		assert_non_null(xml);
		assert_int_equal(validate(schema, xml), 0);
		free(xml);
	}
	xmlRelaxNGFree(schema);
}

static void schema_rejects_what_the_2011_dialect_does_not_define(void **state)
{
	xmlRelaxNGPtr schema = load_schema();

	(void)state;
	/* The validator can fail: S4 before S3, unknown states, text. */
	assert_int_not_equal(validate(schema, "<power_management><S4/><S3/></power_management>"), 0);
	assert_int_not_equal(validate(schema, "<power_management><S5/></power_management>"), 0);
	assert_int_not_equal(validate(schema, "<power_management><S3>x</S3></power_management>"), 0);
	assert_int_equal(validate(schema, "<power_management><S3/><S4/></power_management>"), 0);
	xmlRelaxNGFree(schema);
}

static void every_libvirt_fragment_validates_and_not_as_2011(void **state)
{
	struct probe_result all[NRESULTS];
	xmlRelaxNGPtr libvirt = load_libvirt_schema(), of_2011 = load_schema();

	(void)state;
	every_valid_result(all);
	for (size_t i = 0; i < NRESULTS; i++) {
		const struct probe_result *r = &all[i];
		char *xml = pm_fragment_write(r, PM_DIALECT_LIBVIRT);
		bool any = r->s3 == PM_YES || r->s4 == PM_YES ||
			   r->hybrid == PM_YES;

		assert_non_null(xml);
		assert_int_equal(validate(libvirt, xml), 0);
		/* Only the empty element is common to both. */
		if (any)
			assert_int_not_equal(validate(of_2011, xml), 0);
		else
			assert_int_equal(validate(of_2011, xml), 0);
		free(xml);
	}
	xmlRelaxNGFree(of_2011);
	xmlRelaxNGFree(libvirt);
}

static void fragments_of_2011_do_not_validate_as_libvirt(void **state)
{
	xmlRelaxNGPtr libvirt = load_libvirt_schema();
	struct probe_result r = result(true, PM_YES, PM_YES, PM_YES);
	char *xml = pm_fragment_write(&r, PM_DIALECT_LIBVIRT_2011);

	(void)state;
	assert_non_null(xml);
	assert_int_not_equal(validate(libvirt, xml), 0);
	free(xml);
	xmlRelaxNGFree(libvirt);
}

static void libvirt_schema_is_libvirts_define(void **state)
{
	xmlRelaxNGPtr schema = load_libvirt_schema();

	(void)state;
	/* libvirt's define interleaves: any order, each at most once. */
	assert_int_equal(validate(schema, "<power_management><suspend_hybrid/><suspend_mem/></power_management>"), 0);
	assert_int_equal(validate(schema, "<power_management/>"), 0);
	assert_int_not_equal(validate(schema, "<power_management><suspend_mem/><suspend_mem/></power_management>"), 0);
	assert_int_not_equal(validate(schema, "<power_management><suspend_mem>x</suspend_mem></power_management>"), 0);
	assert_int_not_equal(validate(schema, "<power_management><S3/></power_management>"), 0);
	xmlRelaxNGFree(schema);
}

static void quiet(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(both_features_exact_bytes),
		cmocka_unit_test(one_feature_exact_bytes),
		cmocka_unit_test(hybrid_has_no_element_in_the_2011_dialect),
		cmocka_unit_test(nothing_supported_is_an_empty_element),
		cmocka_unit_test(failed_query_is_no_element),
		cmocka_unit_test(every_fragment_validates),
		cmocka_unit_test(schema_rejects_what_the_2011_dialect_does_not_define),
		cmocka_unit_test(libvirt_dialect_exact_bytes),
		cmocka_unit_test(libvirt_dialect_keeps_the_three_states),
		cmocka_unit_test(dialect_names_parse),
		cmocka_unit_test(every_libvirt_fragment_validates_and_not_as_2011),
		cmocka_unit_test(fragments_of_2011_do_not_validate_as_libvirt),
		cmocka_unit_test(libvirt_schema_is_libvirts_define),
	};
	int rc;

	/* The negative cases would print validator errors: expected ones. */
	xmlSetGenericErrorFunc(NULL, quiet);
	rc = cmocka_run_group_tests_name("fragment", tests, NULL, NULL);
	xmlCleanupParser();
	return rc;
}
