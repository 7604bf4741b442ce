/* contracts: the command table, help and version; nothing else. */
#include "cmds.h"

#include "contracts/err.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

struct command {
	const struct ct_cmd_usage *usage;
	int (*fn)(int argc, char **argv);
};

static const struct command commands[] = {
    {&cmd_diff_usage, cmd_diff},	 {&cmd_pin_usage, cmd_pin},
    {&cmd_extract_usage, cmd_extract},	 {&cmd_allow_usage, cmd_allow},
    {&cmd_compare_usage, cmd_compare},	 {&cmd_compat_usage, cmd_compat},
    {&cmd_validate_usage, cmd_validate}, {&cmd_py_usage, cmd_py},
    {&cmd_cat_usage, cmd_cat},		 {&cmd_ls_usage, cmd_ls},
    {&cmd_log_usage, cmd_log},		 {&cmd_cache_usage, cmd_cache},
    {&cmd_gate_usage, cmd_gate},
};

#define NCOMMANDS (sizeof(commands) / sizeof(*commands))

const struct ct_cmd_usage *ct_cli_command(size_t i)
{
	return i < NCOMMANDS ? commands[i].usage : NULL;
}

/* The length of the first sentence of a summary, for the command list. */
static int first_sentence(const char *s)
{
	const char *dot = strstr(s, ". ");

	return dot ? (int)(dot - s + 1) : (int)strlen(s);
}

static void usage(FILE *out)
{
	fputs(
	    "usage: contracts [--version] [--help] COMMAND [ARGS]\n\n"
	    "Keep two repositories that talk over HTTP honest with each other.\n\n"
	    "commands:\n",
	    out);
	for (size_t i = 0; i < NCOMMANDS; i++)
		fprintf(out, "  %-10s %.*s\n", commands[i].usage->name,
			first_sentence(commands[i].usage->summary),
			commands[i].usage->summary);
	fputs(
	    "  help       show the help of a command\n\n"
	    "exit codes: 0 clean, 1 drift at or above --fail-on, 2 usage or input\n"
	    "error, 3 a source could not be reached.\n",
	    out);
}

static const struct command *find(const char *name)
{
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (!strcmp(commands[i].usage->name, name))
			return &commands[i];
	return NULL;
}

static int run(int argc, char **argv)
{
	const struct command *cmd;

	if (argc < 2) {
		usage(stderr);
		return CT_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(stdout);
		return CT_EXIT_OK;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("contracts %s\n", CT_VERSION);
		return CT_EXIT_OK;
	}
	if (!strcmp(argv[1], "help")) {
		if (argc == 2) {
			usage(stdout);
			return CT_EXIT_OK;
		}
		if (argv[2][0] == '-') /* --man, --completion */
			return cmd_help(argc - 1, argv + 1);
		if (!(cmd = find(argv[2]))) {
			ct_cli_error(
			    "unknown command '%s' (see 'contracts --help')",
			    argv[2]);
			return CT_EXIT_USAGE;
		}
		ct_opt_help(stdout, cmd->usage);
		return CT_EXIT_OK;
	}
	if (!(cmd = find(argv[1]))) {
		ct_cli_error("unknown command '%s' (see 'contracts --help')",
			     argv[1]);
		return CT_EXIT_USAGE;
	}
	return cmd->fn(argc - 1, argv + 1);
}

int main(int argc, char **argv)
{
	int rc = run(argc, argv);

	/* a report lost to a full disk or a closed pipe is an error */
	if (fflush(stdout) || ferror(stdout)) {
		ct_cli_error("cannot write to standard output: %s",
			     strerror(errno));
		rc = CT_EXIT_USAGE;
	}
	return rc;
}
