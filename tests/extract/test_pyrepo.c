#include <criterion/criterion.h>
#include <dirent.h>
#include <json-c/json.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "contracts/extract.h"
#include "contracts/file.h"
#include "contracts/json.h"
#include "contracts/pyrepo.h"

#define REPO CT_FIXTURES "/py/repo"

/* Every file under REPO, relative to it. */
static void walk(const char *rel, char ***paths, size_t *n)
{
	char dir[1024];
	DIR *d;
	struct dirent *e;

	snprintf(dir, sizeof(dir), "%s/%s", REPO, rel);
	cr_assert_not_null(d = opendir(dir), "%s", dir);
	while ((e = readdir(d))) {
		char sub[1024], full[2048];
		struct stat st;
		if (e->d_name[0] == '.')
			continue;
		snprintf(sub, sizeof(sub), "%s%s%s", rel, *rel ? "/" : "",
			 e->d_name);
		snprintf(full, sizeof(full), "%s/%s", REPO, sub);
		cr_assert_eq(stat(full, &st), 0);
		if (S_ISDIR(st.st_mode)) {
			walk(sub, paths, n);
		} else {
			*paths = realloc(*paths, (*n + 1) * sizeof(**paths));
			(*paths)[(*n)++] = strdup(sub);
		}
	}
	closedir(d);
}

static int reads;

static int read_disk(void *data, const char *path, struct ct_buf *out,
		     struct ct_err *err)
{
	char full[1024];

	(void)data;
	reads++;
	snprintf(full, sizeof(full), "%s/%s", REPO, path);
	return ct_file_read(out, full, 0, err);
}

static struct ct_pyrepo *view(void)
{
	char **paths = NULL;
	size_t n = 0;
	struct ct_pyrepo *r;

	walk("", &paths, &n);
	r = ct_pyrepo_new((const char *const *)paths, n, read_disk, NULL, 0);
	for (size_t i = 0; i < n; i++)
		free(paths[i]);
	free(paths);
	return r;
}

static const struct ct_pymodule *module(struct ct_pyrepo *r, const char *path)
{
	const struct ct_pymodule *m = NULL;
	struct ct_err err = CT_ERR_INIT;

	cr_assert_eq(ct_pyrepo_module(&m, r, path, &err), 0, "%s: %s", path,
		     err.msg);
	return m;
}

/* Looks `name` up in the module at `path`: the kind, and where it is. */
static void resolves_to(struct ct_pyrepo *r, const char *path, const char *name,
			enum ct_pyname_kind kind, const char *where,
			const char *cls)
{
	struct ct_pyname out;
	struct ct_err err = CT_ERR_INIT;

	cr_assert_eq(ct_pyrepo_lookup(&out, r, module(r, path), name, &err), 0,
		     "%s in %s: %s", name, path, err.msg);
	cr_assert_eq(out.kind, kind, "%s in %s: kind %d", name, path, out.kind);
	if (kind == CT_PYNAME_EXTERNAL) {
		cr_assert_str_eq(out.dotted, where);
		return;
	}
	cr_assert_str_eq(out.module->path, where, "%s in %s", name, path);
	if (cls)
		cr_assert_str_eq(out.cls->name, cls);
}

Test(pyrepo, follows_relative_imports_and_aliases)
{
	struct ct_pyrepo *r = view();

	resolves_to(r, "shop/schemas/orders.py", "Sort", CT_PYNAME_CLASS,
		    "shop/schemas/kinds.py", "Kind");
	resolves_to(r, "shop/schemas/orders.py", "kinds", CT_PYNAME_MODULE,
		    "shop/schemas/kinds.py", NULL);
	resolves_to(r, "shop/schemas/orders.py", "Record", CT_PYNAME_CLASS,
		    "shop/schemas/_base.py", "Record");
	ct_pyrepo_free(r);
}

Test(pyrepo, follows_reexports_through_package_inits)
{
	struct ct_pyrepo *r = view();

	/* orders: from .. import PublicRecord; shop/__init__: from .schemas
	 * import Record as PublicRecord; schemas/__init__: from ._base */
	resolves_to(r, "shop/schemas/orders.py", "PublicRecord",
		    CT_PYNAME_CLASS, "shop/schemas/_base.py", "Record");
	resolves_to(r, "shop/api/loose.py", "Loose", CT_PYNAME_CLASS,
		    "shop/schemas/_base.py", "Loose");
	ct_pyrepo_free(r);
}

