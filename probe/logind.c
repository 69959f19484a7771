/* SPDX-License-Identifier: MIT */
/*
 * The logind source: systemd-logind's Can* methods on the system bus
 * (DBUS_SYSTEM_BUS_ADDRESS where set), as today's libvirt asks them.
 *
 * logind answers "na" when the host cannot, and "yes", "no" or
 * "challenge" when it can: "no" and "challenge" only say that policy
 * (sleep.conf, polkit, an inhibitor) stops this caller, and a caller that
 * is not root usually hears "challenge" where root hears "yes". So the
 * capability columns say what the host can do, and policy[] keeps what
 * logind answered, for an administrator to see without reading logs.
 *
 * No bus, no logind on it, or CanSuspend, CanHibernate or CanHybridSleep
 * unanswered (a D-Bus error, an answer that is no string or none of the
 * four words, no answer in time): the query failed, and the next source
 * answers. A row that said S3 or S4 without logind's word for it would be
 * a guess, and "nothing supported" (what libvirt writes then) a wrong
 * answer. CanSuspendThenHibernate is asked last and answers no column
 * the fragment has: when it alone goes unanswered, only its column is
 * unknown, with the reason, and the other three answers stand.
 *
 * D-Bus error messages and answers come from another program: they are
 * folded onto one line before they reach error[] or reason[].
 *
 * sd_bus_call() would wait for the connection's handshake without a
 * bound, so the handshake is driven here against the same deadline that
 * bounds every call: the whole source takes at most the probe timeout.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <systemd/sd-bus.h>

#include "probe_internal.h"

#define LOGIND_SERVICE "org.freedesktop.login1"
#define LOGIND_PATH "/org/freedesktop/login1"
#define LOGIND_MANAGER "org.freedesktop.login1.Manager"
#define SYSTEM_BUS_DEFAULT "unix:path=/run/dbus/system_bus_socket"

/* An answer is one of four short words; room for them and then some. */
#define ANSWER_MAX 16

struct question {
	const char *method;
	const char *label;  /* as logind's own verbs: "hybrid-sleep" */
	/* Unanswered, it leaves only its own column unknown. */
	bool optional;
};

static const struct question questions[] = {
	{ "CanSuspend", "suspend", false },
	{ "CanHibernate", "hibernate", false },
	{ "CanHybridSleep", "hybrid-sleep", false },
	/* systemd 240; an older logind answers UnknownMethod. */
	{ "CanSuspendThenHibernate", "suspend-then-hibernate", true },
};

#define NQUESTIONS (sizeof(questions) / sizeof(questions[0]))

static uint64_t now_usec(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000u + (uint64_t)t.tv_nsec / 1000u;
}

/* Time left before the deadline; 0 once it has passed. */
static uint64_t usec_left(uint64_t deadline)
{
	uint64_t now = now_usec();

	return now < deadline ? deadline - now : 0;
}

/*
 * Copies src to dst (of len bytes, truncating) on one line: each run of
 * control characters (a newline, a tab, an escape) becomes one space, and
 * none is left at either end. For text another program chose.
 */
static void one_line(char *dst, size_t len, const char *src)
{
	size_t used = 0;
	bool gap = false;

	if (len == 0)
		return;
	for (; *src && used + 1 < len; src++) {
		unsigned char c = (unsigned char)*src;

		if (c < 0x20 || c == 0x7f) {
			gap = used > 0;
			continue;
		}
		if (gap) {
			/* A space only with room for what follows it. */
			if (used + 2 >= len)
				break;
			dst[used++] = ' ';
			gap = false;
		}
		dst[used++] = (char)c;
	}
	dst[used] = '\0';
}

static void say_timeout(char *why, size_t len, const char *what,
			unsigned int timeout_ms)
{
	snprintf(why, len, "%s: no answer within %u.%03u s", what,
		 timeout_ms / 1000, timeout_ms % 1000);
}

static void fail_timeout(struct probe_result *out, const char *what,
			 unsigned int timeout_ms)
{
	char why[PROBE_ERROR_MAX];

	say_timeout(why, sizeof(why), what, timeout_ms);
	probe_fail(out, "%s", why);
}

