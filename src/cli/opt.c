#include "opt.h"

#include "contracts/buf.h"
#include "contracts/contract.h"
#include "contracts/err.h"
#include "contracts/file.h"
#include "contracts/manifest.h"
#include "contracts/report.h"
#include "contracts/xalloc.h"

#include <stdlib.h>
#include <unistd.h>

#include <errno.h>
#include <getopt.h>
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

/* The letters of the options most commands share, so -m is --manifest
 * wherever there is a manifest. */
static const struct {
	const char *name;
	int letter;
} common[] = {
    {"manifest", 'm'}, {"format", 'f'}, {"output", 'o'},  {"contract", 'c'},
    {"repo", 'r'},     {"quiet", 'q'},	{"verbose", 'v'},
};

int ct_opt_letter(const struct ct_opt *o)
{
	if (o->letter)
		return o->letter;
	for (size_t i = 0; i < sizeof(common) / sizeof(*common); i++)
		if (!strcmp(o->name, common[i].name))
			return common[i].letter;
	return 0;
}

int ct_opt_check(const struct ct_cmd_usage *u)
{
	for (const struct ct_opt *o = u->opts; o && o->name; o++) {
		int c = ct_opt_letter(o);
		if (c == 'h') {
			ct_cli_error("option '--%s' of '%s' takes -h, which is "
				     "--help's",
				     o->name, u->name);
			return -1;
		}
		for (const struct ct_opt *p = u->opts; c && p != o; p++) {
			if (ct_opt_letter(p) == c) {
				ct_cli_error("options '--%s' and '--%s' of "
					     "'%s' share the letter -%c",
					     p->name, o->name, u->name, c);
				return -1;
			}
		}
	}
	return 0;
}

void ct_opt_help(FILE *out, const struct ct_cmd_usage *u)
{
	fprintf(out, "usage: contracts %s %s\n\n%s\n", u->name, u->synopsis,
		u->summary);
	fputs("\noptions:\n", out);
	for (const struct ct_opt *o = u->opts; o && o->name; o++) {
		char left[64];
		int c = ct_opt_letter(o);
		snprintf(left, sizeof(left), "%c%c%c --%s%s%s", c ? '-' : ' ',
			 c ? c : ' ', c ? ',' : ' ', o->name, o->arg ? " " : "",
			 o->arg ? o->arg : "");
		if (strlen(left) >= 24)
			fprintf(out, "  %s\n%26s", left,
				""); /* too long a name */
		else
			fprintf(out, "  %-24s", left);
		wrap(out, o->help, 26);
	}
	fprintf(out, "  %-24s", "-h, --help");
	wrap(out, "show this help", 26);
}

static const struct ct_opt *find(const struct ct_cmd_usage *u, const char *name,
				 size_t len)
{
	for (const struct ct_opt *o = u->opts; o && o->name; o++)
		if (strlen(o->name) == len && !strncmp(o->name, name, len))
			return o;
	return NULL;
}

/* getopt_long would take "--form" for "--format": an abbreviation that a
 * later option makes ambiguous breaks scripts, so names are whole. */
static int check_long_names(const struct ct_cmd_usage *u, int argc, char **argv)
{
	for (int i = 1; i < argc && strcmp(argv[i], "--"); i++) {
		const char *a = argv[i], *eq;
		const struct ct_opt *o;
		size_t len;
		if (a[0] != '-' || !a[1])
			continue;
		if (a[1] != '-') {
			/* -fjson holds its value; -f json takes the next */
			for (const char *p = a + 1; *p; p++) {
				for (o = u->opts; o && o->name; o++)
					if (ct_opt_letter(o) == *p)
						break;
				if (o && o->name && o->arg) {
					i += !p[1];
					break;
				}
			}
			continue;
		}
		eq = strchr(a + 2, '=');
		len = eq ? (size_t)(eq - a - 2) : strlen(a + 2);
		if (len == 4 && !strncmp(a + 2, "help", 4))
			continue;
		if (!(o = find(u, a + 2, len))) {
			ct_cli_error(
			    "unknown option '%.*s' for '%s' (see 'contracts help %s')",
			    (int)len + 2, a, u->name, u->name);
			return CT_EXIT_USAGE;
		}
		if (o->arg && !eq)
			i++;
	}
	return 0;
}

#define LONG_ONLY 256 /* getopt_long's value of an option without a letter */
#define HELP_VALUE 'h'

