/*
 * gate.h - pre-release gating: the release rules of each repository of the
 * manifest that has a "release" block (docs/gate.md), checked before a tag
 * ships and reported as findings in the diff model, so every report format
 * shows them.
 *
 *   "release": {"package": "netbox-proxbox",
 *               "version_files": ["pyproject.toml",
 *                                 "netbox_proxbox/__init__.py", "uv.lock"],
 *               "tag_pattern": "v{version}",
 *               "indexes": ["https://test.pypi.org", "https://pypi.org"],
 *               "pins": {"provider": "proxbox-api",
 *                        "file": "contracts/proxbox_api_sse_schema.json",
 *                        "pointer": "/source/release"}}
 *
 * Rules, each reported as a gate-passed, gate-failed or gate-skipped
 * finding whose subject names the rule and whose origin is the file and
 * line it read:
 *   versions   the version files and the tag hold one version (PEP 440);
 *   tags       the version is above every earlier release tag, and the
 *              tag, if it exists, is on the commit released;
 *   index      the version is on none of the package indexes;
 *   contracts  diff is clean at the pair released (its comparisons follow
 *              as findings of their own);
 *   pin        the provider release the consumer pins is a provider tag,
 *              and the contract extracted there is what the consumer's
 *              committed contract files say.
 *
 * A failed rule is breaking; passed and skipped ones are info. An index
 * that cannot be asked is CT_EUNREACHABLE; a malformed release block or a
 * version file that cannot be read is CT_EINVAL naming it.
 *
 * Depends on manifest, run, source, http, toml and pep440.
 */
#ifndef CT_GATE_H
#define CT_GATE_H

#include <stddef.h>

#include "contracts/diff.h"
#include "contracts/err.h"
#include "contracts/manifest.h"
#include "contracts/source.h"

/* The indexes asked when a release block names none. */
#define CT_GATE_DEFAULT_INDEXES                                                \
	{                                                                      \
		"https://test.pypi.org", "https://pypi.org"                    \
	}

struct ct_gate_opts {
	const char *release; /* the repository released; NULL: each one with
				a release block */
	const char *tag;     /* the tag to be made; NULL: the tag pattern
				applied to the version */
	const char *const *indexes; /* instead of the release blocks' */
	size_t nindexes;
	int offline;		  /* ask no index, fetch no remote */
	enum ct_severity fail_on; /* what makes the contracts rule fail */
	struct ct_source_opts source;
};

/* Gates the release(s) of manifest `m`, appending to *out (grown as
 * needed, *n and *cap updated) one ct_changes "gate:NAME" per repository
 * released, then the comparisons of the pair it is released with. The
 * caller releases each entry and frees *out. */
int ct_gate_run(struct ct_changes **out, size_t *n, size_t *cap,
		struct ct_manifest *m, const struct ct_gate_opts *o,
		struct ct_err *err);

/* Reads the version a Python file writes: `__version__ = "X"`, or a class
 * attribute `version = "X"` (NetBox's PluginConfig). Sets *out (malloc'ed)
 * and *line; *out is NULL and *runtime 1 when the version is computed at
 * run time (importlib.metadata); CT_ENOTFOUND when there is none. */
int ct_gate_python_version(char **out, unsigned *line, int *runtime,
			   const char *text, const char *path,
			   struct ct_err *err);

#endif
