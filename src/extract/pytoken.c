/*
 * Two tokenizers behind one interface, so that `contracts py tokens` and
 * `python3 -m tokenize` agree byte for byte:
 *
 * - 3.11: a faithful C rendering of Python 3.11's Lib/tokenize.py: the same
 *   regular expressions, tried in the same order with the same first-match
 *   semantics, the same line loop and the same end-of-file rules.
 * - 3.12 and 3.13: tokenize there wraps CPython's C tokenizer in its
 *   "extra tokens" mode (comments, NL, f-string parts) and adjusts what it
 *   returns (Python/Python-tokenize.c). The second half of this file follows
 *   that tokenizer character by character (next/backup over a line buffer,
 *   the f-string mode stack, the same error messages and positions) and then
 *   makes the same adjustments.
 */
#include "contracts/pytoken.h"

#include "contracts/json.h"
#include "contracts/xalloc.h"
#include "pyunicode.h"

#include <errno.h>
#include <iconv.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum state { S_ENCODING, S_LINES, S_END, S_DEDENTS, S_ENDMARKER, S_DONE };

struct ct_pytokenizer {
	char *src; /* decoded UTF-8, NUL-terminated */
	size_t len;
	char *path;
	char encoding[64];
	enum state state;

	/* the current line [ls, le), le past its '\n'; the one before it */
	size_t next_line, ls, le, last_ls, last_le;
	size_t pos;
	int in_line;
	unsigned lnum;
	/* column cursor: code points before byte cb of the current line */
	size_t cb;
	unsigned cc;

	int parenlev, continued;

	/* a string that goes on past its first line */
	int contstr, needcont, triple;
	char quote;
	size_t str_off;
	unsigned str_row, str_col;

	unsigned *indents;
	size_t nindents, cap_indents;
	unsigned dedents, dedent_col;

	/* tokens decided together (COMMENT then NL, INDENT) wait here */
	struct ct_pytok queue[2];
	int nqueue, iqueue;

	enum ct_pyversion version;
	unsigned flags;
	struct ctok *c; /* 3.12 and later */
};

static const char *const type_names[] = {"ENDMARKER",	  "NAME",
					 "NUMBER",	  "STRING",
					 "NEWLINE",	  "INDENT",
					 "DEDENT",	  "OP",
					 "COMMENT",	  "NL",
					 "ERRORTOKEN",	  "ENCODING",
					 "FSTRING_START", "FSTRING_MIDDLE",
					 "FSTRING_END"};

const char *ct_pytok_type_name(enum ct_pytok_type type)
{
	return type_names[type];
}

/* ---- UTF-8 ------------------------------------------------------------- */

unsigned ct_utf8_next(const char **p)
{
	const unsigned char *s = (const unsigned char *)*p;
	unsigned cp;
	int n;

	if (s[0] < 0x80) {
		*p += 1;
		return s[0];
	}
	if (s[0] < 0xe0)
		cp = s[0] & 0x1f, n = 2;
	else if (s[0] < 0xf0)
		cp = s[0] & 0x0f, n = 3;
	else
		cp = s[0] & 0x07, n = 4;
	for (int i = 1; i < n; i++)
		cp = (cp << 6) | (s[i] & 0x3f);
	*p += n;
	return cp;
}

/* ---- decoding: tokenize.detect_encoding() -------------------------------- */

static int is_cookie_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';
}

/* The encoding named by a coding cookie in line [p, end), or 0 if none:
 * ^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+) */
static int find_cookie(const char *p, const char *end, char *name, size_t size)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\f'))
		p++;
	if (p >= end || *p != '#')
		return 0;
	for (; p + 7 <= end && *p != '\n'; p++) {
		const char *q = p + 7, *v;
		if (memcmp(p, "coding", 6) || (p[6] != ':' && p[6] != '='))
			continue;
		while (q < end && (*q == ' ' || *q == '\t'))
			q++;
		for (v = q; v < end && is_cookie_char(*v); v++)
			;
		if (v == q)
			continue;
		snprintf(name, size, "%.*s", (int)(v - q), q);
		return 1;
	}
	return 0;
}

/* tokenize._get_normal_name() */
static void normal_name(char *name)
{
	char low[13];
	size_t i;

	for (i = 0; i < 12 && name[i]; i++)
		low[i] = name[i] == '_'
			     ? '-'
			     : (char)(name[i] >= 'A' && name[i] <= 'Z'
					  ? name[i] - 'A' + 'a'
					  : name[i]);
	low[i] = '\0';
	if (!strcmp(low, "utf-8") || !strncmp(low, "utf-8-", 6)) {
		strcpy(name, "utf-8");
	} else if (!strcmp(low, "latin-1") || !strcmp(low, "iso-8859-1") ||
		   !strcmp(low, "iso-latin-1") ||
		   !strncmp(low, "latin-1-", 8) ||
		   !strncmp(low, "iso-8859-1-", 11) ||
		   !strncmp(low, "iso-latin-1-", 12)) {
		strcpy(name, "iso-8859-1");
	}
}

static int blank_line(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\f'))
		p++;
	return p == end || *p == '#' || *p == '\r' || *p == '\n';
}

static iconv_t open_codec(const char *name)
{
	char alt[64];
	iconv_t cd = iconv_open("UTF-8", name);

	if (cd != (iconv_t)-1)
		return cd;
	snprintf(alt, sizeof(alt), "%s", name);
	for (char *p = alt; *p; p++)
		if (*p == '_')
			*p = '-';
	return iconv_open("UTF-8", alt);
}

static int check_utf8(struct ct_pytokenizer *t, const char *s, size_t n,
		      struct ct_err *err)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + n;
	unsigned line = 1;

	while (p < end) {
		size_t k;
		if (*p < 0x80) { /* ASCII runs: no decoding */
			line += *p == '\n';
			p++;
			continue;
		}
		k = ct_utf8_valid(p, end); /* strict, as Python's decoder */
		if (!k)
			return ct_err_at(
			    err, CT_EPARSE, t->path, line, 0,
			    "source is not valid UTF-8 (byte 0x%02x)", *p);
		line += *p == '\n';
		p += k;
	}
	return 0;
}

/* How many bytes at p Python's UTF-8 decoder takes as one ill-formed
 * sequence (its "maximal subpart"), to replace them by one U+FFFD. */
static size_t bad_utf8_len(const unsigned char *p, const unsigned char *end)
{
	unsigned char lo = 0x80, hi = 0xbf;
	size_t need, k = 1;

	if (*p >= 0xc2 && *p <= 0xdf)
		need = 1;
	else if (*p >= 0xe0 && *p <= 0xef)
		need = 2;
	else if (*p >= 0xf0 && *p <= 0xf4)
		need = 3;
	else
		return 1;
	if (*p == 0xe0)
		lo = 0xa0;
	else if (*p == 0xed)
		hi = 0x9f;
	else if (*p == 0xf0)
		lo = 0x90;
	else if (*p == 0xf4)
		hi = 0x8f;
	for (; k <= need && p + k < end; k++) {
		if (p[k] < lo || p[k] > hi)
			break;
		lo = 0x80, hi = 0xbf;
	}
	return k;
}

static char *utf8_replace(const char *s, size_t n, size_t *len)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + n;
	struct ct_buf out = CT_BUF_INIT;

	while (p < end) {
		size_t k = *p < 0x80 ? 1 : ct_utf8_valid(p, end);
		if (k) {
			ct_buf_add(&out, p, k);
			p += k;
			continue;
		}
		ct_buf_adds(&out, "\xef\xbf\xbd");
		p += bad_utf8_len(p, end);
	}
	return ct_buf_detach(&out, len);
}

static int decode(struct ct_pytokenizer *t, const char *src, size_t len,
		  struct ct_err *err)
{
	const char *end = src + len, *first = src, *first_end, *second_end;
	char name[64] = "";
	int bom = 0, found = 0;

