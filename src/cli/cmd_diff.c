/* contracts diff: extract every contract from both repositories and compare
 * them with their pins and with each other. */
#define _XOPEN_SOURCE 700 /* realpath() */
#include "cmds.h"

#include "contracts/allow.h"
#include "contracts/manifest.h"
#include "contracts/run.h"
#include "contracts/report.h"
#include "contracts/xalloc.h"

#include <stdlib.h>
#include <string.h>

static const char *manifest, *format, *output, *output_dir, *fail_on, *notify,
    *github_issue, *workspace_repo;
static int offline, quiet;
static struct ct_optlist contracts, repos;

static const struct ct_opt opts[] = {
    {"manifest", "FILE",
     "the manifest (default: $CONTRACTS_MANIFEST, contracts/manifest.json here, the installed one)",
     &manifest, NULL, NULL},
    {"contract", "NAME", "check only this contract (repeatable)", NULL, NULL,
     &contracts},
    {"repo", "NAME=SPEC",
     "read repository NAME from SPEC instead, such as netbox-proxbox=. for a work tree (repeatable)",
     NULL, NULL, &repos},
    CT_REPORT_OPTS(format, output, output_dir, fail_on),
    {"workspace-repo", "NAME",
     "the repository checked out in the CI workspace: github annotations name files only there, others carry permalinks",
     &workspace_repo, NULL, NULL},
    {"notify", "URL",
     "after writing the reports, POST the JSON report to this webhook", &notify,
     NULL, NULL},
    {"github-issue", "OWNER/REPO",
     "after writing the reports, open, update or close the issue 'Contract drift' there (token: GITHUB_TOKEN)",
     &github_issue, NULL, NULL},
    {"offline", NULL, "use cached clones as they are, never fetch", NULL,
     &offline, NULL},
    {"quiet", NULL, "no progress while cloning or fetching", NULL, &quiet,
     NULL},
    {NULL, NULL, NULL, NULL, NULL, NULL}};

const struct ct_cmd_usage cmd_diff_usage = {
    "diff",
    "[options]",
    "Check every contract of the manifest. Each is extracted from both "
    "repositories and compared: the writer's sides against the pin as new "
    "versions of it; the pin, and the provider, against the reader's sides "
    "with the compatibility check (can the reader read what the writer "
    "writes?). A file that does not parse spoils only what reads it.",
    0,
    0,
    opts};

/* OWNER/REPO as GitHub names them: letters, digits, - _ and ., one slash,
 * never "." or "..", so the slug cannot walk the API's path elsewhere. */
static int is_github_slug(const char *s)
{
	const char *slash = strchr(s, '/');

	if (!slash || slash == s || !slash[1] || strchr(slash + 1, '/') ||
	    strstr(s, "..") || !strcmp(slash + 1, ".") || !strncmp(s, "./", 2))
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '-' || *s == '_' ||
		      *s == '.' || *s == '/'))
			return 0;
	return 1;
}

