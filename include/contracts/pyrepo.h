/*
 * pyrepo.h - a view of one repository's Python modules at one commit (or of
 * a work tree, or of a few loose files): which modules exist, each module
 * read and parsed when first asked for and at most once per view, and the
 * resolution of a name used in one module to the class it denotes, across
 * modules, packages and imports.
 *
 * The view knows the repository's paths up front (cheap: a tree listing)
 * and reads bytes through a callback only when a module is needed, so
 * resolution may read any module of the repository while an extraction
 * reads only what it touches. Every extractor and contract of a run shares
 * one view per repository.
 *
 * How a name is resolved (docs/python-resolution.md has the whole story):
 *   - in the module itself: a class statement at module level (inside
 *     if/try blocks too; the first definition wins), an assignment of one
 *     name to another (`Alias = Model`), an import that binds the name;
 *   - `from M import N [as A]`: N in module M, or the submodule M.N; M is
 *     relative (`.`, `..x`, counted from the importing file's folder) or
 *     absolute, looked up under the repository root, under `src/`, and
 *     under the root of the importing file's package chain;
 *   - `import a.b [as c]` binds a (or c) to a module; `a.b.Name` walks it;
 *   - `from M import *` is searched last, in order;
 *   - a package's names are those of its `__init__.py`, so re-exports
 *     resolve; a folder without `__init__.py` is a namespace package.
 * A name whose top-level package is not in the repository is external
 * (`pydantic.BaseModel`, `enum.Enum`): the caller judges it by its name. A
 * name imported from a module of the repository that does not exist, or
 * that the module does not define, is unresolved (CT_ENOTFOUND, with the
 * importing file and line). Cycles of imports terminate (depth limit).
 *
 * Ownership: the view owns every module it parses; a module is borrowed
 * until ct_pyrepo_free(). Not thread-safe, but ct_pyrepo_prefetch() parses
 * on every core.
 */
#ifndef CT_PYREPO_H
#define CT_PYREPO_H

#include <stddef.h>

#include "contracts/buf.h"
#include "contracts/err.h"
#include "contracts/pyparse.h"

struct ct_pyrepo;

/* Appends the bytes of `path` to `out`. */
typedef int (*ct_pyrepo_read_fn)(void *data, const char *path,
				 struct ct_buf *out, struct ct_err *err);

/* A view over `paths` (every file of the repository, '/'-separated and
 * relative; only .py files are modules), reading through `read`; `flags`
 * are given to ct_pymodule_parse_ex(). The paths are copied. Free with
 * ct_pyrepo_free(). */
struct ct_pyrepo *ct_pyrepo_new(const char *const *paths, size_t n,
				ct_pyrepo_read_fn read, void *data,
				unsigned flags);
void ct_pyrepo_free(struct ct_pyrepo *r);

struct ct_cache;

/* Writes the git blob id of `path` (40 hex digits and a NUL) into `out`:
 * 0, or non-zero when it is not known. Gets the view's `data`. */
typedef int (*ct_pyrepo_id_fn)(void *data, const char *path, char out[41]);

/* Reads modules through `cache` (borrowed; it must outlive the view):
 * a module whose blob was parsed before, by any run, at any commit or in
 * any repository, is loaded from its entry and never tokenized again; a
 * module parsed here is stored. A file that does not parse is cached as
 * its error. Without a cache (the default), every module is parsed. */
void ct_pyrepo_set_cache(struct ct_pyrepo *r, struct ct_cache *cache,
			 ct_pyrepo_id_fn id);

/* Names the filter of the prefetches and scans that follow (NULL: none),
 * so that a blob a filter refused once is not read again while the view
 * lives: the key must say everything the filter's answer depends on.
 * Borrowed until the next call. */
void ct_pyrepo_set_filter_key(struct ct_pyrepo *r, const char *key);

/* Keeps those refusals in `set` (borrowed; NULL: the view's own), so
 * that views of other commits share them. */
struct ct_strset;
void ct_pyrepo_share_refusals(struct ct_pyrepo *r, struct ct_strset *set);

/* Calls `touch` with each path whose bytes matter to a caller from now on:
 * every module asked for, and every file a prefetch or a scan considers
 * (its filter reads it). What is read only to find the repository's
 * files is not reported. Gets `data`. */
typedef void (*ct_pyrepo_touch_fn)(void *data, const char *path);
void ct_pyrepo_set_observer(struct ct_pyrepo *r, ct_pyrepo_touch_fn touch,
			    void *data);

/* Whether `path` is a file of the view. */
int ct_pyrepo_has(const struct ct_pyrepo *r, const char *path);

