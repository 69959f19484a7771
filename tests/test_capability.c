/* SPDX-License-Identifier: MIT */
/*
 * The table of capabilities against what it describes: the MIB file's
 * columns and notification, the report's and the text table's names, and
 * the sources that fill each capability in.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "capability.h"
#include "probe_internal.h"
#include "testutil.h"

/* Unit tests run from the top of the tree (tests/run-tests). */
#define MIB_FILE "mibs/HOSTPM-MIB.txt"

static char *read_mib(void)
{
	FILE *f = fopen(MIB_FILE, "r");
	char *text = NULL;
	size_t len = 0;

	if (!f)
		fail_msg("cannot open %s (run from the top of the tree)",
			 MIB_FILE);
	if (getdelim(&text, &len, '\0', f) < 0)
		fail_msg("cannot read %s", MIB_FILE);
	fclose(f);
	return text;
}

/* The definition of name ("NAME OBJECT-TYPE ... ::= { ... }"), or NULL. */
static const char *definition(const char *mib, const char *name,
			      const char *macro, size_t *len)
{
	char head[128];
	const char *at, *end;

	snprintf(head, sizeof(head), "\n%s %s", name, macro);
	at = strstr(mib, head);
	if (!at)
		return NULL;
	at++;
	end = strstr(at, "::=");
	if (!end)
		return NULL;
	end = strchr(end, '}');
	if (!end)
		return NULL;
	*len = (size_t)(end + 1 - at);
	return at;
}

/* N of "::= { hostPmEntry N }" in an object's definition, or 0. */
static unsigned int entry_column(const char *def, size_t len)
{
	char *copy = strndup(def, len);
	const char *assign = strstr(copy, "::=");
	unsigned int col = 0;

	assert_non_null(assign);
	if (sscanf(assign, "::= { hostPmEntry %u }", &col) != 1)
		col = 0;
	free(copy);
	return col;
}

static bool syntax_is_truthvalue(const char *def, size_t len)
{
	char *copy = strndup(def, len);
	const char *syntax = strstr(copy, "SYNTAX");
	char type[64] = "";
	bool truth;

	assert_non_null(syntax);
	truth = sscanf(syntax, "SYNTAX %63s", type) == 1 &&
		!strcmp(type, "TruthValue");
	free(copy);
	return truth;
}

static void each_capability_is_its_mib_column(void **state)
{
	char *mib = read_mib();

	(void)state;
	assert_true(pm_capability_count > 0);
	PM_FOR_EACH_CAPABILITY(c) {
		size_t len;
		const char *def = definition(mib, c->mib_name, "OBJECT-TYPE",
					     &len);

		if (!def)
			fail_msg("%s: no %s OBJECT-TYPE in %s", c->key,
				 c->mib_name, MIB_FILE);
		if (entry_column(def, len) != c->mib_column)
			fail_msg("%s: the table says column %u, %s says %s is "
				 "hostPmEntry %u", c->key, c->mib_column,
				 MIB_FILE, c->mib_name, entry_column(def, len));
		if (!syntax_is_truthvalue(def, len))
			fail_msg("%s: %s is not a TruthValue", c->key,
				 c->mib_name);
		assert_ptr_equal(pm_capability_by_column(c->mib_column), c);
	}
	free(mib);
}

/* The other way round: every TruthValue column but hostPmQueryValid is a
 * capability, so a MIB object cannot be added without its row. */
static void each_truthvalue_column_is_a_capability(void **state)
{
	char *mib = read_mib();
	const char *p = mib;
	unsigned int found = 0;

	(void)state;
	while ((p = strstr(p, " OBJECT-TYPE\n"))) {
		const char *start = p;
		char name[64];
		size_t len;
		const char *def;

		while (start > mib && start[-1] != '\n')
			start--;
		p++;
		if (sscanf(start, "%63s", name) != 1 ||
		    !strcmp(name, "hostPmQueryValid"))
			continue;
		def = definition(mib, name, "OBJECT-TYPE", &len);
		if (!def || !entry_column(def, len) ||
		    !syntax_is_truthvalue(def, len))
			continue;
		found++;
		if (!pm_capability_by_column(entry_column(def, len)))
			fail_msg("%s (hostPmEntry %u) is a TruthValue column "
				 "with no row in pm_capabilities[]", name,
				 entry_column(def, len));
	}
	assert_int_equal(found, pm_capability_count);
	free(mib);
}

/* hostPmCapabilitiesChanged's OBJECTS are hostPmQueryValid and exactly
 * the capabilities marked as notified, in the table's order. */
static void the_notification_carries_the_notified(void **state)
{
	char *mib = read_mib();
	char want[512] = "hostPmQueryValid", got[512] = "";
	const char *def, *objects, *end;
	size_t len;

	(void)state;
	def = definition(mib, "hostPmCapabilitiesChanged", "NOTIFICATION-TYPE",
			 &len);
	assert_non_null(def);
	objects = strstr(def, "OBJECTS");
	assert_non_null(objects);
	objects = strchr(objects, '{');
	end = strchr(objects, '}');
	assert_non_null(end);
	for (const char *q = objects + 1; q < end; q++)
		if (*q != ' ' && *q != '\n')
			strncat(got, q, 1);
	PM_FOR_EACH_CAPABILITY(c)
		if (c->notified) {
			strcat(want, ",");
			strcat(want, c->mib_name);
		}
	assert_string_equal(got, want);
	free(mib);
}

