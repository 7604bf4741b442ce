/* contracts ls SPEC [GLOB]: the files of a repository at a ref. */
#include "cmds.h"

#include "contracts/source.h"

#include <stdio.h>

static int verbose, offline, quiet;
static const char *ca_file;

static const struct ct_opt opts[] = {
    {"offline", NULL, "use the cache as it is, never fetch", NULL, &offline,
     NULL},
    {"quiet", NULL, "no progress while cloning or fetching", NULL, &quiet,
     NULL},
    {"verbose", NULL, "print the resolved commit and its date on stderr", NULL,
     &verbose, NULL},
    {NULL, NULL, NULL, NULL, NULL, NULL}};

const struct ct_cmd_usage cmd_ls_usage = {
    "ls",
    "SPEC [GLOB] [options]",
    "List the files of a repository at a ref, or of a work tree, that match "
    "GLOB ('*' within a name, '**' across folders, '?' one character).",
    1,
    2,
    opts};

static int print(const char *path, void *data)
{
	(void)data;
	return puts(path) < 0;
}

int cmd_ls(int argc, char **argv)
{
	struct ct_source_opts o;
	struct ct_source *s = NULL;
	struct ct_err err = CT_ERR_INIT;
	int n, rc;

	verbose = offline = quiet = 0;
	ca_file = NULL;
	if ((rc = ct_opt_parse(&cmd_ls_usage, argc, argv, &n)))
		return rc < 0 ? CT_EXIT_OK : rc;
	if ((rc = ct_cli_source_opts(&o, offline, quiet, NULL)))
		return rc;
	o.ca_file = ca_file;
	if (ct_source_open(&s, argv[1], &o, &err)) {
		rc = ct_cli_fail(&err);
	} else {
		ct_cli_note_offline(s, offline);
		if (verbose)
			ct_cli_describe_source(s);
		rc = ct_source_list(s, n > 1 ? argv[2] : NULL, print, NULL,
				    &err);
		if (rc < 0)
			rc = ct_cli_fail(&err);
		else if (rc > 0)
			rc = CT_EXIT_USAGE;
	}
	ct_source_free(s);
	return rc;
}
