/*
 * opt.h - the option tables every subcommand declares. A table carries the
 * help text, so `--help`, `contracts help CMD` and the docs cannot disagree.
 */
#ifndef CT_CLI_OPT_H
#define CT_CLI_OPT_H

#include <stdio.h>

struct ct_opt {
	const char *name; /* long name without "--" */
	const char *arg;  /* placeholder of its value, NULL for a flag */
	const char *help;
	const char **value; /* set for an option with a value */
	int *flag;	    /* set to 1 for a flag */
};

struct ct_cmd_usage {
	const char *name;	   /* "compare" */
	const char *synopsis;	   /* "OLD.json NEW.json [options]" */
	const char *summary;	   /* one line */
	int min_args, max_args;	   /* positional arguments allowed */
	const struct ct_opt *opts; /* ends with a zeroed entry */
};

/* Parses argv[1..] (argv[0] is the subcommand name). Positional arguments
 * are gathered at the front of argv and counted in *nargs (argv[1..]).
 * Returns -1 when --help was printed (exit 0), CT_EXIT_USAGE after printing
 * an error, 0 otherwise. */
int ct_opt_parse(const struct ct_cmd_usage *u, int argc, char **argv,
		 int *nargs);

void ct_opt_help(FILE *out, const struct ct_cmd_usage *u);

/* Prints `contracts: MESSAGE` on stderr. */
#if defined(__GNUC__)
__attribute__((format(printf, 1, 2)))
#endif
void ct_cli_error(const char *fmt, ...);

struct ct_err;
/* Prints the error and returns its exit code. */
int ct_cli_fail(const struct ct_err *err);

#endif
