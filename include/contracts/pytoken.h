/*
 * pytoken.h - a Python 3.11 tokenizer that gives exactly the tokens of the
 * standard library's `tokenize` module: the same types, text, positions and
 * errors, including its quirks (ERRORTOKEN for stray characters, a string
 * left open by a backslash-newline, NEWLINE added at end of file).
 *
 * The source is decoded as Python does (UTF-8 BOM, a coding cookie in the
 * first two lines) and held as UTF-8. Rows are 1-based; columns count code
 * points from 0, as Python's do. Work is linear in the size of the source
 * and memory is the source plus the indentation stack, so a 50 MB line is
 * fine.
 *
 * Ownership: token text is borrowed from the tokenizer until it is freed.
 */
#ifndef CT_PYTOKEN_H
#define CT_PYTOKEN_H

#include <stddef.h>

#include "contracts/buf.h"
#include "contracts/err.h"

enum ct_pytok_type {
	CT_PYTOK_ENDMARKER,
	CT_PYTOK_NAME,
	CT_PYTOK_NUMBER,
	CT_PYTOK_STRING,
	CT_PYTOK_NEWLINE,
	CT_PYTOK_INDENT,
	CT_PYTOK_DEDENT,
	CT_PYTOK_OP,
	CT_PYTOK_COMMENT,
	CT_PYTOK_NL,
	CT_PYTOK_ERRORTOKEN,
	CT_PYTOK_ENCODING
};

struct ct_pytok {
	enum ct_pytok_type type;
	const char *text; /* UTF-8, not NUL-terminated */
	size_t len;
	unsigned srow, scol, erow, ecol;
	size_t offset; /* byte offset of `text` in the decoded source */
};

struct ct_pytokenizer;

/* "NAME", "OP", ... as Python's token.tok_name; static. */
const char *ct_pytok_type_name(enum ct_pytok_type type);

/* Decodes `src` and prepares to tokenize it; `path` names it in errors.
 * Fails on an unknown or malformed encoding (CT_EPARSE). */
int ct_pytok_new(struct ct_pytokenizer **out, const char *src, size_t len,
		 const char *path, struct ct_err *err);

/* The next token: 1 with *tok set, 0 after ENDMARKER, negative on a
 * tokenize error (`path:line:col: message`, as Python's position). */
int ct_pytok_next(struct ct_pytokenizer *t, struct ct_pytok *tok,
		  struct ct_err *err);

/* The decoded source (UTF-8) and its length; borrowed. */
const char *ct_pytok_source(const struct ct_pytokenizer *t, size_t *len);

/* Hands the decoded source over (free() it); the tokenizer must not be
 * used afterwards but to free it. */
char *ct_pytok_detach_source(struct ct_pytokenizer *t, size_t *len);

void ct_pytok_free(struct ct_pytokenizer *t);

/* Appends Python's repr() of the UTF-8 string s[0..len). */
void ct_py_repr(struct ct_buf *out, const char *s, size_t len);

/* Decodes one UTF-8 code point at *p (advancing it); text must be valid. */
unsigned ct_utf8_next(const char **p);

#endif
