/* contracts allow FINGERPRINT --reason ... --until ...: approve a change;
 * --list and --remove FP keep allow.json tidy. */
#include "cmds.h"

#include "contracts/allow.h"
#include "contracts/manifest.h"
#include "contracts/run.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *manifest, *reason, *until, *until_version, *remove_fp;
static int force, list, offline, quiet;
static struct ct_optlist repos;

static const struct ct_opt opts[] = {
    {"reason", "TEXT", "why the change is accepted (required)", &reason, NULL,
     NULL},
    {"until", "YYYY-MM-DD", "the last day it is accepted (not a past one)",
     &until, NULL, NULL},
    {"until-version", "VERSION",
     "accepted while the provider is older than VERSION (its version_file says)",
     &until_version, NULL, NULL},
    {"force", NULL,
     "approve a fingerprint no current finding has, or a date already past",
     NULL, &force, NULL},
    {"list", NULL, "list the approvals of allow.json and exit", NULL, &list,
     NULL},
    {"remove", "FINGERPRINT", "remove the approval of FINGERPRINT", &remove_fp,
     NULL, NULL},
    {"manifest", "FILE",
     "the manifest whose allow.json to use (default as for diff)", &manifest,
     NULL, NULL},
    {"repo", "NAME=SPEC",
     "read repository NAME from SPEC when looking for the finding (repeatable)",
     NULL, NULL, &repos},
    {"offline", NULL, "use cached clones as they are, never fetch", NULL,
     &offline, NULL},
    {"quiet", NULL, "no progress while cloning or fetching", NULL, &quiet,
     NULL},
    {NULL, NULL, NULL, NULL, NULL, NULL}};

const struct ct_cmd_usage cmd_allow_usage = {
    "allow",
    "FINGERPRINT... --reason TEXT (--until YYYY-MM-DD | --until-version V) "
    "| --list | --remove FINGERPRINT",
    "Approve changes by their fingerprints (a finding's next step lists "
    "those of every comparison that saw it). Until the date passes, or "
    "while the provider is older than the version, diff reports them as "
    "info with the reason; the approval lives in allow.json beside the "
    "manifest. Each fingerprint must be one a current finding has (the "
    "contracts are checked first) and the date today or later, unless "
    "--force.",
    0,
    32,
    opts};

/* Sets *found when some finding of the manifest's contracts, as they are
 * now, has fingerprint `fp`. Returns 0, or the exit code of the error
 * (printed) when they cannot be checked. */
static int is_current(int *found, struct ct_manifest *m, char **fps, int nfp)
{
	struct ct_source_opts so;
	struct ct_run run;
	struct ct_changes *all = NULL;
	struct ct_err err = CT_ERR_INIT;
	size_t n = 0, cap = 0;
	int rc = 0;

	memset(&so, 0, sizeof(so));
	so.offline = offline;
	so.quiet = quiet;
	ct_run_init(&run, m, &so);
	for (size_t c = 0; c < m->ncontracts && !rc; c++)
		if (ct_run_check(&run, c, &all, &n, &cap, &err))
			rc = ct_cli_fail(&err);
	for (int f = 0; f < nfp; f++) {
		found[f] = 0;
		for (size_t k = 0; k < n && !found[f]; k++)
			for (size_t i = 0; i < all[k].n && !found[f]; i++)
				found[f] =
				    !strcmp(all[k].v[i].fingerprint, fps[f]);
	}
	for (size_t k = 0; k < n; k++)
		ct_changes_release(&all[k]);
	free(all);
	ct_run_release(&run);
	return rc;
}

static int print_list(const char *path)
{
	struct ct_approval *v = NULL;
	struct ct_err err = CT_ERR_INIT;
	char today[11];
	size_t n;

	if (ct_allow_list(&v, &n, path, &err))
		return ct_cli_fail(&err);
	ct_allow_today(today);
	for (size_t i = 0; i < n; i++) {
		if (v[i].until)
			printf("%s  until %s%s: %s\n", v[i].fingerprint,
			       v[i].until,
			       strcmp(today, v[i].until) > 0 ? " (expired)"
							     : "",
			       v[i].reason);
		else
			printf("%s  until provider version %s: %s\n",
			       v[i].fingerprint, v[i].until_version,
			       v[i].reason);
	}
	if (!n)
		fprintf(stderr, "contracts: no approvals in %s\n", path);
	ct_allow_list_free(v, n);
	return CT_EXIT_OK;
}

static int add(struct ct_manifest *m, const char *path, char **fps, int nfp)
{
	struct ct_err err = CT_ERR_INIT;
	char today[11];
	int rc, found[32] = {0};

	for (int f = 0; f < nfp; f++)
		if (ct_allow_check(fps[f], reason, until, until_version, &err))
			return ct_cli_fail(&err);
	ct_allow_today(today);
	if (until && !force && strcmp(until, today) < 0) {
		ct_cli_error("--until %s is past (today is %s); --force "
			     "approves it anyway",
			     until, today);
		return CT_EXIT_USAGE;
	}
	if (!force && (rc = is_current(found, m, fps, nfp)))
		return rc;
	for (int f = 0; f < nfp; f++)
		if (!force && !found[f]) {
			ct_cli_error("no current finding has fingerprint %s "
				     "(see 'contracts diff'); --force "
				     "approves it anyway",
				     fps[f]);
			return CT_EXIT_USAGE;
		}
	for (int f = 0; f < nfp; f++) {
		if (ct_allow_add(path, fps[f], reason, until, until_version,
				 &err))
			return ct_cli_fail(&err);
		fprintf(stderr, "contracts: approved %s until %s%s in %s\n",
			fps[f], until ? "" : "provider version ",
			until ? until : until_version, path);
	}
	return CT_EXIT_OK;
}

int cmd_allow(int argc, char **argv)
{
	struct ct_manifest *m = NULL;
	struct ct_buf path = CT_BUF_INIT;
	struct ct_err err = CT_ERR_INIT;
	int n, rc;

	manifest = reason = until = until_version = remove_fp = NULL;
	force = list = offline = quiet = 0;
	repos.n = 0;
	if ((rc = ct_opt_parse(&cmd_allow_usage, argc, argv, &n)))
		return rc < 0 ? CT_EXIT_OK : rc;
	if ((list || remove_fp) &&
	    (n || list + !!remove_fp > 1 || reason || until || until_version)) {
		ct_cli_error("--%s takes no fingerprint, --reason, --until or "
			     "--until-version, nor --%s",
			     list ? "list" : "remove",
			     list ? "remove" : "list");
		return CT_EXIT_USAGE;
	}
	if (!list && !remove_fp && n < 1) {
		ct_cli_error("'allow' takes fingerprints; usage: contracts "
			     "allow %s",
			     cmd_allow_usage.synopsis);
		return CT_EXIT_USAGE;
	}
	if ((rc = ct_cli_manifest(&m, manifest, &repos)))
		return rc;
	ct_buf_addf(&path, "%s/allow.json", m->dir);
	if (list) {
		rc = print_list(path.ptr);
	} else if (remove_fp) {
		if (ct_allow_remove(path.ptr, remove_fp, &err))
			rc = ct_cli_fail(&err);
		else
			fprintf(stderr,
				"contracts: removed the approval of %s "
				"from %s\n",
				remove_fp, path.ptr);
	} else {
		rc = add(m, path.ptr, argv + 1, n);
	}
	ct_buf_release(&path);
	ct_manifest_free(m);
	return rc;
}
