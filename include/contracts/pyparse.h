/*
 * pyparse.h - the structure of a Python module, enough to read contracts:
 * statements (classes, functions, assignments, imports, calls) at every
 * level with their decorators, and expressions as a small tree whose
 * literals become JSON.
 *
 * The parser accepts the syntax of Python 3.11–3.13: it reads the tokens of
 * 3.13 and its grammar, which takes in 3.11's and 3.12's: PEP 701 f-strings
 * (nested quotes, fields with comments and backslashes, nested f-strings), PEP
 * 695 type parameters on def and class and `type X[T] = ...` statements (with
 * PEP 696 defaults), except*, match. It rejects what Python rejects in the
 * statements and expressions it reads: a syntax error is
 * `path:line:col: message` (CT_EPARSE). It is iterative in its statement
 * nesting and bounded in its expression nesting (200 levels, as CPython),
 * and it refuses lines over CT_PY_MAX_LINE bytes, so hostile input fails
 * cleanly.
 *
 * Ownership: a struct ct_pymodule owns every node (one arena) and its
 * source; nodes are borrowed until ct_pymodule_free().
 */
#ifndef CT_PYPARSE_H
#define CT_PYPARSE_H

#include <json-c/json_object.h>
#include <stddef.h>

#include "contracts/buf.h"
#include "contracts/err.h"

#define CT_PY_MAX_LINE ((size_t)1 << 20)

enum ct_pyexpr_kind {
	CT_PY_NAME,	 /* str: the identifier */
	CT_PY_ATTR,	 /* value.str */
	CT_PY_CALL,	 /* value(items..., keywords...) */
	CT_PY_SUBSCRIPT, /* value[items[0]] */
	CT_PY_STR,	 /* str: the decoded value (concatenated) */
	CT_PY_BYTES,	 /* str: the raw text */
	CT_PY_FSTR, /* str: the text with {…} fields kept, f-strings joined;
		       the nodes of the fields' expressions are not kept */
	CT_PY_INT,  /* str: the source text */
	CT_PY_FLOAT,
	CT_PY_COMPLEX,
	CT_PY_TRUE,
	CT_PY_FALSE,
	CT_PY_NONE,
	CT_PY_ELLIPSIS,
	CT_PY_TUPLE, /* items */
	CT_PY_LIST,
	CT_PY_SET,
	CT_PY_DICT,  /* items: key, value, key, value (key NULL for **x) */
	CT_PY_BINOP, /* items[0] str items[1]; str is the operator */
	CT_PY_UNARY, /* str value */
	CT_PY_STARRED,
	CT_PY_OTHER /* anything else: lambda, comprehension, comparison, ... */
};

struct ct_pykeyword;

struct ct_pyexpr {
	enum ct_pyexpr_kind kind;
	unsigned line, col; /* where it starts (1-based line, 0-based col) */
	size_t start, end;  /* byte span in the decoded source */
	const char *str;
	struct ct_pyexpr *value;
	struct ct_pyexpr **items;
	size_t nitems;
	struct ct_pykeyword *keywords;
	size_t nkeywords;
};

struct ct_pykeyword {
	const char *name; /* NULL for **value */
	struct ct_pyexpr *value;
};

enum ct_pystmt_kind {
	CT_PY_CLASS,
	CT_PY_DEF,
	CT_PY_ASSIGN,	 /* targets = value */
	CT_PY_ANNASSIGN, /* targets[0]: annotation [= value] */
	CT_PY_EXPR,	 /* value */
	CT_PY_IMPORT,	 /* import a.b as c: names */
	CT_PY_FROM,	 /* from module import names */
	CT_PY_BLOCK,  /* if/for/while/try/with/match: body holds all branches */
	CT_PY_SIMPLE, /* pass, del, raise, ...: nothing kept; return: name
			 "return" and its value (or NULL) */
	CT_PY_TYPE_ALIAS /* type name[params] = value (PEP 695): name, value */
};

struct ct_pyalias {
	const char *name;   /* dotted */
	const char *asname; /* or NULL */
};

struct ct_pystmt {
	enum ct_pystmt_kind kind;
	unsigned line, col;
	const char *name; /* class or def name */
	struct ct_pyexpr **decorators;
	size_t ndecorators;
	struct ct_pyexpr *bases; /* class: a CALL-like node: items, keywords */
	struct ct_pyexpr **targets;
	size_t ntargets;
	struct ct_pyexpr *annotation, *value; /* def: the return annotation */
	/* def: the parameters in order, each its name ("*args", "**kw" keep
	 * their stars) and its annotation (value, or NULL) */
	struct ct_pykeyword *params;
	size_t nparams;
	const char *module; /* from: dotted module, NULL for "from ." */
	unsigned level;	    /* from: leading dots */
	struct ct_pyalias *names;
	size_t nnames;
	struct ct_pystmt *body; /* class, def, block */
	size_t nbody;
};

struct ct_pymodule {
	const char *path;
	const char *source; /* decoded UTF-8 */
	size_t len;
	struct ct_pystmt *body;
	size_t nbody;
	/* every expression node, nested ones and those of statements not kept
	 * (return, if headers, ...) included, in source order */
	struct ct_pyexpr **exprs;
	size_t nexprs;
	void *arena;
	char *owned_source;
};

/* Parses `src` (bytes of a .py file, decoded as Python does). The caller
 * frees *out with ct_pymodule_free(). */
int ct_pymodule_parse(struct ct_pymodule **out, const char *src, size_t len,
		      const char *path, struct ct_err *err);
/* With CT_PY_DROP_BODIES, function bodies are parsed (and so checked) but
 * nothing of them is kept: their statements and expressions are gone, which
 * saves most of the memory for readers of classes and module constants. */
#define CT_PY_DROP_BODIES 1u
int ct_pymodule_parse_ex(struct ct_pymodule **out, const char *src, size_t len,
			 const char *path, unsigned flags, struct ct_err *err);
void ct_pymodule_free(struct ct_pymodule *m);

/* A module as bytes, for the cache (docs/cache.md): its source and every
 * node, so that loading it back gives the same tree without tokenizing.
 * ct_pymodule_load() takes the bytes ct_pymodule_save() appended, names
 * the module `path`, and fails (CT_EPARSE) on bytes it did not write. */
void ct_pymodule_save(struct ct_buf *out, const struct ct_pymodule *m);
int ct_pymodule_load(struct ct_pymodule **out, const char *data, size_t len,
		     const char *path);

/* The same for a module that did not parse: its error, without the path. */
void ct_pyerror_save(struct ct_buf *out, const struct ct_err *err);
int ct_pyerror_load(struct ct_err *out, const char *data, size_t len,
		    const char *path);

/* The literal value of `e` as JSON (str, int, float, bool, None, tuple,
 * list, set, dict with string keys, nested; a negative number): 0 with
 * *out set (NULL for None, as json-c spells null), or CT_ENOTFOUND when
 * `e` is not a literal. The caller owns *out. */
int ct_pyexpr_literal(json_object **out, const struct ct_pyexpr *e);

/* The source text of `e`, borrowed from the module (not NUL-terminated). */
const char *ct_pyexpr_text(const struct ct_pymodule *m,
			   const struct ct_pyexpr *e, size_t *len);

/* The dotted name of a NAME or ATTR chain ("fastapi.APIRouter") into a
 * buffer of `size`; "" for anything else. */
const char *ct_pyexpr_dotted(const struct ct_pyexpr *e, char *buf, size_t size);

/* The keyword argument `name` of a CALL, or NULL. */
struct ct_pyexpr *ct_pycall_keyword(const struct ct_pyexpr *call,
				    const char *name);

#endif
