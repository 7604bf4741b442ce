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

#include <stddef.h>

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

/* Checks an approval before it is added: a fingerprint of 16 hex digits,
 * a reason, and exactly one of `until` (a real date YYYY-MM-DD) and
 * `until_version` (PEP 440). CT_EINVAL names what is wrong. */
int ct_allow_check(const char *fingerprint, const char *reason,
		   const char *until, const char *until_version,
		   struct ct_err *err);

/* Adds (or replaces) an approval in `path`, written atomically, after
 * ct_allow_check(). */
int ct_allow_add(const char *path, const char *fingerprint, const char *reason,
		 const char *until, const char *until_version,
		 struct ct_err *err);

/* Removes the approval of `fingerprint` from `path`, written atomically;
 * CT_ENOTFOUND when there is none. */
int ct_allow_remove(const char *path, const char *fingerprint,
		    struct ct_err *err);

/* One approval as allow.json holds it; exactly one of until and
 * until_version is set. */
struct ct_approval {
	char *fingerprint, *reason, *until, *until_version;
};

/* The approvals of `path`, in file order (none when it does not exist):
 * *out is the caller's, freed with ct_allow_list_free(*out, *n). A
 * malformed file is CT_EINVAL. */
int ct_allow_list(struct ct_approval **out, size_t *n, const char *path,
		  struct ct_err *err);
void ct_allow_list_free(struct ct_approval *v, size_t n);

/* Today's date, UTC, as "YYYY-MM-DD" (or $CONTRACTS_TODAY when set, for
 * reproducible runs). */
void ct_allow_today(char out[11]);

#endif
