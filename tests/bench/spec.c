/* SPDX-License-Identifier: MIT */
/* Reads the benchmark's table file (see spec.h). */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spec.h"

static const struct {
	const char *word;
	u_char type;
} types[] = {
	{ "string", ASN_OCTET_STR },
	{ "integer", ASN_INTEGER },
	{ "gauge", ASN_GAUGE },
	{ "counter", ASN_COUNTER },
};

const char *spec_type_name(u_char type)
{
	size_t i;

	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (types[i].type == type)
			return types[i].word;
	return NULL;
}

static int parse_line(char *line, const oid *base, size_t base_len,
		      struct spec_cell *c)
{
	char *suffix = strtok(line, " "), *word = strtok(NULL, " ");
	char *value = strtok(NULL, "");
	char *p, *end;
	size_t i;

	if (!suffix || !word)
		return -1;
	memcpy(c->name, base, base_len * sizeof(oid));
	c->len = base_len;
	for (p = suffix[0] == '.' ? suffix + 1 : suffix; *p; p = end) {
		if (c->len == MAX_OID_LEN)
			return -1;
		c->name[c->len++] = (oid)strtoul(p, &end, 10);
		if (end == p || (*end && *end != '.'))
			return -1;
		if (*end == '.')
			end++;
	}
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (!strcmp(word, types[i].word))
			break;
	if (i == sizeof(types) / sizeof(types[0]))
		return -1;
	c->type = types[i].type;
	snprintf(c->text, sizeof(c->text), "%s", value ? value : "");
	c->num = strtol(c->text, NULL, 10);
	return 0;
}

int spec_load(const char *path, const oid *base, size_t base_len,
	      struct spec_cell **cells, size_t *n)
{
	FILE *f = fopen(path, "re");
	char line[1024];
	unsigned lineno = 0;

	*n = 0;
	*cells = calloc(SPEC_MAX_CELLS, sizeof(**cells));
	if (!f || !*cells) {
		fprintf(stderr, "%s: cannot read\n", path);
		if (f)
			fclose(f);
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		lineno++;
		line[strcspn(line, "\n")] = '\0';
		if (line[0] == '#' || line[0] == '\0')
			continue;
		if (*n == SPEC_MAX_CELLS ||
		    parse_line(line, base, base_len, &(*cells)[*n]) != 0) {
			fprintf(stderr, "%s:%u: not a cell\n", path, lineno);
			fclose(f);
			return -1;
		}
		if (*n > 0 &&
		    snmp_oid_compare((*cells)[*n - 1].name, (*cells)[*n - 1].len,
				     (*cells)[*n].name, (*cells)[*n].len) >= 0) {
			fprintf(stderr, "%s:%u: out of order\n", path, lineno);
			fclose(f);
			return -1;
		}
		(*n)++;
	}
	fclose(f);
	if (*n == 0) {
		fprintf(stderr, "%s: no cell\n", path);
		return -1;
	}
	return 0;
}