int ct_opt_parse(const struct ct_cmd_usage *u, int argc, char **argv,
		 int *nargs)
{
	struct option *longs;
	char **args; /* the arguments, in order */
	const struct ct_opt *known = NULL;
	struct ct_buf shorts = CT_BUF_INIT;
	size_t nopts = 0;
	int n = 0, c, idx, rc = 0;

	if ((rc = check_long_names(u, argc, argv)))
		return rc;
	while (u->opts && u->opts[nopts].name)
		nopts++;
	longs = ct_xcalloc(nopts + 2, sizeof(*longs));
	args = ct_xcalloc((size_t)argc, sizeof(*args));
	/* '-': arguments come back in order as option 1, whatever
	 * POSIXLY_CORRECT says, so options may follow them; ':' tells a
	 * missing value from an unknown option */
	ct_buf_adds(&shorts, "-:h");
	for (size_t i = 0; i < nopts; i++) {
		const struct ct_opt *o = &u->opts[i];
		int letter = ct_opt_letter(o);
		longs[i].name = o->name;
		longs[i].has_arg = o->arg ? required_argument : no_argument;
		longs[i].val = letter ? letter : LONG_ONLY + (int)i;
		if (!letter)
			continue;
		if (strchr(shorts.ptr, letter))
			CT_BUG("two options of one command share a letter");
		ct_buf_addch(&shorts, (char)letter);
		if (o->arg)
			ct_buf_addch(&shorts, ':');
	}
	longs[nopts].name = "help";
	longs[nopts].val = HELP_VALUE;

	opterr = 0;
	optind = 0; /* glibc: start afresh, whoever parsed before */
	while ((c = getopt_long(argc, argv, shorts.ptr, longs, &idx)) != -1) {
		const struct ct_opt *o = NULL;
		if (c == 1) {
			args[n++] = optarg;
			continue;
		}
		if (c == HELP_VALUE) {
			ct_opt_help(stdout, u);
			rc = -1;
			goto done;
		}
		if (c == ':' || c == '?') {
			rc = CT_EXIT_USAGE;
			goto refused;
		}
		for (size_t i = 0; i < nopts; i++)
			if (longs[i].val == c)
				o = &u->opts[i];
		if (!o)
			CT_BUG(
			    "getopt_long returned an option not in the table");
		if (!o->arg) {
			*o->flag = 1;
		} else if (o->list) {
			if (o->list->n == 64) {
				ct_cli_error("option '--%s' given too often",
					     o->name);
				rc = CT_EXIT_USAGE;
				goto done;
			}
			o->list->v[o->list->n++] = optarg;
		} else {
			*o->value = optarg;
		}
	}
	/* and those after "--" */
	for (int i = optind; i < argc; i++)
		args[n++] = argv[i];
	for (int i = 0; i < n; i++)
		argv[1 + i] = args[i];
	if (n < u->min_args || n > u->max_args) {
		ct_cli_error("'%s' takes %s; usage: contracts %s %s", u->name,
			     u->min_args == u->max_args && u->min_args == 2
				 ? "two arguments"
			     : u->max_args == 0 ? "no arguments"
						: "other arguments",
			     u->name, u->synopsis);
		rc = CT_EXIT_USAGE;
		goto done;
	}
	*nargs = n;
	goto done;
refused:
	/* optopt: the option whose value is missing or unwanted, else the
	 * unknown letter, else 0 for an unknown long name */
	for (size_t i = 0; i < nopts; i++)
		if (longs[i].val == optopt)
			known = &u->opts[i];
	if (c == ':' && known)
		ct_cli_error("option '--%s' needs a value %s", known->name,
			     known->arg);
	else if (known || optopt == HELP_VALUE) /* --quiet=1 */
		ct_cli_error("option '--%s' takes no value",
			     known ? known->name : "help");
	else if (optopt)
		ct_cli_error(
		    "unknown option '-%c' for '%s' (see 'contracts help %s')",
		    optopt, u->name, u->name);
	else
		ct_cli_error(
		    "unknown option '%s' for '%s' (see 'contracts help %s')",
		    argv[optind - 1], u->name, u->name);
done:
	free(longs);
	free(args);
	ct_buf_release(&shorts);
	return rc;
}

int ct_cli_read(struct ct_buf *out, const char *path, size_t max,
		struct ct_err *err)
{
	char chunk[65536];
	size_t n;
	int rc = 0;

	if (!max)
		max = CT_FILE_MAX_DEFAULT;
	if (strcmp(path, "-"))
		return ct_file_read(out, path, max, err);
	out->max = max;
	while (!rc && (n = fread(chunk, 1, sizeof(chunk), stdin)))
		if (ct_buf_add(out, chunk, n))
			rc = ct_err_at(err, CT_ETOOBIG, "<stdin>", 0, 0,
				       "larger than %zu bytes", max);
	if (!rc && ferror(stdin))
		rc = ct_err_at(err, CT_EIO, "<stdin>", 0, 0, "cannot read: %s",
			       strerror(errno));
	out->max = 0;
	return rc;
}

int ct_cli_contract(struct ct_contract **out, const char *path, size_t max,
		    struct ct_err *err)
{
	struct ct_buf text = CT_BUF_INIT;
	int rc = ct_cli_read(&text, path, max, err);

