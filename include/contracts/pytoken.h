/*
 * pytoken.h - a Python tokenizer that gives exactly the tokens of the
 * standard library's `tokenize` module of Python 3.11, 3.12 or 3.13: the
 * same types, text, positions and errors, including their quirks.
 *
 * 3.11's tokenize is a regular-expression scanner (ERRORTOKEN for stray
 * characters, a string left open by a backslash-newline, NEWLINE added at
 * end of file). 3.12 and 3.13 wrap CPython's own tokenizer: PEP 701
 * f-strings come as FSTRING_START, FSTRING_MIDDLE and FSTRING_END with the
 * replacement fields as ordinary tokens, most malformed input is an error
 * rather than an ERRORTOKEN, and invalid UTF-8 past the first two lines is
 * replaced by U+FFFD (unless CT_PYTOK_STRICT_UTF8). 3.12 and 3.13 differ in
 * the end column of a multi-line string (3.12 counts it on the string's
 * first line) and in one error message.
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
	CT_PYTOK_ENCODING,
	/* 3.12 and later (PEP 701) */
	CT_PYTOK_FSTRING_START,
	CT_PYTOK_FSTRING_MIDDLE,
	CT_PYTOK_FSTRING_END
};

/* The versions of Python whose tokenize module can be followed. */
enum ct_pyversion { CT_PY_3_11 = 311, CT_PY_3_12 = 312, CT_PY_3_13 = 313 };
#define CT_PY_LATEST CT_PY_3_13

/* With 3.12 and later: invalid UTF-8 anywhere is an error, as compile()
 * has it, rather than replaced by U+FFFD, as tokenize has it. */
#define CT_PYTOK_STRICT_UTF8 1u

struct ct_pytok {
	enum ct_pytok_type type;
	const char *text; /* UTF-8, not NUL-terminated */
	size_t len;
	unsigned srow, scol, erow, ecol; /* (unsigned)-1: Python's -1 */
	size_t offset; /* byte offset of `text` in the decoded source */
};

struct ct_pytokenizer;

/* "NAME", "OP", ... as Python's token.tok_name; static. */
const char *ct_pytok_type_name(enum ct_pytok_type type);

/* Decodes `src` and prepares to tokenize it as Python 3.11 does; `path`
 * names it in errors. Fails on an unknown or malformed encoding
 * (CT_EPARSE). The caller frees *out with ct_pytok_free(). */
int ct_pytok_new(struct ct_pytokenizer **out, const char *src, size_t len,
		 const char *path, struct ct_err *err);

/* Like ct_pytok_new, as the tokenize module of `version` does; `flags` is
 * 0 or CT_PYTOK_STRICT_UTF8. */
int ct_pytok_new_ex(struct ct_pytokenizer **out, const char *src, size_t len,
		    const char *path, enum ct_pyversion version, unsigned flags,
		    struct ct_err *err);

/* "3.11", "3.12" or "3.13" into *out; CT_EINVAL for anything else. */
int ct_pyversion_parse(enum ct_pyversion *out, const char *s);

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
