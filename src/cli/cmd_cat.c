/* contracts cat SPEC PATH: one file's bytes at a spec, for debugging. */
#include "cmds.h"

#include "contracts/source.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int verbose, offline, quiet;
static const char *ca_file;
static const char *max_size;

static const struct ct_opt opts[] = {
    {"offline", NULL, "use the cache as it is, never fetch", NULL, &offline,
     NULL},
    {"quiet", NULL, "no progress while cloning or fetching", NULL, &quiet,
     NULL},
    {"max-file-size", "BYTES",
     "refuse files larger than BYTES (default 16777216)", &max_size, NULL,
     NULL},
    {"verbose", NULL, "print the resolved commit and its date on stderr", NULL,
     &verbose, NULL},
    {NULL, NULL, NULL, NULL, NULL, NULL}};

const struct ct_cmd_usage cmd_cat_usage = {
    "cat",
    "SPEC PATH [options]",
    "Print one file of a repository at a ref, or of a work tree. SPEC is "
    "LOCATION[@REF]: a URL or a local path, and a branch, tag, commit or "
    "WORKTREE.",
    2,
    2,
    opts};

int ct_cli_source_opts(struct ct_source_opts *o, int off, int q,
		       const char *max)
{
	memset(o, 0, sizeof(*o));
	o->offline = off;
	o->quiet = q;
	return ct_cli_size(&o->max_file_size, max);
}

void ct_cli_describe_source(const struct ct_source *s)
{
	const char *commit = ct_source_commit(s);

	if (!commit) {
		fprintf(stderr,
			"contracts: %s: the work tree as it is on disk\n",
			ct_source_location(s));
		return;
	}
	{
		time_t t = (time_t)ct_source_commit_time(s);
		char when[64];
		strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S UTC",
			 gmtime(&t));
		fprintf(stderr, "contracts: %s at %s: commit %s of %s\n",
			ct_source_location(s),
			ct_source_ref(s) ? ct_source_ref(s)
					 : "its default branch",
			commit, when);
	}
}

void ct_cli_note_offline(const struct ct_source *s, int is_offline)
{
	long long at = ct_source_fetched_at(s);
	long long age;

	if (!is_offline || !at)
		return;
	age = (long long)time(NULL) - at;
	if (age < 120)
		fprintf(
		    stderr,
		    "contracts: offline: the cached copy of %s was fetched %lld seconds ago\n",
		    ct_source_location(s), age);
	else if (age < 2 * 3600)
		fprintf(
		    stderr,
		    "contracts: offline: the cached copy of %s was fetched %lld minutes ago\n",
		    ct_source_location(s), age / 60);
	else
		fprintf(
		    stderr,
		    "contracts: offline: the cached copy of %s was fetched %lld hours ago\n",
		    ct_source_location(s), age / 3600);
}

int cmd_cat(int argc, char **argv)
{
	struct ct_source_opts o;
	struct ct_source *s = NULL;
	struct ct_buf out = CT_BUF_INIT;
	struct ct_err err = CT_ERR_INIT;
	int n, rc;

	verbose = offline = quiet = 0;
	ca_file = NULL;
	max_size = NULL;
	if ((rc = ct_opt_parse(&cmd_cat_usage, argc, argv, &n)))
		return rc < 0 ? CT_EXIT_OK : rc;
	if ((rc = ct_cli_source_opts(&o, offline, quiet, max_size)))
		return rc;
	o.ca_file = ca_file;
	if (ct_source_open(&s, argv[1], &o, &err) ||
	    (ct_cli_note_offline(s, offline), 0) ||
	    (verbose && (ct_cli_describe_source(s), 0)) ||
	    ct_source_read(s, argv[2], &out, &err)) {
		rc = ct_cli_fail(&err);
	} else if (fwrite(out.ptr, 1, out.len, stdout) != out.len) {
		rc = CT_EXIT_USAGE;
	}
	ct_buf_release(&out);
	ct_source_free(s);
	return rc;
}