	if (!rc)
		rc = ct_contract_parse(
		    out, &text, strcmp(path, "-") ? path : "<stdin>", err);
	ct_buf_release(&text);
	return rc;
}

int ct_cli_one_stdin(int n, char **argv)
{
	int seen = 0;

	for (int i = 1; i <= n; i++)
		if (!strcmp(argv[i], "-") && seen++) {
			ct_cli_error(
			    "standard input ('-') can be read only once");
			return CT_EXIT_USAGE;
		}
	return 0;
}

int ct_cli_color(const char *formats, int to_file)
{
	const char *nc = getenv("NO_COLOR"), *term = getenv("TERM");

	return !to_file && !strcmp(formats, "text") && isatty(STDOUT_FILENO) &&
	       !(nc && *nc) && !(term && !strcmp(term, "dumb"));
}

int ct_cli_data_dir(struct ct_buf *out)
{
	char exe[4096];
	ssize_t len = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	const char *rel = CT_BIN_TO_DATA;
	char *slash;

	if (len <= 0 || (size_t)len >= sizeof(exe) - 1)
		return -1;
	exe[len] = '\0';
	if (!(slash = strrchr(exe, '/')))
		return -1;
	*slash = '\0'; /* PREFIX/bin */
	/* CT_BIN_TO_DATA is relative ("../share/contracts"): walk it */
	while (!strncmp(rel, "../", 3)) {
		if (!(slash = strrchr(exe, '/')))
			return -1;
		*slash = '\0';
		rel += 3;
	}
	ct_buf_addf(out, "%s/%s", exe, rel);
	return 0;
}

/* The manifest to use when none is given: contracts/manifest.json here,
 * then the installed one beside the executable, then $CONTRACTS_DATA's.
 * Sets *out (to free) or says every place it looked. */
static int default_manifest(char **out)
{
	const char *data = getenv("CONTRACTS_DATA");
	struct ct_buf tried = CT_BUF_INIT, path = CT_BUF_INIT;
	int found = 0;

	*out = NULL;
	for (int place = 0; place < 3 && !found; place++) {
		ct_buf_reset(&path);
		if (place == 0)
			ct_buf_adds(&path, "contracts/manifest.json");
		else if (place == 1 && ct_cli_data_dir(&path))
			continue;
		else if (place == 1)
			ct_buf_adds(&path, "/manifest.json");
		else if (data && *data)
			ct_buf_addf(&path, "%s/manifest.json", data);
		else {
			ct_buf_adds(&tried, ", $CONTRACTS_DATA (not set)");
			continue;
		}
		if (!access(path.ptr, F_OK))
			found = 1;
		else
			ct_buf_addf(&tried, "%s%s", tried.len ? ", " : "",
				    path.ptr);
	}
	if (found)
		*out = ct_buf_detach(&path, NULL);
	else
		ct_cli_error("no manifest found: tried %s; give one with "
			     "--manifest FILE or $CONTRACTS_MANIFEST",
			     tried.ptr);
	ct_buf_release(&path);
	ct_buf_release(&tried);
	return found ? 0 : CT_EXIT_USAGE;
}

int ct_cli_manifest(struct ct_manifest **out, const char *given,
		    const struct ct_optlist *repos)
{
	const char *env = getenv("CONTRACTS_MANIFEST");
	const char *path = given;
	char *found = NULL;
	struct ct_err err = CT_ERR_INIT;
	int rc;

	*out = NULL;
	if (!path && env && *env)
		path = env;
	if (!path && (rc = default_manifest(&found)))
		return rc;
	if (!path)
		path = found;
	if (ct_manifest_load(out, path, &err)) {
		free(found);
		return ct_cli_fail(&err);
	}
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
		(*out)->repos[r].spec = ct_xstrdup(eq + 1);
	}
	free(found);
	return 0;
fail:
	free(found);
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

void ct_cli_report_init(struct ct_report *r, const struct ct_changes *changes,
			size_t n, enum ct_severity fail_on, const char *format,
			int to_file)
{
	memset(r, 0, sizeof(*r));
	r->diffs = changes;
	r->n = n;
	r->fail_on = fail_on;
	r->color = ct_cli_color(format, to_file);
	r->tool_version = CT_VERSION;
}

int ct_cli_report(struct ct_report *r, const struct ct_changes *changes,
		  size_t n, enum ct_severity fail_on, const char *format,
		  const char *output, const char *output_dir)
{
	struct ct_err err = CT_ERR_INIT;

	ct_cli_report_init(r, changes, n, fail_on, format,
			   output || output_dir);
	if (ct_report_emit(r, format, output, output_dir, stdout, &err))
		return ct_cli_fail(&err);
	return ct_report_failed(r) ? CT_EXIT_DRIFT : CT_EXIT_OK;
}
