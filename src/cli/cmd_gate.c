/* contracts gate: check the release rules before a tag ships. */
#include "cmds.h"

#include "contracts/gate.h"
#include "contracts/manifest.h"
#include "contracts/report.h"
#include "contracts/xalloc.h"

#include <stdlib.h>
#include <string.h>

static const char *manifest, *format, *output, *output_dir, *fail_on, *release,
    *workspace_repo, *tag;
static int offline, quiet;
static struct ct_optlist repos, indexes;

static const struct ct_opt opts[] = {
    {"manifest", "FILE", "the manifest (default as for diff)", &manifest, NULL,
     NULL},
    {"repo", "NAME=SPEC",
     "read repository NAME from SPEC instead, such as netbox-proxbox=. for a work tree (repeatable)",
     NULL, NULL, &repos},
    {"release", "NAME",
     "gate only this repository (default: each one with a release block)",
     &release, NULL, NULL},
    {"tag", "TAG",
     "the tag to be made (default: the tag pattern applied to the version); needs --release when two repositories are released",
     &tag, NULL, NULL},
    {"index", "URL",
     "a package index to ask instead of the release block's (repeatable; default https://test.pypi.org and https://pypi.org)",
     NULL, NULL, &indexes},
    CT_REPORT_OPTS(format, output, output_dir, fail_on),
    {"workspace-repo", "NAME",
     "the repository checked out in the CI workspace: github annotations name files only there",
     &workspace_repo, NULL, NULL},
    {"offline", NULL,
     "ask no package index (the report says so) and fetch no remote", NULL,
     &offline, NULL},
    {"quiet", NULL, "no progress while cloning or fetching", NULL, &quiet,
     NULL},
    {NULL, NULL, NULL, NULL, NULL, NULL}};

const struct ct_cmd_usage cmd_gate_usage = {
    "gate",
    "[--repo NAME=SPEC] [--release NAME] [--tag TAG] [--index URL]... "
    "[options]",
    "Check the release rules before a tag ships. For each repository with "
    "a release block: its version files and the tag hold one version; the "
    "version is above every earlier tag, on no package index, and the tag "
    "never moves; diff is clean at the pair released; the provider release "
    "the consumer pins is a tag whose contract is what the consumer "
    "mirrors. Passed rules are info, failed ones breaking.",
    0,
    0,
    opts};

int cmd_gate(int argc, char **argv)
{
	struct ct_manifest *m = NULL;
	struct ct_gate_opts go;
	struct ct_changes *all = NULL;
	struct ct_report report;
	struct ct_report_repo *rrepos = NULL;
	struct ct_err err = CT_ERR_INIT;
	enum ct_severity threshold;
	size_t n = 0, cap = 0;
	int nargs, rc;

	manifest = output = output_dir = release = tag = workspace_repo = NULL;
	format = "text";
	fail_on = "breaking";
	offline = quiet = 0;
	repos.n = indexes.n = 0;
	if ((rc = ct_opt_parse(&cmd_gate_usage, argc, argv, &nargs)))
		return rc < 0 ? CT_EXIT_OK : rc;
	if ((rc = ct_cli_report_check(&threshold, fail_on, format, output,
				      output_dir)))
		return rc;
	if (threshold == CT_SEV_INFO) {
		/* passed rules are info: every gate would fail */
		ct_cli_error("--fail-on info: passed rules are reported as "
			     "info; use breaking, warning or never");
		return CT_EXIT_USAGE;
	}
	for (int i = 0; i < indexes.n; i++) {
		if (strncmp(indexes.v[i], "https://", 8) &&
		    strncmp(indexes.v[i], "http://", 7)) {
			ct_cli_error("--index '%s' is not an http(s) URL",
				     indexes.v[i]);
			return CT_EXIT_USAGE;
		}
	}
	if ((rc = ct_cli_manifest(&m, manifest, &repos)))
		return rc;
	memset(&go, 0, sizeof(go));
	go.release = release;
	go.tag = tag;
	go.indexes = indexes.v;
	go.nindexes = (size_t)indexes.n;
	go.offline = offline;
	go.fail_on = threshold;
	go.source.offline = offline;
	go.source.all_tags = 1; /* the tag rules read every tag */
	go.source.quiet = quiet;
	if ((rc = ct_gate_run(&all, &n, &cap, m, &go, &err))) {
		rc = ct_cli_fail(&err);
		goto done;
	}
	ct_cli_report_init(&report, all, n, threshold, format,
			   output || output_dir);
	rrepos = ct_xcalloc(m->nrepos ? m->nrepos : 1, sizeof(*rrepos));
	for (size_t i = 0; i < m->nrepos; i++) {
		rrepos[i].name = m->repos[i].name;
		rrepos[i].location = m->repos[i].location;
	}
	report.repos = rrepos;
	report.nrepos = m->nrepos;
	report.workspace_repo = workspace_repo;
	if (ct_report_emit(&report, format, output, output_dir, stdout, &err))
		rc = ct_cli_fail(&err);
	else
		rc = ct_report_failed(&report) ? CT_EXIT_DRIFT : CT_EXIT_OK;
	if (rc <= CT_EXIT_DRIFT && ct_report_errors(&report, NULL))
		rc = CT_EXIT_USAGE;
done:
	free(rrepos);
	for (size_t i = 0; i < n; i++)
		ct_changes_release(&all[i]);
	free(all);
	ct_manifest_free(m);
	return rc;
}