Test(pyrepo, walks_attributes_of_imported_modules)
{
	struct ct_pyrepo *r = view();
	const struct ct_pymodule *m = module(r, "shop/schemas/orders.py");
	struct ct_pyname out;
	struct ct_err err = CT_ERR_INIT;
	int found = 0;

	/* the annotation of `third` is Optional[kinds_mod.Kind], where
	 * kinds_mod comes from `import shop.schemas.kinds as kinds_mod` */
	for (size_t i = 0; i < m->nexprs; i++) {
		const struct ct_pyexpr *e = m->exprs[i];
		char name[128];
		if (e->kind != CT_PY_ATTR ||
		    strcmp(ct_pyexpr_dotted(e, name, sizeof(name)),
			   "kinds_mod.Kind"))
			continue;
		cr_assert_eq(ct_pyrepo_resolve(&out, r, m, e, &err), 0, "%s",
			     err.msg);
		cr_assert_eq(out.kind, CT_PYNAME_CLASS);
		cr_assert_str_eq(out.cls->name, "Kind");
		found = 1;
	}
	cr_assert(found);
	ct_pyrepo_free(r);
}

Test(pyrepo, names_outside_the_repository_are_external)
{
	struct ct_pyrepo *r = view();

	resolves_to(r, "shop/schemas/orders.py", "Field", CT_PYNAME_EXTERNAL,
		    "pydantic.Field", NULL);
	resolves_to(r, "shop/schemas/_base.py", "BaseModel", CT_PYNAME_EXTERNAL,
		    "pydantic.BaseModel", NULL);
	ct_pyrepo_free(r);
}

Test(pyrepo, namespace_packages_and_src_layouts)
{
	struct ct_pyrepo *r = view();

	resolves_to(r, "nsroot/plugins/impl.py", "Plugin", CT_PYNAME_CLASS,
		    "nsroot/plugins/base.py", "Plugin");
	resolves_to(r, "src/srcpkg/things.py", "Thing", CT_PYNAME_CLASS,
		    "src/srcpkg/base.py", "Thing");
	ct_pyrepo_free(r);
}

Test(pyrepo, a_cycle_of_imports_terminates, .timeout = 10)
{
	struct ct_pyrepo *r = view();
	struct ct_pyname out;
	struct ct_err err = CT_ERR_INIT;

	cr_assert_neq(ct_pyrepo_lookup(&out, r,
				       module(r, "shop/api/cycle_a.py"),
				       "Ghost", &err),
		      0);
	ct_pyrepo_free(r);
}

Test(pyrepo, a_missing_module_is_reported_where_it_is_imported)
{
	struct ct_pyrepo *r = view();
	struct ct_pyname out;
	struct ct_err err = CT_ERR_INIT;

	cr_assert_eq(ct_pyrepo_lookup(&out, r, module(r, "shop/api/missing.py"),
				      "Gone", &err),
		     CT_ENOTFOUND);
	cr_assert_str_eq(err.path, "shop/api/missing.py");
	cr_assert_eq(err.line, 1);
	cr_assert(strstr(err.msg, "no module shop.nowhere"), "%s", err.msg);
	ct_pyrepo_free(r);
}

Test(pyrepo, a_broken_module_fails_the_same_way_every_time)
{
	struct ct_pyrepo *r = view();
	const struct ct_pymodule *m;
	struct ct_err a = CT_ERR_INIT, b = CT_ERR_INIT;

	cr_assert_eq(ct_pyrepo_module(&m, r, "shop/api/broken.py", &a),
		     CT_EPARSE);
	cr_assert_str_eq(a.path, "shop/api/broken.py");
	cr_assert_eq(a.line, 5);
	cr_assert_eq(ct_pyrepo_module(&m, r, "shop/api/broken.py", &b),
		     CT_EPARSE);
	cr_assert_str_eq(a.msg, b.msg);
	ct_pyrepo_free(r);
}

