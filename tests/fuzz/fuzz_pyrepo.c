/* fuzz_pyrepo: the repository view. The input is split at NUL bytes (which
 * no Python source may hold) into the four modules of a small repository;
 * every NAME and ATTR expression of every module is resolved, a few names
 * are looked up, then python-model and python-enum run over all the modules
 * through the view, each into a fresh document written canonically. */
#include "fuzz.h"

#include <json-c/json.h>

#include "contracts/extract.h"
#include "contracts/pyrepo.h"

/* The modules, then files that are no modules (the view must tell). None
 * at the top: ct_pyrepo_new() leaks the copy of a path without '/'
 * (tests/fuzz/regressions/README.md); add "setup.py" once fixed. */
static const char *const paths[] = {
    "pkg/__init__.py", "pkg/a.py",	    "pkg/sub/b.py",
    "src/app/c.py",    "pkg/sub/data.json", "docs/README.md",
};
#define NMODULES 4
#define NPATHS (sizeof(paths) / sizeof(*paths))

struct input {
	struct fuzz_part parts[NMODULES];
	size_t n;
};

static int read_part(void *data, const char *path, struct ct_buf *out,
		     struct ct_err *err)
{
	const struct input *in = data;

	for (size_t i = 0; i < NMODULES; i++)
		if (!strcmp(paths[i], path))
			return ct_buf_add(out,
					  i < in->n ? in->parts[i].data : "",
					  i < in->n ? in->parts[i].len : 0)
				   ? ct_err_set(err, CT_ETOOBIG, "too big")
				   : 0;
	return ct_err_set(err, CT_ENOTFOUND, "no module %s", path);
}

static void resolve_all(struct ct_pyrepo *r, const struct ct_pymodule *m)
{
	static const char *const names[] = {"BaseModel", "Enum", "a",
					    "sub",	 "B",	 "pkg"};
	struct ct_pyname name;

	for (size_t i = 0; i < m->nexprs; i++) {
		struct ct_err err = CT_ERR_INIT;
		if (m->exprs[i]->kind == CT_PY_NAME ||
		    m->exprs[i]->kind == CT_PY_ATTR)
			ct_pyrepo_resolve(&name, r, m, m->exprs[i], &err);
	}
	for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++) {
		struct ct_err err = CT_ERR_INIT;
		ct_pyrepo_lookup(&name, r, m, names[i], &err);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static json_object *options[3];
	struct ct_source_file files[NMODULES];
	struct input in;
	struct ct_pyrepo *r;
	static const char *const readers[] = {"python-model", "python-enum"};

	if (!options[0]) { /* kept for the life of the process */
		options[0] = json_tokener_parse("{}");
		options[1] = json_tokener_parse(
		    "{\"bases\": [\"Base\"], \"rename\": {\"A\": \"Z\"}}");
		options[2] = json_tokener_parse(
		    "{\"model\": \"M\", \"list\": \"l\", \"events\": \"E\"}");
	}
	in.n = fuzz_split(in.parts, NMODULES, data, size, 0);
	r = ct_pyrepo_new(paths, NPATHS, read_part, &in, 0);
	for (size_t i = 0; i < NPATHS; i++) {
		const struct ct_pymodule *m;
		struct ct_err err = CT_ERR_INIT;
		if (!ct_pyrepo_has(r, paths[i]))
			fuzz_fail("the view lost %s", paths[i]);
		if (!ct_pyrepo_module(&m, r, paths[i], &err))
			resolve_all(r, m);
	}
	for (size_t i = 0; i < NMODULES; i++) {
		files[i].path = paths[i];
		files[i].data = NULL; /* the view has them */
		files[i].len = 0;
	}
	for (size_t i = 0; i < sizeof(readers) / sizeof(*readers); i++) {
		const struct ct_extractor *x = ct_extractor_find(readers[i]);
		for (size_t k = 0; k < sizeof(options) / sizeof(*options);
		     k++) {
			struct ct_extract_ctx ctx = {0};
			struct ct_errs problems = CT_ERRS_INIT;
			struct ct_buf out = CT_BUF_INIT;
			struct ct_err err = CT_ERR_INIT;
			ctx.repo = "r";
			ctx.commit = "c";
			ctx.options = options[k];
			ctx.out = ct_contract_new("fuzz", CT_DIR_EXACT);
			ctx.view = r;
			ctx.problems = k ? &problems : NULL;
			if (!x->run(&ctx, files, NMODULES, &err))
				ct_contract_write(&out, ctx.out, &err);
			ct_buf_release(&out);
			ct_errs_release(&problems);
			ct_contract_free(ctx.out);
		}
	}
	ct_pyrepo_free(r);
	return 0;
}