	if (len >= 3 && !memcmp(src, "\xef\xbb\xbf", 3)) {
		bom = 1;
		first = src + 3;
	}
	first_end = memchr(first, '\n', (size_t)(end - first));
	first_end = first_end ? first_end + 1 : end;
	if (first < end) {
		if (check_utf8(t, first, (size_t)(first_end - first), NULL) < 0)
			return ct_err_at(
			    err, CT_EPARSE, t->path, 1, 0,
			    "invalid or missing encoding declaration");
		found = find_cookie(first, first_end, name, sizeof(name));
		if (!found && blank_line(first, first_end) && first_end < end) {
			second_end =
			    memchr(first_end, '\n', (size_t)(end - first_end));
			second_end = second_end ? second_end + 1 : end;
			if (check_utf8(t, first_end,
				       (size_t)(second_end - first_end),
				       NULL) < 0)
				return ct_err_at(
				    err, CT_EPARSE, t->path, 2, 0,
				    "invalid or missing encoding declaration");
			found = find_cookie(first_end, second_end, name,
					    sizeof(name));
		}
	}
	if (found) {
		normal_name(name);
		if (bom && strcmp(name, "utf-8"))
			return ct_err_at(err, CT_EPARSE, t->path, 1, 0,
					 "encoding problem: utf-8");
	} else {
		strcpy(name, "utf-8");
	}
	/* tokenize names a BOM-marked file "utf-8" too */
	snprintf(t->encoding, sizeof(t->encoding), "%s", name);

	if (!strcmp(name, "utf-8")) {
		int rc = check_utf8(t, first, (size_t)(end - first), err);
		if (rc && t->version >= CT_PY_3_12 &&
		    !(t->flags & CT_PYTOK_STRICT_UTF8)) {
			/* 3.12's tokenize decodes lines with errors="replace"
			 */
			t->src =
			    utf8_replace(first, (size_t)(end - first), &t->len);
			return 0;
		}
		if (rc)
			return rc;
		t->src = ct_xstrndup(first, (size_t)(end - first));
		t->len = (size_t)(end - first);
		return 0;
	}
	{
		iconv_t cd = open_codec(name);
		struct ct_buf out = CT_BUF_INIT;
		char *in = (char *)first;
		size_t left = (size_t)(end - first);
		if (cd == (iconv_t)-1)
			return ct_err_at(err, CT_EPARSE, t->path, 1, 0,
					 "unknown encoding: %s", name);
		while (left) {
			char *o;
			size_t room;
			ct_buf_grow(&out, left * 4 + 16);
			o = out.ptr + out.len;
			room = out.cap - out.len - 1;
			if (iconv(cd, &in, &left, &o, &room) == (size_t)-1 &&
			    errno != E2BIG) {
				iconv_close(cd);
				ct_buf_release(&out);
				return ct_err_at(
				    err, CT_EPARSE, t->path, 0, 0,
				    "source cannot be decoded as %s", name);
			}
			out.len = (size_t)(o - out.ptr);
			out.ptr[out.len] = '\0';
		}
		iconv_close(cd);
		t->src = ct_buf_detach(&out, &t->len);
		return check_utf8(t, t->src, t->len, err);
	}
}

static void ctok_init(struct ct_pytokenizer *t);

int ct_pytok_new(struct ct_pytokenizer **out, const char *src, size_t len,
		 const char *path, struct ct_err *err)
{
	return ct_pytok_new_ex(out, src, len, path, CT_PY_3_11, 0, err);
}

int ct_pyversion_parse(enum ct_pyversion *out, const char *s)
{
	if (!strcmp(s, "3.11"))
		*out = CT_PY_3_11;
	else if (!strcmp(s, "3.12"))
		*out = CT_PY_3_12;
	else if (!strcmp(s, "3.13"))
		*out = CT_PY_3_13;
	else
		return CT_EINVAL;
	return 0;
}

int ct_pytok_new_ex(struct ct_pytokenizer **out, const char *src, size_t len,
		    const char *path, enum ct_pyversion version, unsigned flags,
		    struct ct_err *err)
{
	struct ct_pytokenizer *t = ct_xcalloc(1, sizeof(*t));
	int rc;

	t->version = version;
	t->flags = flags;
	t->path = ct_xstrdup(path ? path : "<source>");
	if ((rc = decode(t, src, len, err))) {
		ct_pytok_free(t);
		return rc;
	}
	t->indents = ct_xgrow(NULL, &t->cap_indents, 1, sizeof(*t->indents));
	t->indents[0] = 0;
	t->nindents = 1;
	t->state = S_ENCODING;
	if (version >= CT_PY_3_12)
		ctok_init(t);
	*out = t;
	return 0;
}

void ct_pytok_free(struct ct_pytokenizer *t)
{
	if (!t)
		return;
	free(t->src);
	free(t->path);
	free(t->indents);
	free(t->c);
	free(t);
}

char *ct_pytok_detach_source(struct ct_pytokenizer *t, size_t *len)
{
	char *s = t->src;

	if (len)
		*len = t->len;
	t->src = NULL;
	t->len = 0;
	return s;
}

const char *ct_pytok_source(const struct ct_pytokenizer *t, size_t *len)
{
	if (len)
		*len = t->len;
	return t->src;
}

/* ---- positions ------------------------------------------------------------
 */

/* The column (in code points) of byte `off` of the current line. */
static unsigned col(struct ct_pytokenizer *t, size_t off)
{
	if (off < t->cb) {
		t->cb = t->ls;
		t->cc = 0;
	}
	for (; t->cb < off; t->cb++)
		t->cc += ((unsigned char)t->src[t->cb] & 0xc0) != 0x80;
	return t->cc;
}

static unsigned chars(const char *s, size_t n)
{
	unsigned c = 0;

	for (size_t i = 0; i < n; i++)
		c += ((unsigned char)s[i] & 0xc0) != 0x80;
	return c;
}

static void set_tok(struct ct_pytokenizer *t, struct ct_pytok *tok,
		    enum ct_pytok_type type, size_t start, size_t end)
{
	tok->type = type;
	tok->text = t->src + start;
	tok->len = end - start;
	tok->offset = start;
	tok->srow = tok->erow = t->lnum;
	tok->scol = col(t, start);
	tok->ecol = col(t, end);
}

/* ---- the regular expressions, as scanners ----------------------------------
 * Each returns the end of its match at p, or NULL; `e` bounds the line. */

static int digit(const char *p, const char *e)
{
	return p < e && *p >= '0' && *p <= '9';
}

/* [0-9](?:_?[0-9])* */
static const char *digitpart(const char *p, const char *e)
{
	if (!digit(p, e))
		return NULL;
	for (p++;;) {
		if (digit(p, e))
			p++;
		else if (p < e && *p == '_' && digit(p + 1, e))
			p += 2;
		else
			return p;
	}
}

/* [eE][-+]?[0-9](?:_?[0-9])* */
static const char *exponent(const char *p, const char *e)
{
	if (p >= e || (*p != 'e' && *p != 'E'))
		return NULL;
	p++;
	if (p < e && (*p == '+' || *p == '-'))
		p++;
	return digitpart(p, e);
}

static const char *pointfloat(const char *p, const char *e)
{
	const char *q = digitpart(p, e), *x;

	if (q && q < e && *q == '.') {
		q++;
		if ((x = digitpart(q, e)))
			q = x;
	} else if (p < e && *p == '.' && (q = digitpart(p + 1, e))) {
		/* \.[0-9](?:_?[0-9])* */
	} else {
		return NULL;
	}
	return (x = exponent(q, e)) ? x : q;
}

static const char *floatnumber(const char *p, const char *e)
{
	const char *q = pointfloat(p, e);

	if (q)
		return q;
	q = digitpart(p, e);
	return q ? exponent(q, e) : NULL;
}

static int is_j(const char *p, const char *e)
{
	return p && p < e && (*p == 'j' || *p == 'J');
}