Test(pyrepo, each_module_is_read_and_parsed_once)
{
	struct ct_pyrepo *r = view();
	size_t bytes;

	reads = 0;
	for (int i = 0; i < 3; i++) {
		resolves_to(r, "shop/schemas/orders.py", "PublicRecord",
			    CT_PYNAME_CLASS, "shop/schemas/_base.py", "Record");
		resolves_to(r, "shop/schemas/orders.py", "Sort",
			    CT_PYNAME_CLASS, "shop/schemas/kinds.py", "Kind");
	}
	/* orders, shop/__init__, schemas/__init__, _base, kinds */
	cr_assert_eq(reads, 5, "%d reads", reads);
	cr_assert_eq(ct_pyrepo_parsed(r, &bytes), 5);
	cr_assert_gt(bytes, 0);
	cr_assert_eq(module(r, "shop/schemas/kinds.py"),
		     module(r, "shop/schemas/kinds.py"));
	ct_pyrepo_free(r);
}

static int holds_class_kind(const char *bytes, size_t len, void *data)
{
	(void)data;
	for (size_t i = 0; i + 10 <= len; i++)
		if (!memcmp(bytes + i, "class Kind", 10))
			return 1;
	return 0;
}

Test(pyrepo, a_filter_judges_modules_parsed_before_too)
{
	struct ct_pyrepo *r = view();
	const char *paths[] = {"shop/schemas/kinds.py",
			       "shop/schemas/_base.py"};
	unsigned char kept[2] = {9, 9}, again[2] = {9, 9};

	/* a lookup reads both, lite; the filter then takes only kinds */
	resolves_to(r, "shop/schemas/orders.py", "Sort", CT_PYNAME_CLASS,
		    "shop/schemas/kinds.py", "Kind");
	resolves_to(r, "shop/schemas/orders.py", "Record", CT_PYNAME_CLASS,
		    "shop/schemas/_base.py", "Record");
	ct_pyrepo_prefetch(r, paths, 2, holds_class_kind, NULL, kept, 0);
	cr_assert_eq(kept[0], 1);
	cr_assert_eq(kept[1], 0);
	ct_pyrepo_prefetch(r, paths, 2, NULL, NULL, again, 0);
	cr_assert_eq(again[0], 1);
	cr_assert_eq(again[1], 1);
	ct_pyrepo_free(r);
}

/* ---- extractors over a view ---------------------------------------------- */

static struct ct_contract *extract(const char *name, const char *options,
				   struct ct_errs *problems, ...)
{
	const struct ct_extractor *x = ct_extractor_find(name);
	struct ct_source_file files[16];
	struct ct_extract_ctx ctx;
	struct ct_err err = CT_ERR_INIT;
	struct ct_pyrepo *r = view();
	const char *path;
	size_t n = 0;
	va_list ap;

	memset(&ctx, 0, sizeof(ctx));
	va_start(ap, problems);
	while ((path = va_arg(ap, const char *))) {
		files[n].path = path;
		files[n].data = NULL; /* read through the view */
		files[n++].len = 0;
	}
	va_end(ap);
	ctx.repo = "shop";
	ctx.commit = "c0ffee";
	ctx.options = options ? json_tokener_parse(options) : NULL;
	ctx.out = ct_contract_new(name, CT_DIR_EXACT);
	ctx.view = r;
	ctx.problems = problems;
	cr_assert_eq(x->run(&ctx, files, n, &err), 0, "%s", err.msg);
	json_object_put(ctx.options);
	ct_pyrepo_free(r);
	return ctx.out;
}

