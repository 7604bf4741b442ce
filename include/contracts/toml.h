/*
 * toml.h - a small TOML 1.0 reader (Debian packages no C TOML library), for
 * the files a release keeps its version in: pyproject.toml and uv.lock.
 *
 * A document becomes a json-c tree: tables are objects (keys in file
 * order), arrays are arrays, strings strings, integers int64, floats
 * doubles, booleans booleans, and the four date-time kinds strings in RFC
 * 3339 form ('T' and 'Z' upper case) whose kind ct_toml_kind() tells.
 * Every value records the line it was defined on (ct_toml_line()): both
 * are kept as the json-c userdata of the value, so do not set userdata on
 * a tree this module made, and do not serialise its doubles with json-c.
 *
 * Everything TOML 1.0 refuses is CT_EPARSE naming path:line:col: duplicate
 * keys, a table defined twice, extending an inline table or a static
 * array, bad escapes, control characters, invalid UTF-8, integers out of
 * 64-bit range, impossible dates. Depends on util/ and json-c only.
 */
#ifndef CT_TOML_H
#define CT_TOML_H

#include <json-c/json_object.h>
#include <stddef.h>

#include "contracts/err.h"

/* The most nested arrays and inline tables a document may hold. */
#define CT_TOML_MAX_DEPTH 128

enum ct_toml_kind {
	CT_TOML_OTHER,		 /* not a date-time: see the json-c type */
	CT_TOML_OFFSET_DATETIME, /* 1979-05-27T07:32:00Z */
	CT_TOML_LOCAL_DATETIME,	 /* 1979-05-27T07:32:00 */
	CT_TOML_LOCAL_DATE,	 /* 1979-05-27 */
	CT_TOML_LOCAL_TIME	 /* 07:32:00 */
};

/* Parses `len` bytes of `text` (`path` names it in errors) into *out, a
 * json-c object the caller frees with json_object_put(). */
int ct_toml_parse(json_object **out, const char *text, size_t len,
		  const char *path, struct ct_err *err);

/* The line (1-based) where value `v` of a parsed tree was defined; 0 for
 * a table only ever made implicitly (by [a.b.c] or a dotted key). */
unsigned ct_toml_line(json_object *v);

/* What kind of date-time `v` is, or CT_TOML_OTHER. */
enum ct_toml_kind ct_toml_kind(json_object *v);

#endif
