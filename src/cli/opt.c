#include "opt.h"

#include "contracts/err.h"

#include <stdarg.h>
#include <string.h>

void ct_cli_error(const char *fmt, ...)
{
	va_list ap;

	fputs("contracts: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int ct_cli_fail(const struct ct_err *err)
{
	char line[1200];

	ct_cli_error("%s", ct_err_format(line, sizeof(line), err));
	return ct_err_exit_code(err->code);
}

/* Prints `text` from column `indent`, wrapped at 79 columns. */
static void wrap(FILE *out, const char *text, int indent)
{
	int col = indent;

	while (*text) {
		int n = (int)strcspn(text, " ");
		if (col > indent && col + 1 + n > 79) {
			fprintf(out, "\n%*s", indent, "");
			col = indent;
		} else if (col > indent) {
			fputc(' ', out);
			col++;
		}
		fprintf(out, "%.*s", n, text);
		col += n;
		text += n;
		text += strspn(text, " ");
	}
	fputc('\n', out);
}

void ct_opt_help(FILE *out, const struct ct_cmd_usage *u)
{
	fprintf(out, "usage: contracts %s %s\n\n%s\n", u->name, u->synopsis,
		u->summary);
	if (!u->opts || !u->opts[0].name)
		return;
	fputs("\noptions:\n", out);
	for (const struct ct_opt *o = u->opts; o->name; o++) {
		char left[64];
		snprintf(left, sizeof(left), "--%s%s%s", o->name,
			 o->arg ? " " : "", o->arg ? o->arg : "");
		fprintf(out, "  %-24s", left);
		wrap(out, o->help, 26);
	}
}

static const struct ct_opt *find(const struct ct_cmd_usage *u, const char *name,
				 size_t len)
{
	for (const struct ct_opt *o = u->opts; o && o->name; o++)
		if (strlen(o->name) == len && !strncmp(o->name, name, len))
			return o;
	return NULL;
}

int ct_opt_parse(const struct ct_cmd_usage *u, int argc, char **argv,
		 int *nargs)
{
	int n = 0, only_args = 0;

	for (int i = 1; i < argc; i++) {
		char *a = argv[i];
		const struct ct_opt *o;
		const char *eq;

		if (only_args || a[0] != '-' || !strcmp(a, "-")) {
			argv[1 + n++] = a;
			continue;
		}
		if (!strcmp(a, "--")) {
			only_args = 1;
			continue;
		}
		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			ct_opt_help(stdout, u);
			return -1;
		}
		if (!strcmp(a, "-v") && find(u, "verbose", 7))
			a = (char *)"--verbose"; /* short forms of two flags */
		else if (!strcmp(a, "-q") && find(u, "quiet", 5))
			a = (char *)"--quiet";
		if (a[1] != '-') {
			ct_cli_error(
			    "unknown option '%s' for '%s' (see 'contracts help %s')",
			    a, u->name, u->name);
			return CT_EXIT_USAGE;
		}
		eq = strchr(a + 2, '=');
		o = find(u, a + 2, eq ? (size_t)(eq - a - 2) : strlen(a + 2));
		if (!o) {
			ct_cli_error(
			    "unknown option '%s' for '%s' (see 'contracts help %s')",
			    a, u->name, u->name);
			return CT_EXIT_USAGE;
		}
		if (!o->arg) {
			if (eq) {
				ct_cli_error("option '--%s' takes no value",
					     o->name);
				return CT_EXIT_USAGE;
			}
			*o->flag = 1;
		} else if (eq) {
			*o->value = eq + 1;
		} else if (i + 1 < argc) {
			*o->value = argv[++i];
		} else {
			ct_cli_error("option '--%s' needs a value %s", o->name,
				     o->arg);
			return CT_EXIT_USAGE;
		}
	}
	if (n < u->min_args || n > u->max_args) {
		ct_cli_error("'%s' takes %s; usage: contracts %s %s", u->name,
			     u->min_args == u->max_args && u->min_args == 2
				 ? "two arguments"
			     : u->max_args == 0 ? "no arguments"
						: "other arguments",
			     u->name, u->synopsis);
		return CT_EXIT_USAGE;
	}
	*nargs = n;
	return 0;
}