static char *shape(struct ct_contract *c, const char *name)
{
	struct ct_buf b = CT_BUF_INIT;
	struct ct_err err = CT_ERR_INIT;
	json_object *o;
	long i = ct_contract_shape_find(c, name);

	cr_assert_geq(i, 0, "no shape %s", name);
	cr_assert_eq(ct_contract_shape_get(&o, c, (size_t)i, &err), 0);
	o = json_tokener_parse(json_object_to_json_string(o));
	ct_buf_adds(&b, json_object_to_json_string_ext(
			    o, JSON_C_TO_STRING_PLAIN |
				   JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
	return ct_buf_detach(&b, NULL);
}

#define SHAPE_IS(c, name, want)                                                \
	do {                                                                   \
		char *got_ = shape(c, name);                                   \
		cr_assert_str_eq(got_, want);                                  \
		free(got_);                                                    \
	} while (0)

Test(python_model, bases_defaults_and_config_across_modules)
{
	struct ct_errs problems = CT_ERRS_INIT;
	struct ct_contract *c =
	    extract("python-model", "{\"classes\": [\"Rush\", \"Reexported\"]}",
		    &problems, "shop/schemas/orders.py", NULL);

	cr_assert_eq(problems.n, 0, "%s", problems.n ? problems.v[0].msg : "");
	/* the base's field first, the alias as the wire name, the enum's
	 * member as its value, the base's config: extra forbidden */
	SHAPE_IS(
	    c, "Rush",
	    "{\"type\":\"object\",\"properties\":{\"ident\":{\"type\":"
	    "\"integer\"},\"name\":{\"type\":\"string\",\"x-field-name\":"
	    "\"label\"},\"kind\":{\"$ref\":\"#/$defs/Kind\",\"default\":"
	    "\"tool\"},\"other\":{\"anyOf\":[{\"$ref\":\"#/$defs/Kind\"},{"
	    "\"type\":\"null\"}],\"default\":null},\"third\":{\"anyOf\":[{"
	    "\"$ref\":\"#/$defs/Kind\"},{\"type\":\"null\"}],\"default\":"
	    "null},\"hours\":{\"type\":\"integer\",\"default\":0}},"
	    "\"required\":[\"ident\",\"name\"],\"additionalProperties\":false}");
	SHAPE_IS(c, "Kind",
		 "{\"type\":\"string\",\"enum\":[\"fruit\",\"tool\"]}");
	SHAPE_IS(c, "Reexported",
		 "{\"type\":\"object\",\"properties\":{\"ident\":{\"type\":"
		 "\"integer\"},\"note\":{\"type\":\"string\"}},\"required\":[\""
		 "ident\",\"note\"],\"additionalProperties\":false}");
	ct_errs_release(&problems);
	ct_contract_free(c);
}

Test(python_model, one_broken_file_among_good_ones_is_a_problem_not_a_stop)
{
	struct ct_errs problems = CT_ERRS_INIT;
	struct ct_contract *c =
	    extract("python-model", NULL, &problems, "shop/api/broken.py",
		    "shop/api/cycle_a.py", "shop/api/loose.py",
		    "shop/api/missing.py", NULL);
	int parse = 0, missing = 0;

	for (size_t i = 0; i < problems.n; i++) {
		parse |= !strcmp(problems.v[i].path, "shop/api/broken.py") &&
			 problems.v[i].line == 5;
		missing |= !strcmp(problems.v[i].path, "shop/api/missing.py") &&
			   strstr(problems.v[i].msg, "shop.nowhere") != NULL;
	}
	cr_assert(parse, "the broken file is reported");
	cr_assert(missing, "the missing module is reported");
	/* the good file is read all the same; extra="allow" from its base */
	SHAPE_IS(c, "Event",
		 "{\"type\":\"object\",\"properties\":{\"name\":{\"type\":"
		 "\"string\",\"default\":\"\"}},\"required\":[],"
		 "\"additionalProperties\":true}");
	cr_assert_lt(ct_contract_shape_find(c, "Haunted"), 0);
	ct_errs_release(&problems);
	ct_contract_free(c);
}

Test(python_model, python_312_syntax_with_a_base_in_another_package)
{
	struct ct_errs problems = CT_ERRS_INIT;
	struct ct_contract *c = extract("python-model", NULL, &problems,
					"shop/api/modern.py", NULL);

	cr_assert_eq(problems.n, 0, "%s", problems.n ? problems.v[0].msg : "");
	SHAPE_IS(c, "Box",
		 "{\"type\":\"object\",\"properties\":{\"ident\":{\"type\":"
		 "\"integer\"},\"item\":{\"type\":\"integer\",\"default\":0},"
		 "\"label\":{\"type\":\"string\"}},\"required\":[\"ident\"],"
		 "\"additionalProperties\":false}");
	ct_errs_release(&problems);
	ct_contract_free(c);
}

Test(python_enum, bases_in_other_modules)
{
	struct ct_contract *c =
	    extract("python-enum", NULL, NULL, "shop/schemas/kinds.py", NULL);

	SHAPE_IS(c, "Kind",
		 "{\"type\":\"string\",\"enum\":[\"fruit\",\"tool\"]}");
	cr_assert_geq(ct_contract_shape_find(c, "Extra"), 0);
	ct_contract_free(c);
}