static void names_are_unique(void **state)
{
	(void)state;
	PM_FOR_EACH_CAPABILITY(a) {
		assert_ptr_equal(pm_capability_by_key(a->key), a);
		PM_FOR_EACH_CAPABILITY(b) {
			if (a == b)
				continue;
			assert_string_not_equal(a->label, b->label);
			assert_string_not_equal(a->mib_name, b->mib_name);
			assert_int_not_equal(a->offset, b->offset);
		}
	}
	assert_null(pm_capability_by_key("s5"));
	assert_null(pm_capability_by_column(3));
}

static void answers_are_read_and_written_through_the_table(void **state)
{
	struct probe_result r;
	enum pm_answer a;

	(void)state;
	memset(&r, 0, sizeof(r));
	pm_capability_set(&r, pm_capability_by_key("standby"), PM_YES);
	assert_int_equal(r.standby, PM_YES);
	assert_int_equal(r.s3, PM_UNKNOWN);
	r.hibernate_ready = PM_NO;
	assert_int_equal(pm_capability_get(&r, pm_capability_by_key(
					       "hibernate-ready")), PM_NO);
	for (a = PM_UNKNOWN; a <= PM_YES; a++) {
		enum pm_answer back = PM_UNKNOWN;

		assert_int_equal(pm_answer_parse(pm_answer_word(a), &back), 0);
		assert_int_equal(back, a);
	}
	assert_int_equal(pm_answer_parse("maybe", &a), -1);
}

/* What a source answered (not PM_UNKNOWN) is what the table says it can
 * tell, given a host on which it can tell everything it knows. */
static void assert_told_by(const struct probe_result *r,
			   enum probe_source_id source)
{
	assert_true(r->valid);
	PM_FOR_EACH_CAPABILITY(c) {
		bool told = pm_capability_get(r, c) != PM_UNKNOWN;

		if (told != !!(c->told_by & PM_TOLD_BY(source)))
			fail_msg("%s: %s %s it, the table says it %s",
				 c->key, probe_source_name(source),
				 told ? "told" : "did not tell",
				 told ? "cannot" : "can");
	}
}

static void sysfs_tells_what_the_table_says(void **state)
{
	struct probe_config cfg;
	struct probe_result r;

	tu_fake_sysfs(*state, "freeze standby mem disk\n",
		      "s2idle shallow [deep]\n",
		      "[platform] shutdown reboot suspend\n");
	tu_write(*state, "power/resume", "8:2\n", 0644);
	tu_write(*state, "proc/swaps",
		 "Filename\tType\tSize\tUsed\tPriority\n"
		 "/dev/sda2\tpartition\t8388604\t0\t-2\n", 0444);
	tu_write(*state, "proc/meminfo", "Active(anon):   1000 kB\n", 0444);
	probe_config_init(&cfg);
	snprintf(cfg.sysfs_root, sizeof(cfg.sysfs_root), "%s",
		 (const char *)*state);
	snprintf(cfg.proc_root, sizeof(cfg.proc_root), "%s/proc",
		 (const char *)*state);
	probe_run_source(&cfg, PROBE_SOURCE_SYSFS, &r);
	assert_told_by(&r, PROBE_SOURCE_SYSFS);
}

static void pm_utils_tells_what_the_table_says(void **state)
{
	char *pm = tu_fake_pm(*state, "exit 0", "exit 1", "exit 0");
	struct probe_config cfg;
	struct probe_result r;

	probe_config_init(&cfg);
	snprintf(cfg.pm_is_supported, sizeof(cfg.pm_is_supported), "%s", pm);
	probe_run_source(&cfg, PROBE_SOURCE_PMUTILS, &r);
	assert_told_by(&r, PROBE_SOURCE_PMUTILS);
	free(pm);
}

/* A failed result keeps nothing half-learnt: every capability unknown. */
static void a_failed_result_tells_nothing(void **state)
{
	struct probe_result r;

	(void)state;
	memset(&r, 0, sizeof(r));
	r.valid = true;
	PM_FOR_EACH_CAPABILITY(c)
		pm_capability_set(&r, c, PM_YES);
	probe_fail(&r, "gone");
	assert_false(r.valid);
	assert_string_equal(r.error, "gone");
	PM_FOR_EACH_CAPABILITY(c)
		assert_int_equal(pm_capability_get(&r, c), PM_UNKNOWN);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(each_capability_is_its_mib_column),
		cmocka_unit_test(each_truthvalue_column_is_a_capability),
		cmocka_unit_test(the_notification_carries_the_notified),
		cmocka_unit_test(names_are_unique),
		cmocka_unit_test(answers_are_read_and_written_through_the_table),
		cmocka_unit_test_setup_teardown(sysfs_tells_what_the_table_says,
						tu_setup_dir, tu_teardown_dir),
		cmocka_unit_test_setup_teardown(pm_utils_tells_what_the_table_says,
						tu_setup_dir, tu_teardown_dir),
		cmocka_unit_test(a_failed_result_tells_nothing),
	};

	return cmocka_run_group_tests_name("capability", tests, NULL, NULL);
}