/* Returns 0 once the bus has answered Hello, or -1 having failed out. */
static int wait_until_ready(sd_bus *bus, uint64_t deadline,
			    unsigned int timeout_ms, struct probe_result *out)
{
	for (;;) {
		uint64_t left;
		int r = sd_bus_is_ready(bus);

		if (r > 0)
			return 0;
		if (r < 0) {
			probe_fail(out, "system bus: %s", strerror(-r));
			return -1;
		}
		r = sd_bus_process(bus, NULL);
		if (r < 0) {
			probe_fail(out, "system bus: %s", strerror(-r));
			return -1;
		}
		if (r > 0)
			continue;
		left = usec_left(deadline);
		if (left == 0) {
			fail_timeout(out, "system bus", timeout_ms);
			return -1;
		}
		r = sd_bus_wait(bus, left);
		if (r < 0 && r != -EINTR) {
			probe_fail(out, "system bus: %s", strerror(-r));
			return -1;
		}
	}
}

static int answer_of(const char *text, enum pm_answer *answer)
{
	if (!strcmp(text, "na"))
		*answer = PM_NO;
	else if (!strcmp(text, "yes") || !strcmp(text, "no") ||
		 !strcmp(text, "challenge"))
		*answer = PM_YES;
	else
		return -1;
	return 0;
}

static void say_call_failed(char *why, size_t len, const char *method,
			    int r, const sd_bus_error *error,
			    unsigned int timeout_ms)
{
	/* Room for the method and the error's name after it. */
	char message[PROBE_ERROR_MAX / 2];

	if (r == -ETIMEDOUT) {
		say_timeout(why, len, method, timeout_ms);
	} else if (sd_bus_error_is_set(error)) {
		/* The name is checked by sd-bus: a D-Bus name is plain. */
		one_line(message, sizeof(message),
			 error->message ? error->message : strerror(-r));
		snprintf(why, len, "%s: %s (%s)", method, message, error->name);
	} else {
		snprintf(why, len, "%s: %s", method, strerror(-r));
	}
}

/* ask()'s answer when logind does not know the method at all. */
#define ASK_NO_SUCH_METHOD (-2)

/*
 * Asks one question. Returns 0 with logind's word in text and its meaning
 * in *answer; or, with text empty, *answer untouched and why[] (one line)
 * saying what went wrong, -1, or ASK_NO_SUCH_METHOD for a logind that
 * does not know the method.
 */
static int ask(sd_bus *bus, const struct question *q, uint64_t deadline,
	       unsigned int timeout_ms, char *text, size_t len,
	       enum pm_answer *answer, char *why, size_t whylen)
{
	sd_bus_message *call = NULL, *reply = NULL;
	sd_bus_error error = SD_BUS_ERROR_NULL;
	const char *said = NULL;
	char word[48];
	uint64_t left = usec_left(deadline);
	int r, ret = -1;

	text[0] = '\0';
	why[0] = '\0';
	/* A timeout of 0 would mean sd-bus's default of 25 s. */
	if (left == 0) {
		say_timeout(why, whylen, q->method, timeout_ms);
		return -1;
	}
	r = sd_bus_message_new_method_call(bus, &call, LOGIND_SERVICE,
					   LOGIND_PATH, LOGIND_MANAGER,
					   q->method);
	if (r < 0) {
		snprintf(why, whylen, "%s: cannot build the call: %s",
			 q->method, strerror(-r));
		goto out;
	}
	r = sd_bus_call(bus, call, left, &error, &reply);
	if (r < 0) {
		say_call_failed(why, whylen, q->method, r, &error, timeout_ms);
		if (sd_bus_error_has_name(&error, SD_BUS_ERROR_UNKNOWN_METHOD))
			ret = ASK_NO_SUCH_METHOD;
		goto out;
	}
	r = sd_bus_message_read(reply, "s", &said);
	if (r < 0) {
		const char *type = sd_bus_message_get_signature(reply, true);

		snprintf(why, whylen,
			 "%s: the answer is of D-Bus type '%.16s', not a string",
			 q->method, type ? type : "?");
		goto out;
	}
	if (answer_of(said, answer)) {
		one_line(word, sizeof(word), said);
		snprintf(why, whylen,
			 "%s answered '%.40s', not yes, no, challenge or na",
			 q->method, word);
		goto out;
	}
	snprintf(text, len, "%s", said);
	ret = 0;
out:
	sd_bus_error_free(&error);
	sd_bus_message_unref(reply);
	sd_bus_message_unref(call);
	return ret;
}

