/* SPDX-License-Identifier: MIT */
/* The three states of the fragment, byte for byte, and every fragment the
 * project can write validated against the schema in the repository. */
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

static void assert_fragment(struct probe_result r, const char *expected)
{
	char *xml = pm_fragment_write(&r, PM_DIALECT_SEED);

	assert_non_null(xml);
	assert_string_equal(xml, expected);
	free(xml);
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

static void hybrid_has_no_element_in_the_seed_dialect(void **state)
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

static xmlRelaxNGPtr load_schema(void)
{
	xmlRelaxNGParserCtxtPtr p =
		xmlRelaxNGNewParserCtxt(SCHEMA_DIR "/power_management.rng");
	xmlRelaxNGPtr schema;

	assert_non_null(p);
	schema = xmlRelaxNGParse(p);
	xmlRelaxNGFreeParserCtxt(p);
	assert_non_null(schema);
	return schema;
}

static void every_fragment_validates(void **state)
{
	static const enum pm_answer answers[] = { PM_UNKNOWN, PM_NO, PM_YES };
	xmlRelaxNGPtr schema = load_schema();
	int checked = 0;

	(void)state;
	for (size_t a = 0; a < 3; a++)
		for (size_t b = 0; b < 3; b++)
			for (size_t c = 0; c < 3; c++) {
				struct probe_result r = result(
					true, answers[a], answers[b], answers[c]);
				char *xml = pm_fragment_write(&r, PM_DIALECT_SEED);

				assert_non_null(xml);
				assert_int_equal(validate(schema, xml), 0);
				free(xml);
				checked++;
			}
	assert_int_equal(checked, 27);
	xmlRelaxNGFree(schema);
}

static void schema_rejects_what_the_seed_does_not_define(void **state)
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
		cmocka_unit_test(hybrid_has_no_element_in_the_seed_dialect),
		cmocka_unit_test(nothing_supported_is_an_empty_element),
		cmocka_unit_test(failed_query_is_no_element),
		cmocka_unit_test(every_fragment_validates),
		cmocka_unit_test(schema_rejects_what_the_seed_does_not_define),
	};
	int rc;

	/* The negative cases would print validator errors: expected ones. */
	xmlSetGenericErrorFunc(NULL, quiet);
	rc = cmocka_run_group_tests_name("fragment", tests, NULL, NULL);
	xmlCleanupParser();
	return rc;
}