/* 0[xX](?:_?[0-9a-fA-F])+ and its binary and octal kin */
static const char *radix(const char *p, const char *e, char x,
			 const char *digits)
{
	const char *q;

	if (e - p < 3 || p[0] != '0' || (p[1] | 0x20) != x)
		return NULL;
	for (q = p + 2;;) {
		const char *r = q < e && *q == '_' ? q + 1 : q;
		if (r < e && *r && strchr(digits, *r))
			q = r + 1;
		else
			break;
	}
	return q == p + 2 ? NULL : q;
}

static const char *number(const char *p, const char *e)
{
	const char *q;

	if ((q = digitpart(p, e)) && is_j(q, e))
		return q + 1;
	if ((q = floatnumber(p, e)) && is_j(q, e))
		return q + 1;
	if ((q = floatnumber(p, e)))
		return q;
	if ((q = radix(p, e, 'x', "0123456789abcdefABCDEF")) ||
	    (q = radix(p, e, 'b', "01")) || (q = radix(p, e, 'o', "01234567")))
		return q;
	if (digit(p, e) && *p == '0') { /* 0(?:_?0)* */
		for (q = p + 1;;) {
			if (q < e && *q == '0')
				q++;
			else if (q + 1 < e && q[0] == '_' && q[1] == '0')
				q += 2;
			else
				return q;
		}
	}
	return digit(p, e) ? digitpart(p, e) : NULL;
}

/* tokenize's Special: the operators, longest first. */
static const char *op(const char *p, const char *e)
{
	static const char three[][4] = {"**=", "...", "//=", "<<=", ">>="};
	static const char two[][3] = {
	    "!=", "%=", "&=", "**", "*=", "+=", "-=", "->", "//", "/=",
	    ":=", "<<", "<=", "==", ">=", ">>", "@=", "^=", "|="};
	size_t n = (size_t)(e - p);

	static const char starts[128] = {
	    ['!'] = 1, ['%'] = 1, ['&'] = 1, ['('] = 1, [')'] = 1, ['*'] = 1,
	    ['+'] = 1, [','] = 1, ['-'] = 1, ['.'] = 1, ['/'] = 1, [':'] = 1,
	    [';'] = 1, ['<'] = 1, ['='] = 1, ['>'] = 1, ['@'] = 1, ['['] = 1,
	    [']'] = 1, ['^'] = 1, ['{'] = 1, ['|'] = 1, ['}'] = 1, ['~'] = 1,
	};

	if (!n || (unsigned char)*p >= 128 || !starts[(unsigned char)*p])
		return NULL;
	for (size_t i = 0; n >= 3 && i < sizeof(three) / sizeof(*three); i++)
		if (p[0] == three[i][0] && p[1] == three[i][1] &&
		    p[2] == three[i][2])
			return p + 3;
	for (size_t i = 0; n >= 2 && i < sizeof(two) / sizeof(*two); i++)
		if (p[0] == two[i][0] && p[1] == two[i][1])
			return p + 2;
	return *p == '!' ? NULL : p + 1;
}

static int prefix_char(char c)
{
	switch (c | 0x20) {
	case 'b':
	case 'r':
	case 'u':
	case 'f':
		return c | 0x20;
	default:
		return 0;
	}
}

/* Whether p[0..n) is a string prefix: "", one of bruf, or br/fr in any
 * order and case. */
static int is_prefix(const char *p, size_t n)
{
	int a, b;

	if (n == 0)
		return 1;
	if (n == 1)
		return prefix_char(p[0]) != 0;
	a = prefix_char(p[0]);
	b = prefix_char(p[1]);
	return (a == 'r' && (b == 'b' || b == 'f')) ||
	       (b == 'r' && (a == 'b' || a == 'f'));
}

/* Length of a string prefix at p followed by a quote, or -1. */
static int quoted_prefix(const char *p, const char *e)
{
	for (int k = 0; k <= 2 && p + k < e; k++) {
		if ((p[k] == '\'' || p[k] == '"') && is_prefix(p, (size_t)k))
			return k;
		if (!prefix_char(p[k]))
			break;
	}
	return -1;
}

/* The rest of a string after its opening quote(s), from p: Single, Double
 * (triple 0) or Single3, Double3 (triple 1). A backslash escapes any
 * character but a newline, which stops the match. */
static const char *string_end(const char *p, const char *e, char q, int triple)
{
	while (p < e) {
		if (*p == '\\') {
			if (p + 1 >= e || p[1] == '\n')
				return NULL;
			p += 2;
		} else if (*p == q) {
			if (!triple)
				return p + 1;
			if (e - p >= 3 && p[1] == q && p[2] == q)
				return p + 3;
			p++;
		} else {
			p++;
		}
	}
	return NULL;
}

/* ContStr: a one-line string, or one continued by a backslash-newline. */
static const char *contstr(const char *p, const char *e)
{
	int k = quoted_prefix(p, e);
	char q;

	if (k < 0)
		return NULL;
	q = p[k];
	for (p += k + 1; p < e;) {
		if (*p == '\n')
			return NULL;
		if (*p == q)
			return p + 1;
		if (*p == '\\') {
			if (p + 1 < e && p[1] == '\n')
				return p + 2;
			if (p + 2 < e && p[1] == '\r' && p[2] == '\n')
				return p + 3;
			if (p + 1 >= e)
				return NULL;
			p += 2;
		} else {
			p++;
		}
	}
	return NULL;
}

/* \w+ */
static const char *name(const char *p, const char *e)
{
	const char *q = p;

	while (q < e) {
		const char *n = q;
		unsigned char c = (unsigned char)*q;
		if (c < 0x80) { /* ASCII: the common case, no table lookup */
			if (!((c >= 'a' && c <= 'z') ||
			      (c >= 'A' && c <= 'Z') ||
			      (c >= '0' && c <= '9') || c == '_'))
				break;
			q++;
			continue;
		}
		if (!ct_pyuni_is_word(ct_utf8_next(&n)))
			break;
		q = n;
	}
	return q == p ? NULL : q;
}

/* ---- the line loop ----------------------------------------------------------
 */

static void push(struct ct_pytokenizer *t, const struct ct_pytok *tok)
{
	t->queue[t->nqueue++] = *tok;
}

static int pop(struct ct_pytokenizer *t, struct ct_pytok *tok)
{
	if (t->iqueue >= t->nqueue)
		return 0;
	*tok = t->queue[t->iqueue++];
	if (t->iqueue == t->nqueue)
		t->nqueue = t->iqueue = 0;
	return 1;
}

static void read_line(struct ct_pytokenizer *t)
{
	const char *nl;

	t->last_ls = t->ls;
	t->last_le = t->le;
	t->ls = t->next_line;
	nl = t->ls < t->len ? memchr(t->src + t->ls, '\n', t->len - t->ls)
			    : NULL;
	t->le = nl ? (size_t)(nl - t->src) + 1 : t->len;
	t->next_line = t->le;
	t->pos = t->ls;
	t->cb = t->ls;
	t->cc = 0;
	t->lnum++;
}

static int ends_with(const struct ct_pytokenizer *t, const char *s)
{
	size_t n = strlen(s);

	return t->le - t->ls >= n && !memcmp(t->src + t->le - n, s, n);
}

static int error_at(struct ct_pytokenizer *t, struct ct_err *err, unsigned row,
		    unsigned column, const char *msg)
{
	return ct_err_at(err, CT_EPARSE, t->path, row, column, "%s", msg);
}

/* Begins a line: continues a string, measures indentation, or notes a
 * continued statement. Queues any tokens it decides. */
