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

#include "hostpm.h"

#define XSTR(s) ((const xmlChar *)(s))

static int write_child(xmlTextWriterPtr w, enum pm_answer a,
		       const char *name)
{
	if (a != PM_YES)
		return 0;
	if (xmlTextWriterStartElement(w, XSTR(name)) < 0 ||
	    xmlTextWriterEndElement(w) < 0)
		return -1;
	return 0;
}

static int write_element(xmlTextWriterPtr w, const struct probe_result *r,
			 enum pm_dialect d)
{
	if (xmlTextWriterStartElement(w, XSTR("power_management")) < 0)
		return -1;
	if (d == PM_DIALECT_LIBVIRT) {
		/* The order of libvirt's capability.rng. */
		if (write_child(w, r->s3, "suspend_mem") ||
		    write_child(w, r->s4, "suspend_disk") ||
		    write_child(w, r->hybrid, "suspend_hybrid"))
			return -1;
	} else {
		/* The seed dialect knows S3 and S4 only; S3 first. */
		if (write_child(w, r->s3, "S3") || write_child(w, r->s4, "S4"))
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
