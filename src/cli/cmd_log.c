/* contracts log: the history of a contract, one side or the pair. */
#include "cmds.h"

#include "contracts/file.h"
#include "contracts/history.h"
#include "contracts/manifest.h"
#include "contracts/run.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *manifest, *contract, *side, *since, *format, *output,
    *severity;
static int pair, offline, quiet, no_cache;
static struct ct_optlist repos;

static const struct ct_opt opts[] = {
    {"manifest", "FILE", "the manifest (default as for diff)", &manifest, NULL,
     NULL},
    {"contract", "NAME", "only this contract", &contract, NULL, NULL},
    {"side", "REPO",
     "the repository whose history to walk (default: the provider)", &side,
     NULL, NULL},
    {"pair", NULL,
     "walk both repositories and print every drift interval between them", NULL,
     &pair, NULL},
    {"since", "DATE", "leave out commits before DATE (YYYY-MM-DD, UTC)", &since,
     NULL, NULL},
    {"severity", "S",
     "with --pair, the least severity of a finding to follow: info, warning "
     "or breaking (default warning)",
     &severity, NULL, NULL},
    {"format", "F", "text, json, markdown or svg (default text)", &format, NULL,
     NULL},
    {"output", "FILE", "write to FILE (replaced atomically) instead of stdout",
     &output, NULL, NULL},
    {"repo", "NAME=SPEC", "read repository NAME from SPEC instead (repeatable)",
     NULL, NULL, &repos},
    {"no-cache", NULL, "neither read nor fill the cache of facts", NULL,
     &no_cache, NULL},
    {"offline", NULL, "use cached clones as they are, never fetch", NULL,
     &offline, NULL},
    {"quiet", NULL, "no progress while cloning or fetching", NULL, &quiet,
     NULL},
    {NULL, NULL, NULL, NULL, NULL, NULL}};

const struct ct_cmd_usage cmd_log_usage = {
    "log",
    "[options] [RANGE]",
    "Print the history of the contracts: oldest first, each commit of one "
    "side's first-parent history (RANGE: A..B or a ref; default the ref the "
    "manifest names) at which an extracted contract changed, with its "
    "changes and, for a merge, the commit of the merged branch that "
    "introduced each. With --pair, walk both repositories and print each "
    "drift between them: which finding, which side moved first, when the "
    "other caught up (or that it is still open), and how long it lasted.",
    0,
    1,
    opts};

/* YYYY-MM-DD at 00:00 UTC, in seconds since the epoch. */
static int parse_date(long long *out, const char *s)
{
	int y, m, d;
	char end;
	long long days;

	if (sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &end) != 3 || m < 1 ||
	    m > 12 || d < 1 || d > 31 || y < 1970)
		return -1;
	/* days from the civil date (Howard Hinnant's algorithm) */
	y -= m <= 2;
	{
		long long era = y / 400, yoe = y - era * 400;
		long long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
		long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
		days = era * 146097 + doe - 719468;
	}
	*out = days * 86400;
	return 0;
}

int cmd_log(int argc, char **argv)
{
	struct ct_manifest *m = NULL;
	struct ct_source_opts so;
	struct ct_run run;
	struct ct_buf out = CT_BUF_INIT;
	struct ct_err err = CT_ERR_INIT;
	enum ct_severity min = CT_SEV_WARNING;
	long long from = 0;
	char key[41];
	int nargs, rc, have_key;

	manifest = contract = side = since = format = output = severity = NULL;
	pair = offline = quiet = no_cache = 0;
	repos.n = 0;
	if ((rc = ct_opt_parse(&cmd_log_usage, argc, argv, &nargs)))
		return rc < 0 ? CT_EXIT_OK : rc;
	if (since && parse_date(&from, since)) {
		ct_cli_error("bad date '%s' for --since (YYYY-MM-DD)", since);
		return CT_EXIT_USAGE;
	}
	if (severity &&
	    (ct_severity_parse(&min, severity) || min == CT_SEV_NEVER)) {
		ct_cli_error("bad severity '%s' (info, warning or breaking)",
			     severity);
		return CT_EXIT_USAGE;
	}
	if (pair && (side || nargs)) {
		ct_cli_error("--pair walks both histories: no --side or RANGE");
		return CT_EXIT_USAGE;
	}
	if (!format)
		format = "text";
	if (strcmp(format, "text") && strcmp(format, "json") &&
	    strcmp(format, "markdown") && strcmp(format, "svg")) {
		ct_cli_error("unknown format '%s' for log (text, json, "
			     "markdown or svg)",
			     format);
		return CT_EXIT_USAGE;
	}
	if ((rc = ct_cli_manifest(&m, manifest, &repos)))
		return rc;
	if (contract && ct_manifest_contract(m, contract) < 0) {
		ct_cli_error("unknown contract '%s' (see %s)", contract,
			     m->path);
		ct_manifest_free(m);
		return CT_EXIT_USAGE;
	}
	if (!side && !pair)
		for (size_t i = 0; i < m->nrepos && !side; i++)
			if (m->repos[i].role == CT_ROLE_PROVIDER)
				side = m->repos[i].name;
	memset(&so, 0, sizeof(so));
	so.offline = offline;
	so.quiet = quiet;
	ct_run_init_ex(&run, m, &so, no_cache);
	{
		struct ct_history_query q = {
		    pair, side, nargs ? argv[1] : NULL, contract, format,
		    from, min};
		have_key = !ct_history_key(key, &run, &q, &err);
		if (!have_key && err.code == CT_EUNREACHABLE) {
			rc = err.code;
			goto rendered;
		}
		memset(&err, 0, sizeof(err));
	}
	if (have_key && !ct_history_recall(&out, &run, key)) {
		rc = 0; /* this very history was walked before */
		have_key = 0;
	} else if (pair) {
		struct ct_drifts d;
		rc = ct_log_pair(&d, &run, contract, from, min, &err);
		if (!rc) {
			rc = ct_drifts_render(&out, &d, m, format, &err);
			ct_drifts_release(&d);
		}
	} else {
		struct ct_log log;
		struct ct_log_opts o = {side, nargs ? argv[1] : NULL, from,
					contract};
		rc = ct_log_side(&log, &run, &o, &err);
		if (!rc) {
			rc = ct_log_render(&out, &log, m, format, &err);
			ct_log_release(&log);
		}
	}
	if (!rc && have_key)
		ct_history_keep(&run, key, &out);
rendered:
	ct_cli_cache_note(&run);
	if (rc)
		rc = ct_cli_fail(&err);
	else if (output) {
		if (ct_file_write_atomic(output, out.ptr, out.len, &err))
			rc = ct_cli_fail(&err);
	} else if (fwrite(out.ptr, 1, out.len, stdout) != out.len) {
		rc = CT_EXIT_USAGE;
	}
	ct_buf_release(&out);
	ct_run_release(&run);
	ct_manifest_free(m);
	return rc;
}