static int start_line(struct ct_pytokenizer *t, struct ct_err *err)
{
	const char *s = t->src;
	struct ct_pytok tok;
	unsigned column = 0;

	read_line(t);
	if (t->contstr) {
		const char *end;
		if (t->ls == t->le)
			return error_at(t, err, t->str_row, t->str_col,
					"EOF in multi-line string");
		end = string_end(s + t->ls, s + t->le, t->quote, t->triple);
		if (end) {
			set_tok(t, &tok, CT_PYTOK_STRING, t->str_off,
				(size_t)(end - s));
			tok.srow = t->str_row;
			tok.scol = t->str_col;
			push(t, &tok);
			t->pos = (size_t)(end - s);
			t->contstr = t->needcont = 0;
			t->in_line = 1;
		} else if (t->needcont && !ends_with(t, "\\\n") &&
			   !ends_with(t, "\\\r\n")) {
			set_tok(t, &tok, CT_PYTOK_ERRORTOKEN, t->str_off,
				t->le);
			tok.srow = t->str_row;
			tok.scol = t->str_col;
			push(t, &tok);
			t->contstr = 0;
		}
		return 0;
	}
	if (t->parenlev != 0 || t->continued) {
		if (t->ls == t->le)
			return error_at(t, err, t->lnum, 0,
					"EOF in multi-line statement");
		t->continued = 0;
		t->in_line = 1;
		return 0;
	}
	if (t->ls == t->le) {
		t->state = S_END;
		return 0;
	}
	for (; t->pos < t->le; t->pos++) {
		char c = s[t->pos];
		if (c == ' ')
			column++;
		else if (c == '\t')
			column = (column / 8 + 1) * 8;
		else if (c == '\f')
			column = 0;
		else
			break;
	}
	if (t->pos == t->le) {
		t->state = S_END;
		return 0;
	}
	if (s[t->pos] == '#' || s[t->pos] == '\r' || s[t->pos] == '\n') {
		size_t nl = t->pos;
		if (s[t->pos] == '#') {
			size_t end = t->le;
			while (end > t->pos &&
			       (s[end - 1] == '\r' || s[end - 1] == '\n'))
				end--;
			set_tok(t, &tok, CT_PYTOK_COMMENT, t->pos, end);
			push(t, &tok);
			nl = end;
		}
		set_tok(t, &tok, CT_PYTOK_NL, nl, t->le);
		push(t, &tok);
		return 0;
	}
	if (column > t->indents[t->nindents - 1]) {
		t->indents = ct_xgrow(t->indents, &t->cap_indents,
				      t->nindents + 1, sizeof(*t->indents));
		t->indents[t->nindents++] = column;
		set_tok(t, &tok, CT_PYTOK_INDENT, t->ls, t->pos);
		push(t, &tok);
	} else if (column < t->indents[t->nindents - 1]) {
		size_t k = t->nindents;
		while (k > 0 && t->indents[k - 1] != column)
			k--;
		if (!k)
			return error_at(
			    t, err, t->lnum, col(t, t->pos),
			    "unindent does not match any outer indentation level");
		t->dedents = (unsigned)(t->nindents - k);
		t->dedent_col = col(t, t->pos);
		t->nindents = k;
	}
	t->in_line = 1;
	return 0;
}

/* Scans one pseudo-token at t->pos; 1 with a token, 0 with none. */
/* A string that goes on past this line: a triple-quoted one, or a single-
 * quoted one whose line ends in a backslash. Returns 0: no token yet. */
static int open_string(struct ct_pytokenizer *t, char quote, size_t start,
		       int triple)
{
	t->contstr = 1;
	t->needcont = !triple;
	t->triple = triple;
	t->quote = quote;
	t->str_off = start;
	t->str_row = t->lnum;
	t->str_col = col(t, start);
	t->in_line = 0;
	return 0;
}

static int scan(struct ct_pytokenizer *t, struct ct_pytok *tok)
{
	const char *s = t->src, *e = s + t->le, *p = s + t->pos, *q, *end;
	size_t start;
	char c;
	int k;

	q = p;
	while (q < e && (*q == ' ' || *q == '\f' || *q == '\t'))
		q++;
	c = q < e ? *q : '\0';
	end = NULL;
	if (q == e) {
		t->pos = (size_t)(e - s); /* \Z */
		return 0;
	}
	if (c == '\\' && ((q + 1 < e && q[1] == '\n') ||
			  (q + 2 < e && q[1] == '\r' && q[2] == '\n'))) {
		t->continued = 1;
		t->pos = t->le;
		return 0;
	}
	if (c == '#') {
		for (end = q; end < e && *end != '\r' && *end != '\n'; end++)
			;
		start = (size_t)(q - s);
		t->pos = (size_t)(end - s);
		set_tok(t, tok, CT_PYTOK_COMMENT, start, t->pos);
		return 1;
	}
	k = quoted_prefix(q, e);
	if (k >= 0 && e - (q + k) >= 3 && q[k + 1] == q[k] &&
	    q[k + 2] == q[k]) {
		/* Triple */
		const char *body = q + k + 3;
		start = (size_t)(q - s);
		end = string_end(body, e, q[k], 1);
		if (end) {
			t->pos = (size_t)(end - s);
			set_tok(t, tok, CT_PYTOK_STRING, start, t->pos);
			return 1;
		}
		return open_string(t, q[k], start, 1);
	}
	/* Number is tried first, and can only start with a digit or '.' */
	if ((((c >= '0' && c <= '9') || c == '.') && (end = number(q, e))) ||
	    (c == '\r' && q + 1 < e && q[1] == '\n' && (end = q + 2)) ||
	    (c == '\n' && (end = q + 1)) || (end = op(q, e)) ||
	    (end = contstr(q, e)) || (end = name(q, e))) {
		const char *n = q;
		unsigned initial = ct_utf8_next(&n);
		start = (size_t)(q - s);
		t->pos = (size_t)(end - s);
		if ((c >= '0' && c <= '9') ||
		    (c == '.' && end - q != 1 &&
		     !(end - q == 3 && !memcmp(q, "...", 3)))) {
			set_tok(t, tok, CT_PYTOK_NUMBER, start, t->pos);
		} else if (c == '\r' || c == '\n') {
			set_tok(t, tok,
				t->parenlev > 0 ? CT_PYTOK_NL
						: CT_PYTOK_NEWLINE,
				start, t->pos);
		} else if (k >= 0 && k < end - q &&
			   (q[k] == '\'' || q[k] == '"')) {
			if (end[-1] == '\n') { /* continued string */
				return open_string(t, q[k], start, 0);
			}
			set_tok(t, tok, CT_PYTOK_STRING, start, t->pos);
		} else if (ct_pyuni_is_idstart(initial)) {
			set_tok(t, tok, CT_PYTOK_NAME, start, t->pos);
		} else {
			if (c == '(' || c == '[' || c == '{')
				t->parenlev++;
			else if (c == ')' || c == ']' || c == '}')
				t->parenlev--;
			set_tok(t, tok, CT_PYTOK_OP, start, t->pos);
		}
		return 1;
	}
	/* nothing matched: one character, white space included */
	start = t->pos;
	q = s + start;
	ct_utf8_next(&q);
	t->pos = (size_t)(q - s);
	set_tok(t, tok, CT_PYTOK_ERRORTOKEN, start, t->pos);
	return 1;
}

static int is_space_cp(unsigned cp)
{
	return (cp >= 0x09 && cp <= 0x0d) || (cp >= 0x1c && cp <= 0x20) ||
	       cp == 0x85 || cp == 0xa0 || cp == 0x1680 ||
	       (cp >= 0x2000 && cp <= 0x200a) || cp == 0x2028 || cp == 0x2029 ||
	       cp == 0x202f || cp == 0x205f || cp == 0x3000;
}

/* last_line.strip().startswith("#") */
static int comment_line(const char *p, const char *e)
{
	while (p < e) {
		const char *n = p;
		if (!is_space_cp(ct_utf8_next(&n)))
			return *p == '#';
		p = n;
	}
	return 0;
}

static void simple(struct ct_pytok *tok, enum ct_pytok_type type,
		   const char *text, unsigned row, unsigned column)
{
	tok->type = type;
	tok->text = text;
	tok->len = strlen(text);
	tok->offset = 0;
	tok->srow = tok->erow = row;
	tok->scol = tok->ecol = column;
}