int cmd_diff(int argc, char **argv)
{
	struct ct_manifest *m = NULL;
	struct ct_source_opts so;
	struct ct_run run;
	struct ct_changes *all = NULL;
	struct ct_report report;
	struct ct_report_repo *rrepos = NULL;
	char **locations = NULL;
	struct ct_err err = CT_ERR_INIT;
	enum ct_severity threshold;
	size_t n = 0, cap = 0;
	int nargs, rc;

	manifest = output = output_dir = notify = github_issue =
	    workspace_repo = NULL;
	format = "text";
	fail_on = "breaking";
	offline = quiet = 0;
	contracts.n = repos.n = 0;
	if ((rc = ct_opt_parse(&cmd_diff_usage, argc, argv, &nargs)))
		return rc < 0 ? CT_EXIT_OK : rc;
	if ((rc = ct_cli_report_check(&threshold, fail_on, format, output,
				      output_dir)))
		return rc;
	if (github_issue && !is_github_slug(github_issue)) {
		ct_cli_error("--github-issue '%s' is not OWNER/REPO",
			     github_issue);
		return CT_EXIT_USAGE;
	}
	if ((rc = ct_cli_manifest(&m, manifest, &repos)))
		return rc;
	if (workspace_repo && ct_manifest_repo(m, workspace_repo) < 0) {
		ct_cli_error(
		    "--workspace-repo names '%s', not a repository of %s",
		    workspace_repo, m->path);
		ct_manifest_free(m);
		return CT_EXIT_USAGE;
	}
	for (int i = 0; i < contracts.n; i++) {
		if (ct_manifest_contract(m, contracts.v[i]) < 0) {
			ct_cli_error("unknown contract '%s' (see %s)",
				     contracts.v[i], m->path);
			ct_manifest_free(m);
			return CT_EXIT_USAGE;
		}
	}
	memset(&so, 0, sizeof(so));
	so.offline = offline;
	so.quiet = quiet;
	ct_run_init(&run, m, &so);
	for (size_t c = 0; c < m->ncontracts; c++) {
		int wanted = !contracts.n;
		for (int i = 0; i < contracts.n; i++)
			wanted |= !strcmp(contracts.v[i], m->contracts[c].name);
		if (wanted &&
		    (rc = ct_run_check(&run, c, &all, &n, &cap, &err))) {
			rc = ct_cli_fail(&err);
			goto done;
		}
	}
	{
		/* approvals in allow.json beside the manifest */
		struct ct_buf allow = CT_BUF_INIT;
		char today[11];
		char *version = NULL;
		int needs = 0;
		ct_allow_today(today);
		ct_buf_addf(&allow, "%s/allow.json", m->dir);
		/* the provider's version is read only if an approval needs it
		 */
		rc = ct_allow_needs_version(allow.ptr, &needs, &err);
		if (!rc && needs)
			rc = ct_run_provider_version(&version, &run, &err);
		if (!rc)
			rc = ct_allow_apply(allow.ptr, today, version, all, n,
					    &err);
		free(version);
		ct_buf_release(&allow);
		if (rc) {
			rc = ct_cli_fail(&err);
			goto done;
		}
	}
	/* reports are written before anything is delivered; they name the
	 * repositories (permalinks, SARIF provenance) */
	rrepos = ct_xcalloc(m->nrepos ? m->nrepos : 1, sizeof(*rrepos));
	locations = ct_xcalloc(m->nrepos ? m->nrepos : 1, sizeof(*locations));
	for (size_t i = 0; i < m->nrepos; i++) {
		rrepos[i].name = m->repos[i].name;
		rrepos[i].location = m->repos[i].location;
		if (!strstr(m->repos[i].location, "://")) {
			/* a folder (the manifest made it relative to itself):
			 * a file URI, as SARIF wants an absolute one */
			struct ct_buf p = CT_BUF_INIT;
			char *abs = realpath(m->repos[i].location, NULL);
			if (abs) {
				ct_buf_addf(&p, "file://%s", abs);
				free(abs);
				locations[i] = ct_buf_detach(&p, NULL);
				rrepos[i].location = locations[i];
			}
			ct_buf_release(&p);
		}
		rrepos[i].commit =
		    run.sources[i] ? ct_source_commit(run.sources[i]) : NULL;
	}
	ct_cli_report_init(&report, all, n, threshold, format,
			   output || output_dir);
	report.repos = rrepos;
	report.nrepos = m->nrepos;
	report.workspace_repo = workspace_repo;
	if (ct_report_emit(&report, format, output, output_dir, stdout, &err)) {
		rc = ct_cli_fail(&err);
		goto done;
	}
	rc = ct_report_failed(&report) ? CT_EXIT_DRIFT : CT_EXIT_OK;
	/* a comparison that could not be made is an input error, said last */
	if (ct_report_errors(&report, NULL))
		rc = CT_EXIT_USAGE;
	/* delivery comes last: the reports are already written */
	if ((notify && ct_report_notify(&report, notify, &err)) ||
	    (github_issue &&
	     ct_report_github_issue(&report, github_issue, &err)))
		rc = ct_cli_fail(&err);
done:
	for (size_t i = 0; i < n; i++)
		ct_changes_release(&all[i]);
	free(all);
	ct_cli_cache_note(&run);
	free(rrepos);
	for (size_t i = 0; locations && i < m->nrepos; i++)
		free(locations[i]);
	free(locations);
	ct_run_release(&run);
	ct_manifest_free(m);
	return rc;
}