/*
 * policy[]: "suspend=challenge hibernate=na ..."; reason[]: the "na"s,
 * then why an optional question went unanswered (what ask() returned in
 * outcome[i], and why[i]).
 */
static void describe(char text[][ANSWER_MAX], const int outcome[],
		     char why[][PROBE_ERROR_MAX], struct probe_result *out)
{
	size_t used = 0, i;
	char na[PROBE_ERROR_MAX] = "";
	size_t na_used = 0;

	for (i = 0; i < NQUESTIONS; i++) {
		int w;

		if (!text[i][0])
			continue;
		w = snprintf(out->policy + used, sizeof(out->policy) - used,
			     "%s%s=%s", used ? " " : "", questions[i].label,
			     text[i]);
		if (w > 0 && (size_t)w < sizeof(out->policy) - used)
			used += (size_t)w;
		if (strcmp(text[i], "na"))
			continue;
		w = snprintf(na + na_used, sizeof(na) - na_used, "%s%s na",
			     na_used ? ", " : "", questions[i].label);
		if (w > 0 && (size_t)w < sizeof(na) - na_used)
			na_used += (size_t)w;
	}
	if (na[0])
		probe_reason(out, "logind: %s", na);
	for (i = 0; i < NQUESTIONS; i++) {
		if (outcome[i] == ASK_NO_SUCH_METHOD)
			probe_reason(out, "logind has no %s",
				     questions[i].method);
		else if (outcome[i] < 0)
			probe_reason(out, "logind: %s", why[i]);
	}
}

void probe_logind_query(unsigned int timeout_ms, struct probe_result *out)
{
	enum pm_answer *answers[NQUESTIONS] = {
		&out->s3, &out->s4, &out->hybrid, &out->suspend_then_hibernate,
	};
	char text[NQUESTIONS][ANSWER_MAX];
	char why[NQUESTIONS][PROBE_ERROR_MAX];
	int outcome[NQUESTIONS];
	uint64_t deadline = now_usec() + (uint64_t)timeout_ms * 1000u;
	sd_bus *bus = NULL;
	size_t i;
	int r;

	out->source = PROBE_SOURCE_LOGIND;
	r = sd_bus_open_system(&bus);
	if (r < 0) {
		const char *bus_address =
			secure_getenv("DBUS_SYSTEM_BUS_ADDRESS");
		char address[PROBE_ERROR_MAX];

		one_line(address, sizeof(address),
			 bus_address && *bus_address ? bus_address :
			 SYSTEM_BUS_DEFAULT);
		probe_fail(out, "cannot connect to the system bus at %s: %s",
			   address, strerror(-r));
		return;
	}
	if (wait_until_ready(bus, deadline, timeout_ms, out))
		goto out;
	for (i = 0; i < NQUESTIONS; i++) {
		outcome[i] = ask(bus, &questions[i], deadline, timeout_ms,
				 text[i], sizeof(text[i]), answers[i], why[i],
				 sizeof(why[i]));
		if (outcome[i] == 0)
			continue;
		if (!questions[i].optional) {
			probe_fail(out, "%s", why[i]);
			goto out;
		}
		*answers[i] = PM_UNKNOWN;
	}
	/* s2idle, standby and hibernate_ready stay unknown: logind cannot
	 * tell them, the kernel can (the sysfs source). */
	out->valid = true;
	describe(text, outcome, why, out);
out:
	/* No flush: nothing of ours is waiting to be sent. */
	sd_bus_close_unref(bus);
}
