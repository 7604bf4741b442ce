/*
 * json.h - JSON text below json-c: a strict validating scanner that names
 * line and column, a member walker and pointer lookup over already-checked
 * text (so a 20 MB document can be indexed without building it), and the
 * canonical writer every document and report goes through.
 *
 * Text passed to ct_json_members() and ct_json_locate() must have passed
 * ct_json_check(): they trust it. Spans are byte offsets into that text.
 */
#ifndef CT_JSON_H
#define CT_JSON_H

#include <json-c/json_object.h>
#include <stddef.h>

#include "contracts/buf.h"
#include "contracts/err.h"

/* Deepest nesting any document may have: contracts need far less. */
#define CT_JSON_MAX_DEPTH 64

struct ct_json_span {
	size_t off, len;
};

/* Drops the UTF-8 byte-order mark that may open `text` (editors on Windows
 * write one; RFC 8259 lets a reader ignore it). Every reader of a JSON file
 * calls it first, so the checker, json-c and positions all see the same
 * text: columns of line 1 do not count the mark. */
void ct_json_drop_bom(struct ct_buf *text);

/* Checks that s[0..n) is one JSON value (RFC 8259, UTF-8, at most
 * `max_depth` levels deep) with only white space around it. On failure
 * fills `err` with `path`, line and column. */
int ct_json_check(const char *s, size_t n, unsigned max_depth, const char *path,
		  struct ct_err *err);

/* Like ct_json_check(), and calls `visit` for each member of an object at
 * depth 0 (the top) or 1, after its value was checked: with the depth of
 * the object, the decoded key (borrowed for the call), the value's span
 * and the line and column where the value starts. So one pass both checks
 * a document and indexes it. */
typedef void (*ct_json_visit_fn)(void *data, unsigned depth, const char *key,
				 size_t key_len, struct ct_json_span value,
				 unsigned line, unsigned col);
int ct_json_scan(const char *s, size_t n, unsigned max_depth, const char *path,
		 ct_json_visit_fn visit, void *data, struct ct_err *err);

/* Calls `fn` for each member of the object at `obj`, in text order, with
 * the decoded key (NUL-terminated, borrowed for the call) and the value's
 * span. A non-zero return from `fn` stops the walk and is returned. */
typedef int (*ct_json_member_fn)(const char *key, size_t key_len,
				 struct ct_json_span value, void *data);
int ct_json_members(const char *s, struct ct_json_span obj,
		    ct_json_member_fn fn, void *data);

/* Finds the value at JSON pointer `pointer` ("" is `within` itself, "/a/0"
 * and RFC 6901 escapes) inside the value at `within`. CT_ENOTFOUND if it
 * is not there. */
int ct_json_locate(struct ct_json_span *out, const char *s,
		   struct ct_json_span within, const char *pointer);

/* The offsets of the elements of the array at `arr`, in order: malloc'ed
 * (the caller frees it), *n set; NULL with *n 0 for an empty array or a
 * value that is not one. One pass, for readers that look up many
 * elements of one array. */
size_t *ct_json_elements(const char *s, struct ct_json_span arr, size_t *n);

/* Advances a (line, col) position known at `from` to offset `to` (>= from)
 * by counting the newlines in between. Lines and columns are 1-based;
 * columns count bytes. */
void ct_json_advance(const char *s, size_t from, size_t to, unsigned *line,
		     unsigned *col);

/* Writes `o` canonically: 2-space indent, object keys sorted except in a
 * schema's "properties" map (declaration order is meaningful there),
 * arrays in their order, shortest round-trip numbers, minimal escapes, no
 * trailing newline. `indent` is the starting depth. */
void ct_json_write(struct ct_buf *out, json_object *o, int indent);

/* Appends `s` as a JSON string literal (quotes included). */
void ct_json_write_string(struct ct_buf *out, const char *s, size_t len);

/* Compares two values structurally (object key order ignored); 1 if equal. */
int ct_json_equal(json_object *a, json_object *b);

/* The values of an array as a sorted set, so membership and duplicate
 * checks are n log n. Equality is ct_json_equal()'s. The set borrows the
 * array, which must outlive it; free it with ct_json_set_free(). */
struct ct_json_set;
struct ct_json_set *ct_json_set_new(json_object *array);
void ct_json_set_free(struct ct_json_set *set);
int ct_json_set_has(const struct ct_json_set *set, json_object *value);
/* The array index of a value that occurs twice (its second place), or -1. */
long ct_json_set_duplicate(const struct ct_json_set *set);

/* The length of the valid UTF-8 sequence at p (strict: no overlongs,
 * surrogates or code points past U+10FFFF), or 0. */
size_t ct_utf8_valid(const unsigned char *p, const unsigned char *end);

/* Appends code point `cp` as UTF-8 (a lone surrogate as U+FFFD). */
void ct_utf8_put(struct ct_buf *out, unsigned cp);

/* Appends one JSON pointer token (RFC 6901 escaping ~ and /). */
void ct_json_pointer_add(struct ct_buf *out, const char *token);

#endif
