/* SPDX-License-Identifier: MIT */
/*
 * The <power_management> fragment of libvirt's 2011 host capabilities:
 * one empty child per supported feature, an empty element when nothing is
 * supported, and no element at all when the query failed.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <string.h>

#include <libxml/xmlwriter.h>

#include "capability.h"

#define XSTR(s) ((const xmlChar *)(s))

/* One empty child per supported capability that has a name in d, in the
 * table's order: S3 first, as libvirt's schemas have it. */
static int write_element(xmlTextWriterPtr w, const struct probe_result *r,
			 enum pm_dialect d)
{
	if (xmlTextWriterStartElement(w, XSTR("power_management")) < 0)
		return -1;
	PM_FOR_EACH_CAPABILITY(c) {
		if (!c->element[d] || pm_capability_get(r, c) != PM_YES)
			continue;
		if (xmlTextWriterStartElement(w, XSTR(c->element[d])) < 0 ||
		    xmlTextWriterEndElement(w) < 0)
			return -1;
	}
	if (xmlTextWriterEndElement(w) < 0)
		return -1;
	return 0;
}

char *pm_fragment_write(const struct probe_result *r, enum pm_dialect d)
{
	xmlBufferPtr buf;
	xmlTextWriterPtr w;
	char *out = NULL;

	if ((unsigned)d >= PM_DIALECT_COUNT)
		return NULL;
	if (!r->valid)
		return strdup("");
	buf = xmlBufferCreate();
	if (!buf)
		return NULL;
	w = xmlNewTextWriterMemory(buf, 0);
	if (!w)
		goto out_buf;
	if (xmlTextWriterSetIndent(w, 1) < 0 ||
	    xmlTextWriterSetIndentString(w, XSTR("  ")) < 0 ||
	    write_element(w, r, d) < 0) {
		xmlFreeTextWriter(w);
		goto out_buf;
	}
	/* Flushes the writer into buf. */
	xmlFreeTextWriter(w);
	out = strdup((const char *)xmlBufferContent(buf));
out_buf:
	xmlBufferFree(buf);
	return out;
}
