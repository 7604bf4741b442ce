#include "opt.h"

#include "contracts/err.h"
#include "contracts/manifest.h"
#include "contracts/report.h"

#include <stdlib.h>
#include <unistd.h>

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <string.h>

void ct_cli_error(const char *fmt, ...)
{
	char raw[1200], line[4 * sizeof(raw)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(raw, sizeof(raw), fmt, ap);
	va_end(ap);
	/* what it quotes came from the command line or a file */
	fprintf(stderr, "contracts: %s\n",
		ct_err_escape(line, sizeof(line), raw));
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
		if (strlen(left) >= 24)
			fprintf(out, "  %s\n%26s", left,
				""); /* too long a name */
		else
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
		} else if (eq || i + 1 < argc) {
			const char *v = eq ? eq + 1 : argv[++i];
			if (o->list) {
				if (o->list->n == 64) {
					ct_cli_error(
					    "option '--%s' given too often",
					    o->name);
					return CT_EXIT_USAGE;
				}
				o->list->v[o->list->n++] = v;
			} else {
				*o->value = v;
			}
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

int ct_cli_color(const char *formats, int to_file)
{
	const char *nc = getenv("NO_COLOR"), *term = getenv("TERM");

	return !to_file && !strcmp(formats, "text") && isatty(STDOUT_FILENO) &&
	       !(nc && *nc) && !(term && !strcmp(term, "dumb"));
}

int ct_cli_manifest(struct ct_manifest **out, const char *given,
		    const struct ct_optlist *repos)
{
	const char *env = getenv("CONTRACTS_MANIFEST");
	const char *path = given;
	struct ct_err err = CT_ERR_INIT;

	if (!path && env && *env)
		path = env;
	if (!path && !access("contracts/manifest.json", F_OK))
		path = "contracts/manifest.json";
	if (!path)
		path = CT_DATADIR "/contracts/manifest.json";
	if (ct_manifest_load(out, path, &err))
		return ct_cli_fail(&err);
	for (int i = 0; repos && i < repos->n; i++) {
		const char *eq = strchr(repos->v[i], '=');
		char name[256];
		long r;
		if (!eq || eq == repos->v[i] || !eq[1] ||
		    (size_t)(eq - repos->v[i]) >= sizeof(name)) {
			ct_cli_error("--repo '%s' is not NAME=SPEC",
				     repos->v[i]);
			goto fail;
		}
		memcpy(name, repos->v[i], (size_t)(eq - repos->v[i]));
		name[eq - repos->v[i]] = '\0';
		if ((r = ct_manifest_repo(*out, name)) < 0) {
			ct_cli_error(
			    "--repo names '%s', which the manifest %s does not list",
			    name, path);
			goto fail;
		}
		free((*out)->repos[r].spec);
		(*out)->repos[r].spec = strdup(eq + 1);
	}
	return 0;
fail:
	ct_manifest_free(*out);
	*out = NULL;
	return CT_EXIT_USAGE;
}

int ct_cli_size(size_t *out, const char *max)
{
	char *end;
	unsigned long long v;

	if (!max)
		return 0;
	errno = 0;
	/* digits only: strtoull would take " -1" as a huge size */
	v = *max >= '0' && *max <= '9' ? strtoull(max, &end, 10) : 0;
	if (!v || *end || errno || v > SIZE_MAX) {
		ct_cli_error(
		    "--max-file-size '%s' is not a positive number of bytes",
		    max);
		return CT_EXIT_USAGE;
	}
	*out = (size_t)v;
	return 0;
}

int ct_cli_report_check(enum ct_severity *threshold, const char *fail_on,
			const char *format, const char *output,
			const char *output_dir)
{
	struct ct_err err = CT_ERR_INIT;

	if (ct_severity_parse(threshold, fail_on)) {
		ct_cli_error(
		    "unknown --fail-on '%s' (breaking, warning, info or never)",
		    fail_on);
		return CT_EXIT_USAGE;
	}
	if (output && output_dir) {
		ct_cli_error(
		    "--output and --output-dir cannot be used together");
		return CT_EXIT_USAGE;
	}
	if (ct_report_check_formats(format, output_dir != NULL, &err))
		return ct_cli_fail(&err);
	return 0;
}

int ct_cli_report(struct ct_report *r, const struct ct_changes *changes,
		  size_t n, enum ct_severity fail_on, const char *format,
		  const char *output, const char *output_dir)
{
	struct ct_err err = CT_ERR_INIT;

	memset(r, 0, sizeof(*r));
	r->diffs = changes;
	r->n = n;
	r->fail_on = fail_on;
	r->color = ct_cli_color(format, output || output_dir);
	r->tool_version = CT_VERSION;
	if (ct_report_emit(r, format, output, output_dir, stdout, &err))
		return ct_cli_fail(&err);
	return ct_report_failed(r) ? CT_EXIT_DRIFT : CT_EXIT_OK;
}