/* The module at `path`, parsed on first use: 0 with *out borrowed, or the
 * read or parse error (the same one on every later call). */
int ct_pyrepo_module(const struct ct_pymodule **out, struct ct_pyrepo *r,
		     const char *path, struct ct_err *err);

/* Like ct_pyrepo_module() for readers of names, classes and module
 * constants: a module not parsed yet is parsed without its function
 * bodies (CT_PY_DROP_BODIES), a fraction of the memory. Resolution reads
 * modules this way. A module first parsed lite and later wanted whole is
 * parsed again; the lite parse stays valid until the view is freed. */
int ct_pyrepo_module_lite(const struct ct_pymodule **out, struct ct_pyrepo *r,
			  const char *path, struct ct_err *err);

/* Whether a file's bytes may hold what a reader looks for: a cheap test
 * before parsing (a call to `sse_event` needs the bytes "sse_event"). */
typedef int (*ct_pyrepo_filter_fn)(const char *bytes, size_t len, void *data);

/* Reads, then parses on every core, those of `paths` not parsed yet that
 * `filter` (NULL: all) accepts, lite when `lite_ok`; errors are kept for
 * ct_pyrepo_module() to return. With `kept`, kept[i] says whether
 * paths[i] was accepted: a module parsed already (for another reader, or
 * taken over from another commit) is judged by `filter` too, so what an
 * extractor reads does not depend on what was read before it. */
void ct_pyrepo_prefetch(struct ct_pyrepo *r, const char *const *paths, size_t n,
			ct_pyrepo_filter_fn filter, void *data,
			unsigned char *kept, int lite_ok);

/* Hands the module of each of `paths` that `filter` accepts to `visit`, in
 * order: from the view when it holds it whole, else parsed for the visit
 * and
 * freed right after, so a scan of a whole repository holds a few modules
 * at a time, not all. `visit` must keep nothing of the module. Files that
 * cannot be read or parsed go to `problems`. */
typedef void (*ct_pyrepo_visit_fn)(const struct ct_pymodule *m, void *data);
void ct_pyrepo_scan(struct ct_pyrepo *r, const char *const *paths, size_t n,
		    ct_pyrepo_filter_fn filter, ct_pyrepo_visit_fn visit,
		    void *data, struct ct_errs *problems);

/* Takes over from `old` (a view of another commit of the same repository,
 * freed by the caller afterwards) every module parsed there whose path
 * holds the same blob here, so walking history parses each change once. */
void ct_pyrepo_adopt(struct ct_pyrepo *r, struct ct_pyrepo *old);

/* How many modules were parsed, and their source bytes, so far. */
size_t ct_pyrepo_parsed(const struct ct_pyrepo *r, size_t *bytes);

enum ct_pyname_kind {
	CT_PYNAME_CLASS,    /* a class of the repository: module, cls */
	CT_PYNAME_MODULE,   /* a module of the repository: module */
	CT_PYNAME_EXTERNAL, /* outside the repository: dotted */
	CT_PYNAME_OTHER	    /* defined in the repository, not a class */
};

struct ct_pyname {
	enum ct_pyname_kind kind;
	const struct ct_pymodule *module;
	const struct ct_pystmt *cls;
	const struct ct_pystmt *stmt; /* OTHER: the def or assignment */
	char dotted[256]; /* EXTERNAL: "pydantic.BaseModel"; a namespace
			   * package (MODULE, module NULL): its folder */
};

/* What the expression `e` (a NAME or an ATTR chain, such as a base class or
 * an annotation) denotes in module `from`: 0 with *out filled, CT_ENOTFOUND
 * when it names nothing the view can see (a builtin, a name defined
 * dynamically; `err` then says where, when the name came from an import of
 * a module of the repository), or the error of a module that does not
 * parse. */
int ct_pyrepo_resolve(struct ct_pyname *out, struct ct_pyrepo *r,
		      const struct ct_pymodule *from, const struct ct_pyexpr *e,
		      struct ct_err *err);

/* What `name`, imported by the `from M import ...` statement `s` of
 * module `from` (at any depth: a function's own imports too), denotes;
 * as ct_pyrepo_lookup(). */
int ct_pyrepo_import(struct ct_pyname *out, struct ct_pyrepo *r,
		     const struct ct_pymodule *from, const struct ct_pystmt *s,
		     const char *name, struct ct_err *err);

/* Like ct_pyrepo_resolve() for a plain name in module `from`. */
int ct_pyrepo_lookup(struct ct_pyname *out, struct ct_pyrepo *r,
		     const struct ct_pymodule *from, const char *name,
		     struct ct_err *err);

#endif
