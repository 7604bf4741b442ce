/* contracts help --man [COMMAND], help --completion, help --commands (one
 * name a line, after checking every option table's letters): the manual
 * pages and the bash completion, written from the same option tables as
 * --help, so none of them can disagree with the binary. The build runs
 * them (cmake/gendocs.cmake); they are hidden from the command list. */
#include "cmds.h"

#include "contracts/err.h"

#include <string.h>

/* Writes `s` as roff text: backslashes doubled, '-' as \-, and a line that
 * would open with '.' or '\'' guarded. */
static void roff(FILE *out, const char *s)
{
	if (*s == '.' || *s == '\'')
		fputs("\\&", out);
	for (; *s; s++) {
		if (*s == '\\')
			fputs("\\e", out);
		else if (*s == '-')
			fputs("\\-", out);
		else
			fputc(*s, out);
	}
}

/* The first sentence of a summary, without its period, for NAME lines. */
static void first_sentence(FILE *out, const char *s)
{
	const char *dot = strstr(s, ". ");
	size_t n = dot ? (size_t)(dot - s) : strlen(s);
	char line[512];

	if (n && s[n - 1] == '.')
		n--;
	if (n >= sizeof(line))
		n = sizeof(line) - 1;
	memcpy(line, s, n);
	line[n] = '\0';
	if (line[0] >= 'A' && line[0] <= 'Z')
		line[0] = (char)(line[0] - 'A' + 'a');
	roff(out, line);
}

static void exit_status(FILE *out)
{
	fputs(".SH EXIT STATUS\n"
	      ".TP\n.B 0\nclean: nothing at or above \\-\\-fail\\-on.\n"
	      ".TP\n.B 1\ndrift at or above \\-\\-fail\\-on (default "
	      "breaking).\n"
	      ".TP\n.B 2\nusage or input error.\n"
	      ".TP\n.B 3\na source could not be reached.\n",
	      out);
}

static void title(FILE *out, const char *name)
{
	fputs(".TH ", out);
	for (const char *p = name; *p; p++)
		fputc(*p >= 'a' && *p <= 'z' ? *p - 'a' + 'A' : *p, out);
	fprintf(out, " 1 \"\" \"contracts %s\" \"User Commands\"\n",
		CT_VERSION);
}

static void man_command(FILE *out, const struct ct_cmd_usage *u)
{
	char name[128];

	snprintf(name, sizeof(name), "contracts-%s", u->name);
	title(out, name);
	fputs(".SH NAME\n", out);
	roff(out, name);
	fputs(" \\- ", out);
	first_sentence(out, u->summary);
	fprintf(out, "\n.SH SYNOPSIS\n.B contracts %s\n", u->name);
	roff(out, u->synopsis);
	fputs("\n.SH DESCRIPTION\n", out);
	roff(out, u->summary);
	fputs("\n.SH OPTIONS\n", out);
	for (const struct ct_opt *o = u->opts; o && o->name; o++) {
		int c = ct_opt_letter(o);
		fputs(".TP\n", out);
		if (c)
			fprintf(out, "\\fB\\-%c\\fR, ", c);
		fputs("\\fB\\-\\-", out);
		roff(out, o->name);
		fputs("\\fR", out);
		if (o->arg) {
			fputs(" \\fI", out);
			roff(out, o->arg);
			fputs("\\fR", out);
		}
		fputc('\n', out);
		roff(out, o->help);
		fputc('\n', out);
	}
	fputs(".TP\n\\fB\\-h\\fR, \\fB\\-\\-help\\fR\nshow this help.\n", out);
	exit_status(out);
	fputs(".SH SEE ALSO\n.BR contracts (1)\n", out);
}

static void man_contracts(FILE *out)
{
	const struct ct_cmd_usage *u;

	title(out, "contracts");
	fputs(".SH NAME\ncontracts \\- keep two repositories that talk over "
	      "HTTP honest with each other\n"
	      ".SH SYNOPSIS\n.B contracts\n.RB [ \\-\\-version ]\n"
	      ".RB [ \\-\\-help ]\n.I command\n.RI [ args ]\n"
	      ".SH DESCRIPTION\n.B contracts\nextracts the REST and SSE "
	      "contract that a provider and a consumer repository share, "
	      "compares it with pinned contract documents, and reports every "
	      "drift with the file and line that caused it.\n"
	      "Each command has its own page, "
	      ".BR contracts\\-COMMAND (1),\nand shows the same with\n"
	      ".BR \"contracts help\" \" COMMAND\".\n"
	      "Where a command reads a file, \\- is standard input; \\-\\- "
	      "ends the options.\n"
	      ".SH COMMANDS\n",
	      out);
	for (size_t i = 0; (u = ct_cli_command(i)); i++) {
		fprintf(out, ".TP\n.BR contracts\\-%s (1)\n", u->name);
		roff(out, u->summary);
		fputc('\n', out);
	}
	exit_status(out);
	fputs(
	    ".SH ENVIRONMENT\n"
	    ".TP\n.B CONTRACTS_MANIFEST\nthe manifest when no \\-\\-manifest "
	    "is given.\n"
	    ".TP\n.B CONTRACTS_DATA\na folder holding manifest.json, tried "
	    "after contracts/manifest.json here and the installed one.\n"
	    ".TP\n.B CONTRACTS_CACHE_DIR\nwhere remotes are cached (else "
	    "$XDG_CACHE_HOME/contracts, else ~/.cache/contracts).\n"
	    ".TP\n.BR CONTRACTS_GIT_TOKEN \", \" GITHUB_TOKEN\nan HTTPS token "
	    "for git remotes; GITHUB_TOKEN also for \\-\\-github\\-issue.\n"
	    ".TP\n.B CONTRACTS_TODAY\nthe date approvals are checked "
	    "against (YYYY\\-MM\\-DD), for reproducible runs.\n"
	    ".TP\n.B NO_COLOR\nwhen set and not empty, the text report has "
	    "no colour.\n"
	    ".SH FILES\n"
	    ".TP\n.I PREFIX/share/contracts/manifest.json\nthe installed "
	    "manifest, found beside the executable "
	    "(PREFIX/bin/contracts), wherever it was installed.\n"
	    ".TP\n.I PREFIX/share/contracts/contract.schema.json\nthe JSON "
	    "Schema of contract documents.\n"
	    ".TP\n.I allow.json\napproved changes, beside the manifest.\n"
	    ".SH SEE ALSO\n",
	    out);
	for (size_t i = 0; (u = ct_cli_command(i)); i++)
		fprintf(out, "%s.BR contracts\\-%s (1)", i ? ",\n" : "",
			u->name);
	fputc('\n', out);
}

