/* fuzz_pyparse: the parser and every Python extractor over one file,
 * app/f.py (a file in a folder: ct_pyrepo_new() leaks the copy of a path
 * without '/', tests/fuzz/regressions/README.md; name it f.py once fixed).
 *
 * The input is parsed with and without CT_PY_DROP_BODIES (both must agree
 * on whether it parses), every expression is read as a literal, a dotted
 * name and source text, then each extractor with CT_EXTRACT_PYTHON runs on
 * the file with no options (reading it alone) and with a few option sets
 * (docs/py.md, through one view of the file), each into a fresh document
 * that is then written canonically. */
#include "fuzz.h"

#include <json-c/json.h>

#include "contracts/extract.h"
#include "contracts/pyparse.h"

static const char *const option_texts[] = {
    NULL,
    "{\"events\": \"E\"}",
    "{\"model\": \"M\", \"list\": \"l\"}",
    "{\"name\": \"X\", \"select\": \"/*/1/*\", \"list\": \"l\"}",
    "{\"functions\": [\"get\"]}",
    "{\"bases\": [\"B\", \"Base\"], \"classes\": [\"A\", \"M\"], "
    "\"rename\": {\"A\": \"Z\"}}",
    "{\"name\": \"X\", \"select\": \"/0/*\"}",
    "{\"functions\": [\"get\", \"post\", \"emit\"], \"keys\": [\"event\"], "
    "\"keywords\": [\"path\"], \"methods\": {\"get\": \"PATCH\"}}",
};
#define NOPTIONS (sizeof(option_texts) / sizeof(*option_texts))

static void read_exprs(const struct ct_pymodule *m)
{
	for (size_t i = 0; i < m->nexprs; i++) {
		const struct ct_pyexpr *e = m->exprs[i];
		json_object *lit = NULL;
		char dotted[256];
		size_t len;
		if (!ct_pyexpr_literal(&lit, e))
			json_object_put(lit);
		ct_pyexpr_dotted(e, dotted, sizeof(dotted));
		if (ct_pyexpr_text(m, e, &len) && len > m->len)
			fuzz_fail("expression text longer than the source");
		if (e->kind == CT_PY_CALL)
			ct_pycall_keyword(e, "prefix");
	}
}

static int read_input(void *data, const char *path, struct ct_buf *out,
		      struct ct_err *err)
{
	const struct ct_source_file *f = data;

	(void)path;
	return ct_buf_add(out, f->data, f->len)
		   ? ct_err_set(err, CT_ETOOBIG, "too big")
		   : 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static json_object *options[NOPTIONS];
	static int ready;
	const char *src = (const char *)data;
	struct ct_pymodule *m = NULL, *lean = NULL;
	struct ct_err err = CT_ERR_INIT, err2 = CT_ERR_INIT;
	struct ct_source_file file = {"app/f.py", src, size};
	const struct ct_extractor *x;
	const char *path = "app/f.py";
	struct ct_pyrepo *view;
	int rc, rc2;

	if (!ready) { /* kept for the life of the process */
		for (size_t i = 0; i < NOPTIONS; i++)
			options[i] = option_texts[i]
					 ? json_tokener_parse(option_texts[i])
					 : NULL;
		ready = 1;
	}
	rc = ct_pymodule_parse_ex(&m, src, size, "app/f.py", 0, &err);
	rc2 = ct_pymodule_parse_ex(&lean, src, size, "app/f.py",
				   CT_PY_DROP_BODIES, &err2);
	if ((rc == 0) != (rc2 == 0))
		fuzz_fail("parses %s, but %s with CT_PY_DROP_BODIES",
			  rc ? "not" : "", rc2 ? "not" : "does");
	if (!rc) {
		read_exprs(m);
		read_exprs(lean);
	}
	ct_pymodule_free(m);
	ct_pymodule_free(lean);

	/* one view shared by the runs with options, so the file is parsed
	 * once for them; the runs without options make their own */
	view = ct_pyrepo_new(&path, 1, read_input, &file, 0);
	for (size_t i = 0; (x = ct_extractor_at(i)); i++) {
		if (!(x->flags & CT_EXTRACT_PYTHON))
			continue;
		for (size_t k = 0; k < NOPTIONS; k++) {
			struct ct_extract_ctx ctx = {0};
			struct ct_errs problems = CT_ERRS_INIT;
			struct ct_buf out = CT_BUF_INIT;
			struct ct_err e = CT_ERR_INIT;
			ctx.repo = "r";
			ctx.commit = "c";
			ctx.options = options[k];
			ctx.out = ct_contract_new("fuzz", CT_DIR_EXACT);
			ctx.problems = k % 2 ? &problems : NULL;
			ctx.view = k ? view : NULL;
			if (!x->run(&ctx, &file, 1, &e))
				ct_contract_write(&out, ctx.out, &e);
			ct_buf_release(&out);
			ct_errs_release(&problems);
			ct_contract_free(ctx.out);
		}
	}
	ct_pyrepo_free(view);
	return 0;
}
