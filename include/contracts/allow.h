/*
 * allow.h - approved changes (contracts/allow.json beside the manifest):
 * each names a change by fingerprint, with a reason and an expiry date. An
 * approved change is reported as info, with its reason, until the day after
 * its expiry; then it counts again.
 *
 *   {"version": 1, "allow": [{"fingerprint": "87a3308757a98bbc",
 *     "reason": "the plugin follows in 0.0.18", "until": "2026-12-31"}]}
 */
#ifndef CT_ALLOW_H
#define CT_ALLOW_H

#include "contracts/diff.h"
#include "contracts/err.h"

/* Applies the approvals of `path` (a missing file approves nothing) to the
 * changes, as of `today` ("YYYY-MM-DD"). A malformed file is CT_EINVAL. */
int ct_allow_apply(const char *path, const char *today,
		   struct ct_changes *changes, size_t n, struct ct_err *err);

/* Adds (or replaces) an approval in `path`, written atomically. */
int ct_allow_add(const char *path, const char *fingerprint, const char *reason,
		 const char *until, struct ct_err *err);

/* Today's date, UTC, as "YYYY-MM-DD" (or $CONTRACTS_TODAY when set, for
 * reproducible runs). */
void ct_allow_today(char out[11]);

#endif
