/* contracts py tokens|...: look at what the Python readers see. */
#include "cmds.h"

#include "contracts/file.h"
#include "contracts/pyparse.h"
#include "contracts/pytoken.h"

#include <stdio.h>
#include <string.h>

static int quiet, keep_going;
static const char *max_size;

static const struct ct_opt opts[] = {
    {"quiet", NULL, "tokenize and check, print nothing (for timing)", NULL,
     &quiet},
    {"keep-going", NULL,
     "after a file that fails, go on with the others (exit 2 at the end)", NULL,
     &keep_going},
    {NULL, NULL, NULL, NULL, NULL}};

const struct ct_cmd_usage cmd_py_usage = {
    "py",
    "tokens FILE... [options]",
    "Show what the Python readers see. 'py tokens' prints the tokens of each "
    "file exactly as 'python3 -m tokenize' does.",
    2,
    1 << 20,
    opts};

/* Pads to `width` code points, as Python's %-Ns does. */
static void pad(struct ct_buf *out, size_t from, unsigned width)
{
	unsigned n = 0;

	for (size_t i = from; i < out->len; i++)
		n += ((unsigned char)out->ptr[i] & 0xc0) != 0x80;
	while (n++ < width)
		ct_buf_addch(out, ' ');
}

static int tokens_of(const char *path, struct ct_buf *out, struct ct_err *err)
{
	struct ct_buf src = CT_BUF_INIT;
	struct ct_pytokenizer *t = NULL;
	struct ct_pytok tok;
	int rc;

	if ((rc = ct_file_read(&src, path, CT_FILE_MAX_DEFAULT, err)) ||
	    (rc = ct_pytok_new(&t, src.ptr, src.len, path, err)))
		goto done;
	while ((rc = ct_pytok_next(t, &tok, err)) > 0) {
		size_t mark;
		if (quiet)
			continue;
		mark = out->len;
		ct_buf_addf(out, "%u,%u-%u,%u:", tok.srow, tok.scol, tok.erow,
			    tok.ecol);
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
	if (!(rc = ct_file_read(&src, path, CT_FILE_MAX_DEFAULT, err)))
		rc = ct_pymodule_parse(&m, src.ptr, src.len, path, err);
	ct_pymodule_free(m);
	ct_buf_release(&src);
	return rc;
}

int cmd_py(int argc, char **argv)
{
	struct ct_buf out = CT_BUF_INIT;
	int n, rc, failed = 0;
	int (*run)(const char *, struct ct_buf *, struct ct_err *);

	quiet = keep_going = 0;
	max_size = NULL;
	if ((rc = ct_opt_parse(&cmd_py_usage, argc, argv, &n)))
		return rc < 0 ? CT_EXIT_OK : rc;
	if (!strcmp(argv[1], "tokens")) {
		run = tokens_of;
	} else if (!strcmp(argv[1], "check")) {
		run = check_of;
	} else {
		ct_cli_error("unknown 'py' command '%s' (tokens, check)",
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