static int ctok_next(struct ct_pytokenizer *t, struct ct_pytok *tok,
		     struct ct_err *err);

int ct_pytok_next(struct ct_pytokenizer *t, struct ct_pytok *tok,
		  struct ct_err *err)
{
	if (t->c)
		return ctok_next(t, tok, err);
	for (;;) {
		if (pop(t, tok))
			return 1;
		switch (t->state) {
		case S_ENCODING:
			simple(tok, CT_PYTOK_ENCODING, t->encoding, 0, 0);
			t->state = S_LINES;
			return 1;
		case S_LINES:
			if (t->dedents) {
				t->dedents--;
				simple(tok, CT_PYTOK_DEDENT, "", t->lnum,
				       t->dedent_col);
				return 1;
			}
			if (!t->in_line) {
				int rc = start_line(t, err);
				if (rc)
					return rc;
				continue;
			}
			if (t->pos >= t->le) {
				t->in_line = 0;
				continue;
			}
			if (scan(t, tok))
				return 1;
			continue;
		case S_END: {
			const char *ll = t->src + t->last_ls;
			size_t n = t->last_le - t->last_ls;
			t->state = S_DEDENTS;
			if (n && ll[n - 1] != '\r' && ll[n - 1] != '\n' &&
			    !comment_line(ll, ll + n)) {
				unsigned w = chars(ll, n);
				simple(tok, CT_PYTOK_NEWLINE, "", t->lnum - 1,
				       w);
				tok->ecol = w + 1;
				return 1;
			}
			continue;
		}
		case S_DEDENTS:
			if (t->nindents > 1) {
				t->nindents--;
				simple(tok, CT_PYTOK_DEDENT, "", t->lnum, 0);
				return 1;
			}
			t->state = S_ENDMARKER;
			continue;
		case S_ENDMARKER:
			simple(tok, CT_PYTOK_ENDMARKER, "", t->lnum, 0);
			t->state = S_DONE;
			return 1;
		case S_DONE:
			return 0;
		}
	}
}

/* ---- repr()
 * ------------------------------------------------------------------ */

void ct_py_repr(struct ct_buf *out, const char *s, size_t len)
{
	const char *p = s, *e = s + len;
	char q = '\'';

	if (memchr(s, '\'', len) && !memchr(s, '"', len))
		q = '"';
	ct_buf_addch(out, q);
	while (p < e) {
		const char *start = p;
		unsigned cp = ct_utf8_next(&p);
		if (cp == (unsigned char)q || cp == '\\') {
			ct_buf_addch(out, '\\');
			ct_buf_addch(out, (char)cp);
		} else if (cp == '\t') {
			ct_buf_adds(out, "\\t");
		} else if (cp == '\n') {
			ct_buf_adds(out, "\\n");
		} else if (cp == '\r') {
			ct_buf_adds(out, "\\r");
		} else if (cp < 0x20 || cp == 0x7f) {
			ct_buf_addf(out, "\\x%02x", cp);
		} else if (cp < 0x7f || ct_pyuni_is_printable(cp)) {
			ct_buf_add(out, start, (size_t)(p - start));
		} else if (cp <= 0xff) {
			ct_buf_addf(out, "\\x%02x", cp);
		} else if (cp <= 0xffff) {
			ct_buf_addf(out, "\\u%04x", cp);
		} else {
			ct_buf_addf(out, "\\U%08x", cp);
		}
	}
	ct_buf_addch(out, q);
}

/* ---- 3.12 and 3.13: CPython's tokenizer in its extra-tokens mode ----------
 *
 * Positions are byte offsets into t->src. The source is read line by line
 * as tokenize's readline does (lines end at '\n' only); a last line without
 * one gets a newline that is not in the source (offset t->len), as CPython's
 * tokenizer fakes one. `buf` is where CPython's line buffer starts: it is
 * emptied when a line is read between tokens, and kept while a token (a
 * string, a continued line) or an f-string spans lines; some error columns
 * count from it.
 */

#define CT_EOF (-1)
#define CT_ERR (-1)
#define NONE ((size_t)-1)
#define MAXINDENT 100
#define MAXLEVEL 200
#define MAXFSTRINGLEVEL 150
#define MAX_EXPR_NESTING 3

enum done { D_OK, D_EOF, D_ERROR, D_DEDENT, D_TABSPACE, D_TOODEEP, D_LINECONT };

struct fmode {
	int fstring; /* 0: regular tokens, 1: the literal part of an f-string */
	int quote, quote_size, raw;
	int depth, expr_depth; /* curly_bracket_depth, ..._expr_start_depth */
	int expr_end;	       /* the field's expression has ended (: ! }) */
	size_t fstart, fline_start;
	unsigned fline;
};

struct ctok {
	size_t cur, inp, line_start, buf, start, multi_line_start;
	int has_start, done, atbol, pendin, level, indent, comment_newline;
	int implicit_newline;
	unsigned lineno, first_lineno;
	int indstack[MAXINDENT], altindstack[MAXINDENT];
	char parenstack[MAXLEVEL];
	int mode; /* index of the current mode */
	struct fmode modes[MAXFSTRINGLEVEL];
	/* a syntax error raised on the way (as PyErr_Occurred()) */
	int errset;
	unsigned errline, errcol;
	char errmsg[160];
	/* the token found: type and text [ps, pe) */
	size_t ps, pe;
	/* column cache: chars in [ca, cb) is cn */
	size_t ca, cb;
	unsigned cn;
	int finished;
};

static void ctok_init(struct ct_pytokenizer *t)
{
	struct ctok *c = ct_xcalloc(1, sizeof(*c));

	c->atbol = 1;
	c->ca = c->cb = NONE;
	t->c = c;
}

/* Characters (code points) in [a, b), the faked newline counting one. A
 * cut through a multi-byte character counts one, as decoding it with
 * errors="replace" does. Cached so that the columns along one long line
 * cost linear time. */
static unsigned span_chars(struct ct_pytokenizer *t, size_t a, size_t b)
{
	struct ctok *c = t->c;
	size_t i, stop;

	if (b <= a)
		return 0;
	if (c->ca != a || c->cb > b) {
		c->ca = c->cb = a;
		c->cn = 0;
	}
	stop = b < t->len ? b : t->len;
	for (i = c->cb; i < stop; i++)
		c->cn += ((unsigned char)t->src[i] & 0xc0) != 0x80;
	if (stop > c->cb)
		c->cb = stop;
	return c->cn + (b > t->len && c->cb == t->len);
}

static int underflow(struct ct_pytokenizer *t)
{
	struct ctok *c = t->c;
	const char *nl;

	if (!c->has_start && c->mode == 0)
		c->buf = c->cur; /* cur == inp here */
	if (c->inp >= t->len) {
		c->done = D_EOF;
		return 0;
	}
	nl = memchr(t->src + c->inp, '\n', t->len - c->inp);
	c->implicit_newline = !nl;
	c->inp = nl ? (size_t)(nl - t->src) + 1 : t->len + 1;
	c->lineno++;
	return 1;
}

