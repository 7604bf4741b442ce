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
	struct ct_pymodule **mods;
	size_t n;
	struct classref *classes; /* every class, sorted by name */
	size_t nclasses, capclasses;
};

/* Parses every file (skipping, with keep_going, those that fail); flags
 * as ct_pymodule_parse_ex(). */
int pyset_parse(struct pyset *set, const struct ct_extract_ctx *ctx,
		const struct ct_source_file *files, size_t n, unsigned flags,
		struct ct_err *err);
void pyset_release(struct pyset *set);

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

/* Whether `cls` derives, through bases defined in the set, from a base
 * that `is_root` accepts (by its last name). */
int derives_from(const struct pyset *set, const struct ct_pystmt *cls,
		 int (*is_root)(json_object *options, const char *base),
		 json_object *options, unsigned depth);

/* Enum classes: bases Enum, StrEnum, IntEnum, Flag, IntFlag, (str, Enum),
 * `extra` names, or an enum class of the set, transitively. */
int is_enum_class(const struct pyset *set, const struct ct_pystmt *cls,
		  json_object *options, unsigned depth);
/* The enum shape of `cls`; the caller owns it. Records origins under
 * /$defs/NAME when ctx is not NULL. */
json_object *enum_shape(const struct ct_extract_ctx *ctx,
			const struct ct_pymodule *m,
			const struct ct_pystmt *cls);

#endif
