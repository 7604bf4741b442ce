/* pyshared.h - what the Python extractors share: parsing a set of files,
 * options, origins, classes and their bases, enum and model detection.
 * Private to src/extract/. */
#ifndef CT_PYSHARED_H
#define CT_PYSHARED_H

#include "contracts/extract.h"
#include "contracts/pyparse.h"

struct classref {
	const char *name;
	const struct ct_pymodule *m;
	const struct ct_pystmt *cls;
	size_t order; /* first one wins among equal names */
};

struct pyset {
	const struct ct_extract_ctx *ctx;
	struct ct_pyrepo *view; /* the context's, or own */
	struct ct_pyrepo *own;	/* without a view: one over the files */
	const struct ct_source_file *files;
	size_t nfiles;
	const struct ct_pymodule **mods; /* the files' modules that parsed */
	size_t n;
	struct classref *classes; /* every class, sorted by name */
	size_t nclasses, capclasses;
};

/* The modules of every file, from the context's view or parsed here
 * (flags as ct_pymodule_parse_ex()). A file that fails goes to the
 * context's problems when it has a list; else the first failure is the
 * error, and with keep_going the others are read all the same. */
int pyset_parse(struct pyset *set, const struct ct_extract_ctx *ctx,
		const struct ct_source_file *files, size_t n, unsigned flags,
		struct ct_err *err);
void pyset_release(struct pyset *set);

/* Like pyset_parse(), reading only the files `filter` accepts (by their
 * bytes); the others are not parsed and are not in the set. */
int pyset_parse_if(struct pyset *set, const struct ct_extract_ctx *ctx,
		   const struct ct_source_file *files, size_t n, unsigned flags,
		   ct_pyrepo_filter_fn filter, void *data, struct ct_err *err);

/* Hands each file's module that `filter` accepts to `visit` in turn and
 * frees it after (ct_pyrepo_scan): for readers of every call of a package,
 * which need the modules one at a time. Problems go to the context's list,
 * or the first one is returned (the scan goes on all the same). While it
 * runs, ctx->view is the view (one over the files when ctx had none). */
int pyset_scan(const struct ct_extract_ctx *ctx,
	       const struct ct_source_file *files, size_t n,
	       ct_pyrepo_filter_fn filter, ct_pyrepo_visit_fn visit, void *data,
	       struct ct_err *err);

/* Records a problem in the context's list, if it keeps one. */
void pyset_problem(const struct pyset *set, const struct ct_err *err);

/* The class that `e` (a base or an annotation) in module m denotes:
 * through imports across the repository first, else a class of that name
 * among the files read. 1 with *cm and *cls set; 0 for anything else (a
 * builtin, an outside class such as pydantic.BaseModel). An import of the
 * repository that names nothing is recorded as a problem. */
int resolve_class(const struct pyset *set, const struct ct_pymodule *m,
		  const struct ct_pyexpr *e, const struct ct_pymodule **cm,
		  const struct ct_pystmt **cls);

/* Whether `name` is in the string array option `key` (or in `defaults`, a
 * NULL-terminated list, when the option is absent). */
int opt_has(json_object *options, const char *key, const char *const *defaults,
	    const char *name);
const char *opt_string(json_object *options, const char *key);

void origin_of(struct ct_origin *o, const struct ct_extract_ctx *ctx,
	       const struct ct_pymodule *m, unsigned line);
/* Records the origin of `pointer` in the output document. */
void note_origin(const struct ct_extract_ctx *ctx, const struct ct_pymodule *m,
		 unsigned line, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

/* Calls fn for every class (module level, inside blocks and classes). */
void each_class(const struct pyset *set,
		void (*fn)(const struct ct_pymodule *m,
			   const struct ct_pystmt *cls, void *data),
		void *data);

/* The class named `name` in the set, or NULL (the first one found). */
const struct ct_pystmt *find_class(const struct pyset *set, const char *name,
				   const struct ct_pymodule **mod);

/* The shape name for class `name`: options' "rename" map ({"Class":
 * "Shape"}) applied, so one side's names can match the other's. Borrowed
 * from the options or from `name`. */
const char *shape_name(json_object *options, const char *name);

/* Whether class `name` is wanted: options' "classes" list, when given,
 * names the only classes to read. */
int class_wanted(json_object *options, const char *name);

/* The last component of a base's dotted name ("enum.Enum" -> "Enum"). */
const char *base_name(const struct ct_pyexpr *base, char *buf, size_t size);

/* Whether `cls` (of module m) derives, through bases resolved as
 * resolve_class() does, from a base that `is_root` accepts (by its last
 * name). */
int derives_from(const struct pyset *set, const struct ct_pymodule *m,
		 const struct ct_pystmt *cls,
		 int (*is_root)(json_object *options, const char *base),
		 json_object *options, unsigned depth);

/* Enum classes: bases Enum, StrEnum, IntEnum, Flag, IntFlag, (str, Enum),
 * `extra` names, or an enum class of the set, transitively. */
int is_enum_class(const struct pyset *set, const struct ct_pymodule *m,
		  const struct ct_pystmt *cls, json_object *options,
		  unsigned depth);
/* The enum shape of `cls`; the caller owns it. Records origins under
 * /$defs/NAME when ctx is not NULL. */
json_object *enum_shape(const struct ct_extract_ctx *ctx,
			const struct ct_pymodule *m,
			const struct ct_pystmt *cls);

#endif
