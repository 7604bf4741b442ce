/*
 * opt.h - the option tables every subcommand declares. A table carries the
 * help text, so `--help`, `contracts help CMD` and the docs cannot disagree.
 */
#ifndef CT_CLI_OPT_H
#define CT_CLI_OPT_H

#include <stdio.h>

#include "contracts/diff.h"

/* The values of an option that may be given more than once. */
struct ct_optlist {
	const char *v[64];
	int n;
};

struct ct_opt {
	const char *name; /* long name without "--" */
	const char *arg;  /* placeholder of its value, NULL for a flag */
	const char *help;
	const char **value;	 /* set for an option with a value */
	int *flag;		 /* set to 1 for a flag */
	struct ct_optlist *list; /* gathers a repeatable option's values */
	/* New fields go below, never above: tables are initialised
	 * positionally, and a row that leaves them out gets zeroes. */
	int letter; /* short option ('m' for -m), 0: the common letter of its
		       name (ct_opt_letter), if any */
};

/* The short letter of an option: its own, else the letter every command
 * gives that name (-m manifest, -f format, -o output, -c contract, -r
 * repo, -q quiet, -v verbose), else 0. -h is always --help. */
int ct_opt_letter(const struct ct_opt *o);

struct ct_cmd_usage;
/* 0 when no two options of `u` share a short letter and none takes -h;
 * else prints which and returns -1 (the build's page generation runs it
 * over every command, so such a table never ships). */
int ct_opt_check(const struct ct_cmd_usage *u);

/* The options of every command that writes a report, bound to its
 * variables (checked with ct_cli_report_check, used by ct_cli_report). */
#define CT_REPORT_OPTS(format, output, output_dir, fail_on)                     \
	{"format",                                                              \
	 "F",                                                                   \
	 "text, json, markdown, junit, github or sarif; a comma list with "     \
	 "--output-dir (default text)",                                         \
	 &(format),                                                             \
	 NULL,                                                                  \
	 NULL},                                                                 \
	    {"output",                                                          \
	     "FILE",                                                            \
	     "write the report to FILE (replaced atomically) instead of "       \
	     "stdout",                                                          \
	     &(output),                                                         \
	     NULL,                                                              \
	     NULL},                                                             \
	    {"output-dir",  "DIR", "write report.EXT for each format into DIR", \
	     &(output_dir), NULL,  NULL},                                       \
	{                                                                       \
		"fail-on", "S",                                                 \
		    "exit 1 when a finding is at or above S: breaking, "        \
		    "warning, info or never (default breaking)",                \
		    &(fail_on), NULL, NULL                                      \
	}

struct ct_cmd_usage {
	const char *name;	   /* "compare" */
	const char *synopsis;	   /* "OLD.json NEW.json [options]" */
	const char *summary;	   /* one line */
	int min_args, max_args;	   /* positional arguments allowed */
	const struct ct_opt *opts; /* ends with a zeroed entry */
};

/* Parses argv[1..] (argv[0] is the subcommand name) with getopt_long(3):
 * --name, --name=VALUE, -x, -xVALUE and clustered flags, in any order with
 * the arguments; "--" ends the options; "-" is an argument; names are
 * whole (no abbreviations). Positional arguments are gathered, in order,
 * at the front of argv and counted in *nargs (argv[1..]). Returns -1 when
 * --help was printed (exit 0), CT_EXIT_USAGE after printing an error, 0
 * otherwise. */
int ct_opt_parse(const struct ct_cmd_usage *u, int argc, char **argv,
		 int *nargs);

void ct_opt_help(FILE *out, const struct ct_cmd_usage *u);

struct ct_buf;
struct ct_err;
/* Appends the file at `path` to `out`, or standard input when `path` is
 * "-" (named "<stdin>" in errors); more than `max` bytes (0: the default
 * limit) is CT_ETOOBIG. */
int ct_cli_read(struct ct_buf *out, const char *path, size_t max,
		struct ct_err *err);

struct ct_contract;
/* ct_contract_load(), reading standard input for "-". */
int ct_cli_contract(struct ct_contract **out, const char *path, size_t max,
		    struct ct_err *err);

/* Refuses a second "-" among argv[1..n]: standard input is read once.
 * Returns 0 or the usage exit code (printed). */
int ct_cli_one_stdin(int n, char **argv);

/* Prints `contracts: MESSAGE` on stderr. */
#if defined(__GNUC__)
__attribute__((format(printf, 1, 2)))
#endif
void ct_cli_error(const char *fmt, ...);

struct ct_err;
/* Prints the error and returns its exit code. */
int ct_cli_fail(const struct ct_err *err);

/* Whether the text report may use colour: a terminal, no NO_COLOR. */
int ct_cli_color(const char *formats, int to_file);

/* Appends the folder of the installed data, PREFIX/share/contracts for the
 * executable PREFIX/bin/contracts: found from /proc/self/exe and the
 * relative path CT_BIN_TO_DATA between the two install folders, never a
 * prefix fixed when building. Returns -1 when the executable cannot be
 * found. */
int ct_cli_data_dir(struct ct_buf *out);

struct ct_manifest;
/* Finds and loads the manifest (--manifest, $CONTRACTS_MANIFEST,
 * contracts/manifest.json here, the installed one beside the executable,
 * $CONTRACTS_DATA/manifest.json) and applies --repo NAME=SPEC overrides.
 * Prints any error (a missing manifest lists every place tried); returns
 * an exit code. */
int ct_cli_manifest(struct ct_manifest **out, const char *given,
		    const struct ct_optlist *repos);

struct ct_report;
struct ct_changes;
/* Checks --fail-on, --format, --output and --output-dir together and sets
 * the threshold. Returns 0, or the exit code of the error (printed). */
/* Parses --max-file-size: 0 with *out set (unchanged when `max` is NULL),
 * or the usage exit code after saying why. */
int ct_cli_size(size_t *out, const char *max);

int ct_cli_report_check(enum ct_severity *threshold, const char *fail_on,
			const char *format, const char *output,
			const char *output_dir);

/* Fills `r` for the changes as every command that reports does (the
 * rest of it zero): colour only for a terminal, the tool's version. */
void ct_cli_report_init(struct ct_report *r, const struct ct_changes *changes,
			size_t n, enum ct_severity fail_on, const char *format,
			int to_file);

/* Fills `r` for the changes and writes it where --format, --output and
 * --output-dir say. Returns the exit code: 0, 1 for drift at or above
 * `fail_on`, or an error's (printed). */
int ct_cli_report(struct ct_report *r, const struct ct_changes *changes,
		  size_t n, enum ct_severity fail_on, const char *format,
		  const char *output, const char *output_dir);

#endif
