/* contracts py tokens|check|enums|models|literal|calls|routes|http FILE...:
 * what the Python readers see. */
#include "cmds.h"

#include "contracts/contract.h"
#include "contracts/extract.h"
#include "contracts/file.h"
#include "contracts/pyparse.h"
#include "contracts/pytoken.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int quiet, keep_going;
static const char *options, *python;
static enum ct_pyversion version;

static const struct ct_opt opts[] = {
    {"options", "JSON",
     "extractor options as a JSON object, such as '{\"bases\": "
     "[\"ProxboxBaseModel\"]}' (see docs/py.md)",
     &options, NULL, NULL},
    {"python", "VERSION",
     "the Python whose 'tokenize' module 'tokens' follows: 3.11, 3.12 or "
     "3.13 (default 3.13)",
     &python, NULL, NULL},
    {"keep-going", NULL,
     "read every file even when one fails to parse (exit 2 at the end)", NULL,
     &keep_going, NULL},
    {"quiet", NULL, "print nothing: only check (for timing)", NULL, &quiet,
     NULL},
    {NULL, NULL, NULL, NULL, NULL, NULL}};

const struct ct_cmd_usage cmd_py_usage = {
    "py",
    "COMMAND FILE... [options]",
    "Show what the Python readers see. COMMAND is 'tokens' (the tokens of "
    "each file, exactly as 'python3 -m tokenize' of --python prints them), "
    "'check' (parse only, Python 3.13 syntax), or an extractor: 'enums', 'models', 'literal', 'calls', "
    "'routes', 'http', which print the contract document they extract.",
    2,
    1 << 20,
    opts};

static const char *const extractor_of[][2] = {
    {"enums", "python-enum"},	   {"models", "python-model"},
    {"literal", "python-literal"}, {"calls", "python-calls"},
    {"routes", "fastapi-routes"},  {"http", "http-calls"},
};

/* Pads to `width` code points, as Python's %-Ns does. */
static void pad(struct ct_buf *out, size_t from, unsigned width)
{
	unsigned n = 0;

	for (size_t i = from; i < out->len; i++)
		n += ((unsigned char)out->ptr[i] & 0xc0) != 0x80;
	while (n++ < width)
		ct_buf_addch(out, ' ');
}

/* How a file is named in messages: standard input is "<stdin>". */
#define NAME(path) (strcmp((path), "-") ? (path) : "<stdin>")

static int tokens_of(const char *path, struct ct_buf *out, struct ct_err *err)
{
	struct ct_buf src = CT_BUF_INIT;
	struct ct_pytokenizer *t = NULL;
	struct ct_pytok tok;
	int rc;

	if ((rc = ct_cli_read(&src, path, 0, err)) ||
	    (rc = ct_pytok_new_ex(&t, src.ptr, src.len, NAME(path), version, 0,
				  err)))
		goto done;
	while ((rc = ct_pytok_next(t, &tok, err)) > 0) {
		size_t mark;
		if (quiet)
			continue;
		mark = out->len;
		/* columns are Python's, -1 included */
		ct_buf_addf(out, "%u,%d-%u,%d:", tok.srow, (int)tok.scol,
			    tok.erow, (int)tok.ecol);
		pad(out, mark, 20);
		mark = out->len;
		ct_buf_adds(out, ct_pytok_type_name(tok.type));
		pad(out, mark, 15);
		mark = out->len;
		ct_py_repr(out, tok.text, tok.len);
		pad(out, mark, 15);
		ct_buf_addch(out, '\n');
	}
done:
	ct_pytok_free(t);
	ct_buf_release(&src);
	return rc;
}

static int check_of(const char *path, struct ct_buf *out, struct ct_err *err)
{
	struct ct_buf src = CT_BUF_INIT;
	struct ct_pymodule *m = NULL;
	int rc;

	(void)out;
	if (!(rc = ct_cli_read(&src, path, 0, err)))
		rc = ct_pymodule_parse(&m, src.ptr, src.len, NAME(path), err);
	ct_pymodule_free(m);
	ct_buf_release(&src);
	return rc;
}

