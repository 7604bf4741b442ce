/* contracts extract: print one side's document of one contract. */
#include "cmds.h"

#include "contracts/manifest.h"
#include "contracts/run.h"

#include <stdio.h>
#include <string.h>

static const char *manifest, *contract, *side;
static int offline, quiet;
static struct ct_optlist repos;

static const struct ct_opt opts[] = {
    {"manifest", "FILE", "the manifest (default as for diff)", &manifest, NULL,
     NULL},
    {"contract", "NAME", "the contract", &contract, NULL, NULL},
    {"side", "S",
     "the side: a repository name, or REPO:LABEL for a committed file", &side,
     NULL, NULL},
    {"repo", "NAME=SPEC", "read repository NAME from SPEC instead (repeatable)",
     NULL, NULL, &repos},
    {"offline", NULL, "use cached clones as they are, never fetch", NULL,
     &offline, NULL},
    {"quiet", NULL, "no progress while cloning or fetching", NULL, &quiet,
     NULL},
    {NULL, NULL, NULL, NULL, NULL, NULL}};

const struct ct_cmd_usage cmd_extract_usage = {
    "extract",
    "--contract NAME --side S [options]",
    "Print the contract document one side of a contract yields, canonical.",
    0,
    0,
    opts};

int cmd_extract(int argc, char **argv)
{
	struct ct_manifest *m = NULL;
	struct ct_source_opts so;
	struct ct_run run;
	struct ct_contract *doc = NULL;
	struct ct_buf out = CT_BUF_INIT;
	struct ct_err err = CT_ERR_INIT;
	long c;
	int nargs, rc;

	manifest = contract = side = NULL;
	offline = quiet = 0;
	repos.n = 0;
	if ((rc = ct_opt_parse(&cmd_extract_usage, argc, argv, &nargs)))
		return rc < 0 ? CT_EXIT_OK : rc;
	if (!contract || !side) {
		ct_cli_error("extract needs --contract NAME and --side S");
		return CT_EXIT_USAGE;
	}
	if ((rc = ct_cli_manifest(&m, manifest, &repos)))
		return rc;
	if ((c = ct_manifest_contract(m, contract)) < 0) {
		ct_cli_error("unknown contract '%s' (see %s)", contract,
			     m->path);
		ct_manifest_free(m);
		return CT_EXIT_USAGE;
	}
	memset(&so, 0, sizeof(so));
	so.offline = offline;
	so.quiet = quiet;
	ct_run_init(&run, m, &so);
	if (ct_run_extract(&doc, &run, (size_t)c, side, NULL, &err) ||
	    ct_contract_write(&out, doc, &err))
		rc = ct_cli_fail(&err);
	else if (fwrite(out.ptr, 1, out.len, stdout) != out.len)
		rc = CT_EXIT_USAGE;
	ct_contract_free(doc);
	ct_buf_release(&out);
	ct_cli_cache_note(&run);
	ct_run_release(&run);
	ct_manifest_free(m);
	return rc;
}