static int syntax_error(struct ct_pytokenizer *t, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static int syntax_error(struct ct_pytokenizer *t, const char *fmt, ...)
{
	struct ctok *c = t->c;
	va_list ap;

	if (c->errset)
		return CT_ERR;
	va_start(ap, fmt);
	vsnprintf(c->errmsg, sizeof(c->errmsg), fmt, ap);
	va_end(ap);
	c->errset = 1;
	c->errline = c->lineno;
	c->errcol = span_chars(t, c->line_start, c->cur);
	c->done = D_ERROR;
	return CT_ERR;
}

static int nextc(struct ct_pytokenizer *t)
{
	struct ctok *c = t->c;

	for (;;) {
		if (c->cur != c->inp) {
			size_t i = c->cur++;
			return i < t->len ? (unsigned char)t->src[i] : '\n';
		}
		if (c->done != D_OK)
			return CT_EOF;
		if (!underflow(t)) {
			c->cur = c->inp;
			return CT_EOF;
		}
		c->line_start = c->cur;
		if (memchr(t->src + c->line_start, '\0',
			   (c->inp < t->len ? c->inp : t->len) -
			       c->line_start)) {
			syntax_error(t,
				     "source code cannot contain null bytes");
			c->cur = c->inp;
			return CT_EOF;
		}
	}
}

static void backup(struct ct_pytokenizer *t, int ch)
{
	if (ch != CT_EOF)
		t->c->cur--;
}

static int is_digit(int ch)
{
	return ch >= '0' && ch <= '9';
}

static int is_xdigit(int ch)
{
	return is_digit(ch) || ((ch | 0x20) >= 'a' && (ch | 0x20) <= 'f');
}

static int id_start(int ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	       ch == '_' || ch >= 128;
}

static int id_char(int ch)
{
	return id_start(ch) || is_digit(ch);
}

static int lower(int ch)
{
	return ch >= 'A' && ch <= 'Z' ? ch + 32 : ch;
}

static int found(struct ct_pytokenizer *t, int type, size_t ps, size_t pe)
{
	t->c->ps = ps;
	t->c->pe = pe;
	return type;
}

static int decimal_tail(struct ct_pytokenizer *t)
{
	int ch;

	for (;;) {
		do
			ch = nextc(t);
		while (is_digit(ch));
		if (ch != '_')
			return ch;
		ch = nextc(t);
		if (!is_digit(ch)) {
			backup(t, ch);
			syntax_error(t, "invalid decimal literal");
			return 0;
		}
	}
}

static int continuation_line(struct ct_pytokenizer *t)
{
	int ch = nextc(t);

	if (ch == '\r')
		ch = nextc(t);
	if (ch != '\n') {
		t->c->done = D_LINECONT;
		return -1;
	}
	ch = nextc(t);
	if (ch == CT_EOF) {
		t->c->done = D_EOF;
		t->c->cur = t->c->inp;
		return -1;
	}
	backup(t, ch);
	return ch;
}

static int indent_error(struct ct_pytokenizer *t)
{
	t->c->done = D_TABSPACE;
	t->c->cur = t->c->inp;
	return CT_ERR;
}

/* The digits of 0x, 0o, 0b literals; `what` names them in errors. */
static int radix_digits(struct ct_pytokenizer *t, int base, const char *what)
{
	int ch = nextc(t);

	do {
		if (ch == '_')
			ch = nextc(t);
		if (base == 16 ? !is_xdigit(ch)
			       : (ch < '0' || ch >= '0' + base)) {
			if (base != 16 && is_digit(ch))
				return syntax_error(t,
						    "invalid digit '%c' in %s "
						    "literal",
						    ch, what);
			backup(t, ch);
			return syntax_error(t, "invalid %s literal", what);
		}
		do
			ch = nextc(t);
		while (base == 16 ? is_xdigit(ch)
				  : (ch >= '0' && ch < '0' + base));
	} while (ch == '_');
	if (base != 16 && is_digit(ch))
		return syntax_error(t, "invalid digit '%c' in %s literal", ch,
				    what);
	backup(t, ch);
	return found(t, CT_PYTOK_NUMBER, t->c->start, t->c->cur);
}

/* A number from its first character `ch`, or (fraction set) from the digit
 * after a leading '.'. The numbers are not checked for a letter right after
 * them: the extra-tokens mode does not. */
static int c_number(struct ct_pytokenizer *t, int ch, int fraction)
{
	struct ctok *c = t->c;
	int e;

	if (fraction)
		goto fraction;
	if (ch == '0') {
		ch = nextc(t);
		if (ch == 'x' || ch == 'X')
			return radix_digits(t, 16, "hexadecimal");
		if (ch == 'o' || ch == 'O')
			return radix_digits(t, 8, "octal");
		if (ch == 'b' || ch == 'B')
			return radix_digits(t, 2, "binary");
		for (;;) {
			if (ch == '_') {
				ch = nextc(t);
				if (!is_digit(ch)) {
					backup(t, ch);
					return syntax_error(
					    t, "invalid decimal literal");
				}
			}
			if (ch != '0')
				break;
			ch = nextc(t);
		}
		if (is_digit(ch) && !(ch = decimal_tail(t)))
			return CT_ERR;
		if (ch == '.') {
			ch = nextc(t);
			goto fraction;
		}
		if (ch == 'e' || ch == 'E')
			goto exponent;
		if (ch == 'j' || ch == 'J')
			goto imaginary;
		goto done;
	}
	if (!(ch = decimal_tail(t)))
		return CT_ERR;
	if (ch == '.') {
		ch = nextc(t);
	fraction:
		if (is_digit(ch) && !(ch = decimal_tail(t)))
			return CT_ERR;
	}
	if (ch == 'e' || ch == 'E') {
	exponent:
		e = ch;
		ch = nextc(t);
		if (ch == '+' || ch == '-') {
			ch = nextc(t);
			if (!is_digit(ch)) {
				backup(t, ch);
				return syntax_error(t,
						    "invalid decimal literal");
			}
		} else if (!is_digit(ch)) {
			backup(t, ch);
			backup(t, e);
			return found(t, CT_PYTOK_NUMBER, c->start, c->cur);
		}
		if (!(ch = decimal_tail(t)))
			return CT_ERR;
	}
	if (ch == 'j' || ch == 'J') {
	imaginary:
		ch = nextc(t);
	}
done:
	backup(t, ch);
	return found(t, CT_PYTOK_NUMBER, c->start, c->cur);
}

static int fstring_start(struct ct_pytokenizer *t, int quote)
{
	struct ctok *c = t->c;
	struct fmode *m;
	int quote_size = 1, after = nextc(t);

	c->first_lineno = c->lineno;
	c->multi_line_start = c->line_start;
	if (after == quote) {
		int after2 = nextc(t);
		if (after2 == quote) {
			quote_size = 3;
		} else {
			backup(t, after2);
			backup(t, after);
		}
	}
	if (after != quote)
		backup(t, after);
	if (c->mode + 1 >= MAXFSTRINGLEVEL)
		return syntax_error(t, "too many nested f-strings");
	m = &c->modes[++c->mode];
	memset(m, 0, sizeof(*m));
	m->fstring = 1;
	m->quote = quote;
	m->quote_size = quote_size;
	m->fstart = c->start;
	m->fline_start = c->line_start;
	m->fline = c->lineno;
	m->raw = lower(t->src[c->start]) == 'r' ||
		 lower(t->src[c->start + 1]) == 'r';
	m->expr_depth = -1;
	return found(t, CT_PYTOK_FSTRING_START, c->start, c->cur);
}

static int string(struct ct_pytokenizer *t, int quote)
{
	struct ctok *c = t->c;
	int quote_size = 1, end_quote_size = 0, escaped_quote = 0, ch;

	c->first_lineno = c->lineno;
	c->multi_line_start = c->line_start;
	ch = nextc(t);
	if (ch == quote) {
		ch = nextc(t);
		if (ch == quote)
			quote_size = 3;
		else
			end_quote_size = 1; /* empty string */
	}
	if (ch != quote)
		backup(t, ch);
	while (end_quote_size != quote_size) {
		ch = nextc(t);
		if (c->errset)
			return CT_ERR;
		if (ch == CT_EOF || (quote_size == 1 && ch == '\n')) {
			unsigned start = c->lineno;
			c->cur = c->start + 1;
			c->line_start = c->multi_line_start;
			c->lineno = c->first_lineno;
			if (c->mode > 0 && c->modes[c->mode].quote == quote &&
			    c->modes[c->mode].quote_size == quote_size)
				return syntax_error(t,
						    "f-string: expecting '}'");
			if (quote_size == 3)
				/* tokenize's _transform_msg() */
				return syntax_error(t,
						    "EOF in multi-line string");
			if (escaped_quote && t->version >= CT_PY_3_13)
				return syntax_error(
				    t,
				    "unterminated string literal (detected at "
				    "line %u); perhaps you escaped the end "
				    "quote?",
				    start);
			return syntax_error(t,
					    "unterminated string literal "
					    "(detected at line %u)",
					    start);
		}
		if (ch == quote) {
			end_quote_size++;
		} else {
			end_quote_size = 0;
			if (ch == '\\') {
				ch = nextc(t);
				if (ch == quote)
					escaped_quote = 1;
				if (ch == '\r')
					ch = nextc(t);
			}
		}
	}
	return found(t, CT_PYTOK_STRING, c->start, c->cur);
}

static int get_normal(struct ct_pytokenizer *t, struct fmode *cm)
{
	struct ctok *c = t->c;
	int ch, blankline;

	c->has_start = 0;
	blankline = 0;
	if (c->atbol) {
		int col = 0, altcol = 0, cont_line_col = 0;
		c->atbol = 0;
		for (;;) {
			ch = nextc(t);
			if (ch == ' ') {
				col++, altcol++;
			} else if (ch == '\t') {
				col = (col / 8 + 1) * 8;
				altcol++;
			} else if (ch == '\f') {
				col = altcol = 0;
			} else if (ch == '\\') {
				cont_line_col =
				    cont_line_col ? cont_line_col : col;
				if (continuation_line(t) == -1)
					return CT_ERR;
			} else {
				break;
			}
		}
		backup(t, ch);
		if (ch == '#' || ch == '\n' || ch == '\r')
			blankline = 1;
		if (!blankline && c->level == 0) {
			int *ind = &c->indstack[c->indent];
			int *alt = &c->altindstack[c->indent];
			col = cont_line_col ? cont_line_col : col;
			altcol = cont_line_col ? cont_line_col : altcol;
			if (col == *ind) {
				if (altcol != *alt)
					return indent_error(t);
			} else if (col > *ind) {
				if (c->indent + 1 >= MAXINDENT) {
					c->done = D_TOODEEP;
					c->cur = c->inp;
					return CT_ERR;
				}
				if (altcol <= *alt)
					return indent_error(t);
				c->pendin++;
				c->indstack[++c->indent] = col;
				c->altindstack[c->indent] = altcol;
			} else {
				while (c->indent > 0 &&
				       col < c->indstack[c->indent]) {
					c->pendin--;
					c->indent--;
				}
				if (col != c->indstack[c->indent]) {
					c->done = D_DEDENT;
					c->cur = c->inp;
					return CT_ERR;
				}
				if (altcol != c->altindstack[c->indent])
					return indent_error(t);
			}
		}
	}
	c->start = c->cur;
	c->has_start = 1;
	if (c->pendin < 0) {
		c->pendin++;
		return found(t, CT_PYTOK_DEDENT, c->cur, c->cur);
	}
	if (c->pendin > 0) {
		c->pendin--;
		return found(t, CT_PYTOK_INDENT, c->buf, c->cur);
	}
	ch = nextc(t);
	backup(t, ch);

again:
	c->has_start = 0;
	do
		ch = nextc(t);
	while (ch == ' ' || ch == '\t' || ch == '\f');
	c->start = c->cur - 1;
	c->has_start = 1;

	if (ch == '#') {
		while (ch != CT_EOF && ch != '\n' && ch != '\r')
			ch = nextc(t);
		backup(t, ch);
		c->comment_newline = blankline;
		return found(t, CT_PYTOK_COMMENT, c->start, c->cur);
	}
	if (ch == CT_EOF) {
		if (c->level)
			return CT_ERR;
		return c->done == D_EOF
			   ? found(t, CT_PYTOK_ENDMARKER, NONE, NONE)
			   : CT_ERR;
	}
	if (id_start(ch)) {
		/* the legal combinations of b, r, u, f before a quote */
		int saw_b = 0, saw_r = 0, saw_u = 0, saw_f = 0;
		for (;;) {
			if (!(saw_b || saw_u || saw_f) &&
			    (ch == 'b' || ch == 'B'))
				saw_b = 1;
			else if (!(saw_b || saw_u || saw_r || saw_f) &&
				 (ch == 'u' || ch == 'U'))
				saw_u = 1;
			else if (!(saw_r || saw_u) && (ch == 'r' || ch == 'R'))
				saw_r = 1;
			else if (!(saw_f || saw_b || saw_u) &&
				 (ch == 'f' || ch == 'F'))
				saw_f = 1;
			else
				break;
			ch = nextc(t);
			if (ch == '"' || ch == '\'')
				return saw_f ? fstring_start(t, ch)
					     : string(t, ch);
		}
		while (id_char(ch))
			ch = nextc(t);
		backup(t, ch);
		return found(t, CT_PYTOK_NAME, c->start, c->cur);
	}
	if (ch == '\r')
		ch = nextc(t);
	if (ch == '\n') {
		c->atbol = 1;
		if (blankline || c->level > 0 || c->comment_newline) {
			c->comment_newline = 0;
			return found(t, CT_PYTOK_NL, c->start, c->cur);
		}
		return found(t, CT_PYTOK_NEWLINE, c->start, c->cur - 1);
	}
	if (ch == '.') {
		ch = nextc(t);
		if (is_digit(ch))
			return c_number(t, ch, 1);
		if (ch == '.') {
			ch = nextc(t);
			if (ch == '.')
				return found(t, CT_PYTOK_OP, c->start, c->cur);
			backup(t, ch);
			backup(t, '.');
		} else {
			backup(t, ch);
		}
		return found(t, CT_PYTOK_OP, c->start, c->cur);
	}
	if (is_digit(ch))
		return c_number(t, ch, 0);
	if (ch == '\'' || ch == '"')
		return string(t, ch);
	if (ch == '\\') {
		if (continuation_line(t) == -1)
			return CT_ERR;
		goto again;
	}
	if ((ch == ':' || ch == '}' || ch == '!' || ch == '{') && c->mode > 0 &&
	    cm->expr_depth >= 0) {
		int cursor = cm->depth - (ch != '{');
		if (cursor == 0) {
			if (ch == '{')
				cm->expr_end = 0;
			else
				cm->expr_end = 1;
		}
		if (ch == ':' && cursor == cm->expr_depth) {
			cm->fstring = 1;
			return found(t, CT_PYTOK_OP, c->start, c->cur);
		}
	}
	{
		static const char two[][3] = {
		    "!=", "%=", "&=", "**", "*=", "+=", "-=", "->", "//", "/=",
		    ":=", "<<", "<=", "<>", "==", ">=", ">>", "@=", "^=", "|="};
		int c2 = nextc(t);
		for (size_t i = 0; i < sizeof(two) / sizeof(*two); i++) {
			if (two[i][0] != ch || two[i][1] != c2)
				continue;
			{
				int c3 = nextc(t);
				if (c3 != '=' || !((ch == '*' && c2 == '*') ||
						   (ch == '/' && c2 == '/') ||
						   (ch == '<' && c2 == '<') ||
						   (ch == '>' && c2 == '>')))
					backup(t, c3);
			}
			return found(t, CT_PYTOK_OP, c->start, c->cur);
		}
		backup(t, c2);
	}
	switch (ch) {
	case '(':
	case '[':
	case '{':
		if (c->level >= MAXLEVEL)
			return syntax_error(t, "too many nested parentheses");
		c->parenstack[c->level++] = (char)ch;
		if (c->mode > 0)
			cm->depth++;
		break;
	case ')':
	case ']':
	case '}':
		if (c->mode > 0 && !cm->depth && ch == '}')
			return syntax_error(
			    t, "f-string: single '}' is not allowed");
		if (c->level > 0)
			c->level--;
		if (c->mode > 0) {
			cm->depth--;
			if (ch == '}' && cm->depth == cm->expr_depth) {
				cm->expr_depth--;
				cm->fstring = 1;
			}
		}
		break;
	default:
		break;
	}
	if (ch < 0x20 || ch == 0x7f)
		return syntax_error(t, "invalid non-printable character U+%04X",
				    (unsigned)ch);
	return found(t, CT_PYTOK_OP, c->start, c->cur);
}

/* The literal text of an f-string up to a field, or its end. */
static int get_fstring(struct ct_pytokenizer *t, struct fmode *cm)
{
	struct ctok *c = t->c;
	int end_quote_size = 0, unicode_escape = 0, start_char;

	c->start = c->cur;
	c->has_start = 1;
	c->first_lineno = c->lineno;
	start_char = nextc(t);
	if (start_char == '{') {
		int peek = nextc(t);
		backup(t, peek);
		backup(t, start_char);
		if (peek != '{') {
			if (++cm->expr_depth >= MAX_EXPR_NESTING)
				return syntax_error(t, "f-string: expressions "
						       "nested too deeply");
			cm->fstring = 0;
			return get_normal(t, cm);
		}
	} else {
		backup(t, start_char);
	}
	for (int i = 0; i < cm->quote_size; i++) {
		int q = nextc(t);
		if (q != cm->quote) {
			backup(t, q);
			goto middle;
		}
	}
	c->mode--;
	return found(t, CT_PYTOK_FSTRING_END, c->start, c->cur);

middle:
	c->multi_line_start = c->line_start;
	while (end_quote_size != cm->quote_size) {
		int ch = nextc(t);
		int in_format_spec = cm->expr_end && cm->expr_depth >= 0;
		if (c->errset)
			return CT_ERR;
		if (ch == CT_EOF || (cm->quote_size == 1 && ch == '\n')) {
			unsigned start;
			if (in_format_spec && ch == '\n') {
				backup(t, ch);
				cm->fstring = 0;
				return found(t, CT_PYTOK_FSTRING_MIDDLE,
					     c->start, c->cur);
			}
			start = c->lineno;
			c->cur = cm->fstart + 1;
			c->line_start = cm->fline_start;
			c->lineno = cm->fline;
			if (cm->quote_size == 3)
				return syntax_error(
				    t,
				    "unterminated triple-quoted f-string "
				    "literal (detected at line %u)",
				    start);
			return syntax_error(t,
					    "unterminated f-string literal "
					    "(detected at line %u)",
					    start);
		}
		if (ch == cm->quote) {
			end_quote_size++;
			continue;
		}
		end_quote_size = 0;
		if (ch == '{') {
			int peek = nextc(t);
			if (peek != '{' || in_format_spec) {
				backup(t, peek);
				backup(t, ch);
				if (++cm->expr_depth >= MAX_EXPR_NESTING)
					return syntax_error(
					    t, "f-string: expressions nested "
					       "too deeply");
				cm->fstring = 0;
				return found(t, CT_PYTOK_FSTRING_MIDDLE,
					     c->start, c->cur);
			}
			return found(t, CT_PYTOK_FSTRING_MIDDLE, c->start,
				     c->cur - 1);
		} else if (ch == '}') {
			int peek;
			if (unicode_escape)
				return found(t, CT_PYTOK_FSTRING_MIDDLE,
					     c->start, c->cur);
			peek = nextc(t);
			if (peek == '}' && !in_format_spec)
				return found(t, CT_PYTOK_FSTRING_MIDDLE,
					     c->start, c->cur - 1);
			backup(t, peek);
			backup(t, ch);
			cm->fstring = 0;
			return found(t, CT_PYTOK_FSTRING_MIDDLE, c->start,
				     c->cur);
		} else if (ch == '\\') {
			int peek = nextc(t);
			if (peek == '\r')
				peek = nextc(t);
			if (peek == '{' || peek == '}') {
				backup(t, peek);
				continue;
			}
			if (!cm->raw && peek == 'N') {
				peek = nextc(t);
				if (peek == '{')
					unicode_escape = 1;
				else
					backup(t, peek);
			}
		}
	}
	for (int i = 0; i < cm->quote_size; i++)
		backup(t, cm->quote);
	return found(t, CT_PYTOK_FSTRING_MIDDLE, c->start, c->cur);
}

/* The error of an ERRORTOKEN that raised none on the way: tokenize's
 * messages, at the column of the end of CPython's line buffer. */
static int ctok_error(struct ct_pytokenizer *t, struct ct_err *err)
{
	struct ctok *c = t->c;
	const char *msg;

	if (c->errset)
		return ct_err_at(err, CT_EPARSE, t->path, c->errline, c->errcol,
				 "%s", c->errmsg);
	switch (c->done) {
	case D_EOF:
		msg = "unexpected EOF in multi-line statement";
		break;
	case D_DEDENT:
		msg = "unindent does not match any outer indentation level";
		break;
	case D_TABSPACE:
		msg = "inconsistent use of tabs and spaces in indentation";
		break;
	case D_TOODEEP:
		msg = "too many levels of indentation";
		break;
	case D_LINECONT:
		msg = "unexpected character after line continuation character";
		break;
	default:
		msg = "unknown tokenization error";
	}
	return ct_err_at(err, CT_EPARSE, t->path, c->lineno,
			 span_chars(t, c->buf, c->inp), "%s", msg);
}

static int ctok_next(struct ct_pytokenizer *t, struct ct_pytok *tok,
		     struct ct_err *err)
{
	struct ctok *c = t->c;
	struct fmode *cm;
	int type, stringlit, trailing;
	size_t ls;

	if (t->state == S_ENCODING) {
		simple(tok, CT_PYTOK_ENCODING, t->encoding, 0, 0);
		t->state = S_LINES;
		return 1;
	}
	if (c->finished)
		return 0;
	cm = &c->modes[c->mode];
	type = cm->fstring ? get_fstring(t, cm) : get_normal(t, cm);
	if (type == CT_ERR || c->errset)
		return ctok_error(t, err);

	trailing = type == CT_PYTOK_ENDMARKER ||
		   (type == CT_PYTOK_DEDENT && c->done == D_EOF);
	stringlit = type == CT_PYTOK_STRING || type == CT_PYTOK_FSTRING_MIDDLE;
	ls = stringlit ? c->multi_line_start : c->line_start;
	tok->type = (enum ct_pytok_type)type;
	if (c->ps == NONE) {
		tok->text = "";
		tok->len = 0;
		tok->offset = c->cur;
	} else {
		tok->text = t->src + c->ps;
		tok->len = c->pe - c->ps;
		tok->offset = c->ps;
	}
	tok->srow = stringlit ? c->first_lineno : c->lineno;
	tok->erow = c->lineno;
	tok->scol = c->ps != NONE && c->ps >= ls ? span_chars(t, ls, c->ps)
						 : (unsigned)-1;
	if (c->pe == NONE || c->pe < c->line_start) {
		tok->ecol = (unsigned)-1;
	} else if (t->version == CT_PY_3_12 && stringlit) {
		/* 3.12 counts the end column's bytes from the start of the
		 * string's first line */
		size_t n = c->pe - c->line_start, room = c->inp - ls;
		if (c->implicit_newline)
			room--;
		if (n > room + 1)
			n = room + 1;
		tok->ecol = span_chars(t, ls, ls + n);
	} else {
		tok->ecol = span_chars(t, c->line_start, c->pe);
	}
	if (trailing) {
		tok->srow = tok->erow = c->lineno + 1;
		tok->scol = tok->ecol = 0;
	}
	if (type == CT_PYTOK_NEWLINE) {
		if (c->implicit_newline)
			tok->text = "";
		else
			tok->text = t->src[c->start] == '\r' ? "\r\n" : "\n";
		tok->len = strlen(tok->text);
		tok->ecol++;
	} else if (type == CT_PYTOK_NL && c->implicit_newline) {
		tok->text = "";
		tok->len = 0;
	}
	if (type == CT_PYTOK_ENDMARKER)
		c->finished = 1;
	return 1;
}