/* Runs one extractor over all the files and prints the document. */
static int extract(const struct ct_extractor *x, char **paths, int n)
{
	struct ct_source_file *files = calloc((size_t)n, sizeof(*files));
	struct ct_buf *texts = calloc((size_t)n, sizeof(*texts));
	struct ct_extract_ctx ctx;
	struct ct_err err = CT_ERR_INIT;
	struct ct_buf out = CT_BUF_INIT;
	json_object *opt = NULL;
	int rc = 0, code = CT_EXIT_OK;

	memset(&ctx, 0, sizeof(ctx));
	if (options) {
		enum json_tokener_error jerr;
		opt = json_tokener_parse_verbose(options, &jerr);
		if (!json_object_is_type(opt, json_type_object)) {
			ct_cli_error("--options is not a JSON object: %s",
				     options);
			code = CT_EXIT_USAGE;
			goto done;
		}
		{
			char key[128];
			if (ct_extractor_check_options(x, opt, key, sizeof(key),
						       &err)) {
				ct_cli_error("--options: %s", err.msg);
				code = CT_EXIT_USAGE;
				goto done;
			}
		}
	}
	for (int i = 0; i < n; i++) {
		struct ct_buf init = CT_BUF_INIT;
		texts[i] = init;
		if ((rc = ct_cli_read(&texts[i], paths[i], 0, &err))) {
			code = ct_cli_fail(&err);
			goto done;
		}
		files[i].path = NAME(paths[i]);
		files[i].data = texts[i].ptr;
		files[i].len = texts[i].len;
	}
	ctx.options = opt;
	ctx.keep_going = keep_going;
	ctx.out = ct_contract_new(x->name, CT_DIR_EXACT);
	rc = x->run(&ctx, files, (size_t)n, &err);
	if (rc) {
		code = ct_cli_fail(&err);
		if (!keep_going)
			goto done;
	}
	if (ct_contract_write(&out, ctx.out, &err)) {
		code = ct_cli_fail(&err);
		goto done;
	}
	if (!quiet)
		fwrite(out.ptr, 1, out.len, stdout);
done:
	for (int i = 0; i < n; i++)
		ct_buf_release(&texts[i]);
	free(texts);
	free(files);
	ct_contract_free(ctx.out);
	json_object_put(opt);
	ct_buf_release(&out);
	return code;
}

int cmd_py(int argc, char **argv)
{
	struct ct_buf out = CT_BUF_INIT;
	int n, rc, failed = 0;
	int (*run)(const char *, struct ct_buf *, struct ct_err *);

	quiet = keep_going = 0;
	options = python = NULL;
	if ((rc = ct_opt_parse(&cmd_py_usage, argc, argv, &n)))
		return rc < 0 ? CT_EXIT_OK : rc;
	if ((rc = ct_cli_one_stdin(n, argv)))
		return rc;
	version = CT_PY_LATEST;
	if (python && ct_pyversion_parse(&version, python)) {
		ct_cli_error("unknown Python version '%s' (3.11, 3.12, 3.13)",
			     python);
		return CT_EXIT_USAGE;
	}
	for (size_t i = 0; i < sizeof(extractor_of) / sizeof(*extractor_of);
	     i++)
		if (!strcmp(argv[1], extractor_of[i][0]))
			return extract(ct_extractor_find(extractor_of[i][1]),
				       argv + 2, n - 1);
	if (!strcmp(argv[1], "tokens")) {
		run = tokens_of;
	} else if (!strcmp(argv[1], "check")) {
		run = check_of;
	} else {
		ct_cli_error("unknown 'py' command '%s' (tokens, check, enums, "
			     "models, literal, calls, routes, http)",
			     argv[1]);
		return CT_EXIT_USAGE;
	}
	for (int i = 2; i <= n; i++) {
		struct ct_err err = CT_ERR_INIT;
		ct_buf_reset(&out);
		if (run(argv[i], &out, &err) < 0) {
			ct_cli_fail(&err);
			failed = 1;
			if (!keep_going)
				break;
			continue;
		}
		if (fwrite(out.ptr, 1, out.len, stdout) != out.len)
			break;
	}
	ct_buf_release(&out);
	return failed ? CT_EXIT_USAGE : CT_EXIT_OK;
}
