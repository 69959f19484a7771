/* SPDX-License-Identifier: MIT */
/*
 * Signals as a descriptor, for hostpm-probe and hostpmd alike: blocked,
 * then read from a signalfd in the program's own loop, so that no handler
 * runs in signal context and none can slip in between a check and a wait.
 * hostpm_spawn() gives its children an empty mask back.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <sys/signalfd.h>

#include "hostpm.h"

int hostpm_signalfd(const int *signals, size_t n)
{
	sigset_t set;
	size_t i;

	sigemptyset(&set);
	for (i = 0; i < n; i++)
		if (sigaddset(&set, signals[i]) != 0)
			return -1;
	if (sigprocmask(SIG_BLOCK, &set, NULL) != 0)
		return -1;
	return signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
}
