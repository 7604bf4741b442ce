/* cmds.h - the subcommands; each returns an exit code, never calls exit(). */
#ifndef CT_CLI_CMDS_H
#define CT_CLI_CMDS_H

#include "opt.h"

int cmd_compare(int argc, char **argv);
extern const struct ct_cmd_usage cmd_compare_usage;
int cmd_compat(int argc, char **argv);
extern const struct ct_cmd_usage cmd_compat_usage;

int cmd_py(int argc, char **argv);
extern const struct ct_cmd_usage cmd_py_usage;

int cmd_cat(int argc, char **argv);
extern const struct ct_cmd_usage cmd_cat_usage;
int cmd_ls(int argc, char **argv);
extern const struct ct_cmd_usage cmd_ls_usage;

int cmd_diff(int argc, char **argv);
extern const struct ct_cmd_usage cmd_diff_usage;
int cmd_pin(int argc, char **argv);
extern const struct ct_cmd_usage cmd_pin_usage;
int cmd_extract(int argc, char **argv);
extern const struct ct_cmd_usage cmd_extract_usage;

int cmd_validate(int argc, char **argv);
extern const struct ct_cmd_usage cmd_validate_usage;

int cmd_log(int argc, char **argv);
extern const struct ct_cmd_usage cmd_log_usage;
int cmd_cache(int argc, char **argv);
struct ct_run;
/* The cache's warning, and its counts when CONTRACTS_CACHE_STATS is set,
 * on stderr. */
void ct_cli_cache_note(const struct ct_run *run);
extern const struct ct_cmd_usage cmd_cache_usage;
int cmd_gate(int argc, char **argv);
extern const struct ct_cmd_usage cmd_gate_usage;

int cmd_allow(int argc, char **argv);
extern const struct ct_cmd_usage cmd_allow_usage;

/* The usage of the i-th command of main.c's table, NULL past its end. */
const struct ct_cmd_usage *ct_cli_command(size_t i);
/* contracts help --man [COMMAND] | --completion | --commands: manual
 * pages, bash completion and the command names, from the option tables
 * (argv[0] is "help"). */
int cmd_help(int argc, char **argv);

struct ct_source;
struct ct_source_opts;
/* Shared by the commands that read repositories. */
int ct_cli_source_opts(struct ct_source_opts *o, int offline, int quiet,
		       const char *max_size);
void ct_cli_describe_source(const struct ct_source *s);
/* With --offline, says on stderr how old the cached copy is. */
void ct_cli_note_offline(const struct ct_source *s, int offline);

#endif
