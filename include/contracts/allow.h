/*
 * allow.h - approved changes (contracts/allow.json beside the manifest):
 * each names a change by fingerprint, with a reason and an expiry: a date
 * ("until") or a provider version ("until_version", read from the
 * provider's version_file). An approved change is reported as info, with
 * its reason, through its last day or while the provider is older than
 * that version; then it counts again.
 *
 *   {"version": 1, "allow": [{"fingerprint": "87a3308757a98bbc",
 *     "reason": "the plugin follows in 0.0.18", "until": "2026-12-31"}]}
 */
#ifndef CT_ALLOW_H
#define CT_ALLOW_H

#include "contracts/diff.h"
#include "contracts/err.h"

/* Applies the approvals of `path` (a missing file approves nothing) to the
 * changes, as of `today` ("YYYY-MM-DD") and the provider's version (NULL
 * when unknown: then an approval by version is an error). A malformed
 * file is CT_EINVAL. */
int ct_allow_apply(const char *path, const char *today,
		   const char *provider_version, struct ct_changes *changes,
		   size_t n, struct ct_err *err);

/* Sets *needs when some approval in `path` lasts until a provider version,
 * so the version is read only when it matters. A malformed file is
 * CT_EINVAL. */
int ct_allow_needs_version(const char *path, int *needs, struct ct_err *err);

/* Adds (or replaces) an approval in `path`, written atomically; exactly one
 * of `until` (a date) and `until_version` is given. */
int ct_allow_add(const char *path, const char *fingerprint, const char *reason,
		 const char *until, const char *until_version,
		 struct ct_err *err);

/* Today's date, UTC, as "YYYY-MM-DD" (or $CONTRACTS_TODAY when set, for
 * reproducible runs). */
void ct_allow_today(char out[11]);

#endif
