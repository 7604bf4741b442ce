/* contracts validate SCHEMA.json INSTANCE.json: JSON values against a shape
 * of a contract document. */
#include "cmds.h"

#include "contracts/buf.h"
#include "contracts/contract.h"
#include "contracts/file.h"
#include "contracts/json.h"
#include "contracts/validate.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *shape, *max_size;
static int lines;

static const struct ct_opt opts[] = {
    {"shape", "NAME",
     "the $defs entry to validate against (default: the only one)", &shape,
     NULL, NULL},
    {"lines", NULL,
     "INSTANCE is JSON Lines: each line is one instance, blank lines are "
     "skipped",
     NULL, &lines, NULL},
    {"max-file-size", "BYTES",
     "refuse files larger than BYTES (default 67108864)", &max_size, NULL,
     NULL},
    {NULL, NULL, NULL, NULL, NULL, NULL}};

const struct ct_cmd_usage cmd_validate_usage = {
    "validate",
    "SCHEMA.json INSTANCE.json [options]",
    "Check JSON values against a shape of a contract document. INSTANCE is "
    "a JSON file, or - for standard input; each violation is reported as "
    "INSTANCE:LINE: POINTER: MESSAGE.",
    2,
    2,
    opts};

/* Standard input, whole, within `max` bytes. */
/* The shapes of `c` as "A, B, C" for a message. */
static void shape_list(struct ct_buf *out, const struct ct_contract *c)
{
	size_t n = ct_contract_shape_count(c);

	for (size_t i = 0; i < n && i < 20; i++)
		ct_buf_addf(out, "%s%s", i ? ", " : "",
			    ct_contract_shape_name(c, i));
	if (n > 20)
		ct_buf_addf(out, " and %zu more", n - 20);
}

/* Picks --shape, or the only shape. Prints the error; returns an exit code
 * or 0. */
static int pick_shape(const char **out, const struct ct_contract *c,
		      const char *path)
{
	struct ct_buf names = CT_BUF_INIT;
	size_t n = ct_contract_shape_count(c);
	int rc = CT_EXIT_USAGE;

	shape_list(&names, c);
	if (shape && ct_contract_shape_find(c, shape) >= 0) {
		*out = shape;
		rc = 0;
	} else if (shape && n) {
		ct_cli_error("unknown shape '%s' in '%s' (shapes: %s)", shape,
			     path, names.ptr);
	} else if (!n) {
		ct_cli_error("no shapes in '%s': its $defs is empty", path);
	} else if (n > 1) {
		ct_cli_error(
		    "'%s' has %zu shapes; choose one with --shape (%s)", path,
		    n, names.ptr);
	} else {
		*out = ct_contract_shape_name(c, 0);
		rc = 0;
	}
	ct_buf_release(&names);
	return rc;
}

static void print(const char *name, unsigned line, const struct ct_violation *v)
{
	printf("%s:%u: %s: %s\n", name, line,
	       *v->pointer ? v->pointer : "(root)", v->message);
}

/* One instance: violations carry the line of the value they point at. */
static int one(struct ct_contract *c, const char *name, struct ct_buf *text,
	       const char *shape_name, struct ct_violations *vs,
	       struct ct_err *err)
{
	size_t start, from = 0;
	unsigned line = 1, col = 1;
	int rc;

	if ((rc = ct_validate_text(vs, c, shape_name, text->ptr, text->len,
				   name, err)))
		return rc;
	start = strspn(text->ptr, " \t\r\n");
	for (size_t i = 0; i < vs->n; i++) {
		struct ct_json_span whole = {start, text->len - start}, at;
		if (ct_json_locate(&at, text->ptr, whole, vs->v[i].pointer))
			at = whole;
		if (at.off < from) { /* out of text order: count again */
			from = 0;
			line = col = 1;
		}
		ct_json_advance(text->ptr, from, at.off, &line, &col);
		from = at.off;
		print(name, line, &vs->v[i]);
	}
	return 0;
}

/* JSON Lines: each non-blank line an instance. */
static int each_line(struct ct_contract *c, const char *name,
		     struct ct_buf *text, const char *shape_name, size_t *nbad,
		     struct ct_err *err)
{
	struct ct_violations vs = CT_VIOLATIONS_INIT;
	const char *p = text->ptr, *end = text->ptr + text->len;
	unsigned ln = 0;
	int rc = 0;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
		const char *next = nl ? nl + 1 : end;
		ln++;
		if (strspn(p, " \t\r") >= len) {
			p = next;
			continue;
		}
		ct_violations_reset(&vs);
		if ((rc = ct_validate_text(&vs, c, shape_name, p, len, name,
					   err))) {
			err->line = ln;
			break;
		}
		for (size_t i = 0; i < vs.n; i++)
			print(name, ln, &vs.v[i]);
		*nbad += vs.n;
		p = next;
	}
	ct_violations_release(&vs);
	return rc;
}

int cmd_validate(int argc, char **argv)
{
	struct ct_contract *c = NULL;
	struct ct_violations vs = CT_VIOLATIONS_INIT;
	struct ct_buf text = CT_BUF_INIT;
	struct ct_err err = CT_ERR_INIT;
	const char *name, *shape_name = NULL;
	size_t max = CT_FILE_MAX_DEFAULT, nbad = 0;
	int n, rc;

	shape = max_size = NULL;
	lines = 0;
	if ((rc = ct_opt_parse(&cmd_validate_usage, argc, argv, &n)))
		return rc < 0 ? CT_EXIT_OK : rc;
	if ((rc = ct_cli_size(&max, max_size)))
		return rc;
	if (ct_cli_one_stdin(n, argv)) {
		rc = CT_EXIT_USAGE;
		goto done;
	}
	if (ct_cli_contract(&c, argv[1], max, &err) ||
	    ct_contract_validate(c, &err)) {
		rc = ct_cli_fail(&err);
		goto done;
	}
	if ((rc = pick_shape(&shape_name, c, argv[1])))
		goto done;

	name = strcmp(argv[2], "-") ? argv[2] : "<stdin>";
	if (ct_cli_read(&text, argv[2], max, &err)) {
		rc = ct_cli_fail(&err);
		goto done;
	}
	if (lines) {
		rc = each_line(c, name, &text, shape_name, &nbad, &err);
	} else {
		rc = one(c, name, &text, shape_name, &vs, &err);
		nbad = vs.n;
	}
	if (rc) {
		rc = ct_cli_fail(&err);
		goto done;
	}
	if (!nbad)
		puts("valid");
	rc = nbad ? CT_EXIT_DRIFT : CT_EXIT_OK;
done:
	ct_violations_release(&vs);
	ct_buf_release(&text);
	ct_contract_free(c);
	return rc;
}
