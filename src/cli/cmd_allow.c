/* contracts allow FINGERPRINT --reason ... --until ...: approve a change. */
#include "cmds.h"

#include "contracts/allow.h"
#include "contracts/manifest.h"

#include <stdio.h>
#include <string.h>

static const char *manifest, *reason, *until, *until_version;

static const struct ct_opt opts[] = {
    {"reason", "TEXT", "why the change is accepted (required)", &reason, NULL,
     NULL},
    {"until", "YYYY-MM-DD", "the last day it is accepted", &until, NULL, NULL},
    {"until-version", "VERSION",
     "accepted while the provider is older than VERSION (its version_file says)",
     &until_version, NULL, NULL},
    {"manifest", "FILE",
     "the manifest whose allow.json to write (default as for diff)", &manifest,
     NULL, NULL},
    {NULL, NULL, NULL, NULL, NULL, NULL}};

const struct ct_cmd_usage cmd_allow_usage = {
    "allow",
    "FINGERPRINT... --reason TEXT (--until YYYY-MM-DD | --until-version V)",
    "Approve changes by their fingerprints (a finding's next step lists "
    "those of every comparison that saw it). Until the date passes, or while "
    "the provider is older than the version, diff reports it as info with "
    "the reason; the approval lives in allow.json beside the manifest.",
    1,
    32,
    opts};

int cmd_allow(int argc, char **argv)
{
	struct ct_manifest *m = NULL;
	struct ct_buf path = CT_BUF_INIT;
	struct ct_err err = CT_ERR_INIT;
	int n, rc;

	manifest = reason = until = until_version = NULL;
	if ((rc = ct_opt_parse(&cmd_allow_usage, argc, argv, &n)))
		return rc < 0 ? CT_EXIT_OK : rc;
	if ((rc = ct_cli_manifest(&m, manifest, NULL)))
		return rc;
	ct_buf_addf(&path, "%s/allow.json", m->dir);
	for (int i = 1; i <= n && !rc; i++) {
		if (ct_allow_add(path.ptr, argv[i], reason, until,
				 until_version, &err))
			rc = ct_cli_fail(&err);
		else
			fprintf(stderr,
				"contracts: approved %s until %s%s in %s\n",
				argv[i], until ? "" : "provider version ",
				until ? until : until_version, path.ptr);
	}
	ct_buf_release(&path);
	ct_manifest_free(m);
	return rc;
}