/* Words for compgen, one string per command. */
static void completion(FILE *out)
{
	const struct ct_cmd_usage *u;

	fputs("# bash completion for contracts, written by 'contracts help "
	      "--completion'\n# from the option tables of the binary.\n"
	      "_contracts() {\n"
	      "\tlocal cur=${COMP_WORDS[COMP_CWORD]} "
	      "prev=${COMP_WORDS[COMP_CWORD-1]}\n"
	      "\tlocal opts='' files='' dirs='' values=''\n"
	      "\tCOMPREPLY=()\n"
	      "\tif [ \"$COMP_CWORD\" -eq 1 ]; then\n"
	      "\t\tCOMPREPLY=($(compgen -W '--help --version help",
	      out);
	for (size_t i = 0; (u = ct_cli_command(i)); i++)
		fprintf(out, " %s", u->name);
	fputs("' -- \"$cur\"))\n\t\treturn\n\tfi\n\tcase ${COMP_WORDS[1]} in\n"
	      "\thelp)\n\t\t[ \"$COMP_CWORD\" -eq 2 ] && COMPREPLY=($(compgen "
	      "-W '",
	      out);
	for (size_t i = 0; (u = ct_cli_command(i)); i++)
		fprintf(out, "%s%s", i ? " " : "", u->name);
	fputs("' -- \"$cur\"))\n\t\treturn ;;\n", out);
	for (size_t i = 0; (u = ct_cli_command(i)); i++) {
		/* options; those whose value is a file, a folder, or other */
		const char *kind[] = {"opts", "files", "dirs", "values"};
		fprintf(out, "\t%s)\n", u->name);
		for (int k = 0; k < 4; k++) {
			fprintf(out, "\t\t%s='", kind[k]);
			for (const struct ct_opt *o = u->opts; o && o->name;
			     o++) {
				int c = ct_opt_letter(o);
				int is = !o->arg		   ? 0
					 : !strcmp(o->arg, "FILE") ? 1
					 : !strcmp(o->arg, "DIR")  ? 2
								   : 3;
				if (k && is != k)
					continue;
				fprintf(out, "--%s ", o->name);
				if (c)
					fprintf(out, "-%c ", c);
			}
			fputs(k ? "'\n" : "-h --help'\n", out);
		}
		fputs("\t\t;;\n", out);
	}
	fputs("\t*) return ;;\n\tesac\n"
	      "\tcase \" $files \" in *\" $prev \"*)\n"
	      "\t\tCOMPREPLY=($(compgen -f -- \"$cur\")); return ;;\n\tesac\n"
	      "\tcase \" $dirs \" in *\" $prev \"*)\n"
	      "\t\tCOMPREPLY=($(compgen -d -- \"$cur\")); return ;;\n\tesac\n"
	      "\tcase \" $values \" in *\" $prev \"*) return ;; esac\n"
	      "\tcase $cur in\n"
	      "\t-*) COMPREPLY=($(compgen -W \"$opts\" -- \"$cur\")) ;;\n"
	      "\t*) COMPREPLY=($(compgen -f -- \"$cur\")) ;;\n"
	      "\tesac\n}\n"
	      "complete -o filenames -F _contracts contracts\n",
	      out);
}

int cmd_help(int argc, char **argv)
{
	const struct ct_cmd_usage *u;

	if (argc == 2 && !strcmp(argv[1], "--completion")) {
		completion(stdout);
		return CT_EXIT_OK;
	}
	if (argc == 2 && !strcmp(argv[1], "--commands")) {
		for (size_t i = 0; (u = ct_cli_command(i)); i++)
			if (ct_opt_check(u))
				return CT_EXIT_USAGE;
		for (size_t i = 0; (u = ct_cli_command(i)); i++)
			puts(u->name);
		return CT_EXIT_OK;
	}
	if (argc == 2 && !strcmp(argv[1], "--man")) {
		man_contracts(stdout);
		return CT_EXIT_OK;
	}
	if (argc == 3 && !strcmp(argv[1], "--man")) {
		for (size_t i = 0; (u = ct_cli_command(i)); i++) {
			if (!strcmp(u->name, argv[2])) {
				man_command(stdout, u);
				return CT_EXIT_OK;
			}
		}
		ct_cli_error("unknown command '%s' (see 'contracts --help')",
			     argv[2]);
		return CT_EXIT_USAGE;
	}
	ct_cli_error("usage: contracts help [COMMAND | --man [COMMAND] | "
		     "--completion | --commands]");
	return CT_EXIT_USAGE;
}
