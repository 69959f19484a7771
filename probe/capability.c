/* SPDX-License-Identifier: MIT */
/* The table of capabilities; see capability.h for what reads it. */
#include <string.h>

#include "capability.h"

#define LOGIND PM_TOLD_BY(PROBE_SOURCE_LOGIND)
#define PMUTILS PM_TOLD_BY(PROBE_SOURCE_PMUTILS)
#define SYSFS PM_TOLD_BY(PROBE_SOURCE_SYSFS)

#define FIELD(name) offsetof(struct probe_result, name)

const struct pm_capability pm_capabilities[] = {
	{
		.key = "s3", .label = "S3", .offset = FIELD(s3),
		.mib_column = 4, .mib_name = "hostPmS3",
		.element = { [PM_DIALECT_LIBVIRT_2011] = "S3",
			     [PM_DIALECT_LIBVIRT] = "suspend_mem" },
		.notified = true, .told_by = LOGIND | PMUTILS | SYSFS,
	},
	{
		.key = "s4", .label = "S4", .offset = FIELD(s4),
		.mib_column = 5, .mib_name = "hostPmS4",
		.element = { [PM_DIALECT_LIBVIRT_2011] = "S4",
			     [PM_DIALECT_LIBVIRT] = "suspend_disk" },
		.notified = true, .told_by = LOGIND | PMUTILS | SYSFS,
	},
	{
		/* libvirt's 2011 schema has no name for it. */
		.key = "hybrid", .label = "hybrid", .offset = FIELD(hybrid),
		.mib_column = 6, .mib_name = "hostPmHybrid",
		.element = { [PM_DIALECT_LIBVIRT] = "suspend_hybrid" },
		.told_by = LOGIND | PMUTILS | SYSFS,
	},
	{
		.key = "suspend-to-idle", .label = "s2idle",
		.offset = FIELD(suspend_to_idle),
		.mib_column = 9, .mib_name = "hostPmSuspendToIdle",
		.told_by = SYSFS,
	},
	{
		.key = "standby", .label = "standby", .offset = FIELD(standby),
		.mib_column = 10, .mib_name = "hostPmStandby",
		.told_by = SYSFS,
	},
	{
		/* No kernel state: logind's sequence of suspend, then
		 * hibernate. */
		.key = "suspend-then-hibernate", .label = "s-then-h",
		.offset = FIELD(suspend_then_hibernate),
		.mib_column = 11, .mib_name = "hostPmSuspendThenHibernate",
		.told_by = LOGIND,
	},
	{
		.key = "hibernate-ready", .label = "hib-ready",
		.offset = FIELD(hibernate_ready),
		.mib_column = 12, .mib_name = "hostPmHibernateReady",
		.told_by = SYSFS,
	},
};

const size_t pm_capability_count =
	sizeof(pm_capabilities) / sizeof(pm_capabilities[0]);

const struct pm_capability *pm_capability_by_key(const char *key)
{
	PM_FOR_EACH_CAPABILITY(c)
		if (!strcmp(c->key, key))
			return c;
	return NULL;
}

const struct pm_capability *pm_capability_by_column(unsigned int column)
{
	PM_FOR_EACH_CAPABILITY(c)
		if (c->mib_column == column)
			return c;
	return NULL;
}

enum pm_answer pm_capability_get(const struct probe_result *r,
				 const struct pm_capability *c)
{
	enum pm_answer a;

	memcpy(&a, (const char *)r + c->offset, sizeof(a));
	return a;
}

void pm_capability_set(struct probe_result *r, const struct pm_capability *c,
		       enum pm_answer a)
{
	memcpy((char *)r + c->offset, &a, sizeof(a));
}

bool pm_capability_in_fragment(const struct pm_capability *c)
{
	for (size_t d = 0; d < PM_DIALECT_COUNT; d++)
		if (c->element[d])
			return true;
	return false;
}

static const char *const answer_words[] = {
	[PM_UNKNOWN] = "unknown",
	[PM_NO] = "no",
	[PM_YES] = "yes",
};

const char *pm_answer_word(enum pm_answer a)
{
	return (unsigned)a < sizeof(answer_words) / sizeof(answer_words[0]) ?
		       answer_words[a] : "?";
}

int pm_answer_parse(const char *word, enum pm_answer *a)
{
	for (size_t i = 0; i < sizeof(answer_words) / sizeof(answer_words[0]);
	     i++)
		if (!strcmp(word, answer_words[i])) {
			*a = (enum pm_answer)i;
			return 0;
		}
	return -1;
}
