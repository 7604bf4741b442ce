/*
 * A faithful C rendering of Python 3.11's Lib/tokenize.py: the same
 * regular expressions, tried in the same order with the same first-match
 * semantics, the same line loop and the same end-of-file rules, so that
 * `contracts py tokens` and `python3 -m tokenize` agree byte for byte.
 */
#include "contracts/pytoken.h"

#include "contracts/json.h"
#include "contracts/xalloc.h"
#include "pyunicode.h"

#include <errno.h>
#include <iconv.h>
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
};

static const char *const type_names[] = {
    "ENDMARKER", "NAME", "NUMBER",  "STRING", "NEWLINE",    "INDENT",
    "DEDENT",	 "OP",	 "COMMENT", "NL",     "ERRORTOKEN", "ENCODING"};

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

int ct_pytok_new(struct ct_pytokenizer **out, const char *src, size_t len,
		 const char *path, struct ct_err *err)
{
	struct ct_pytokenizer *t = ct_xcalloc(1, sizeof(*t));
	int rc;

	t->path = ct_xstrdup(path ? path : "<source>");
	if ((rc = decode(t, src, len, err))) {
		ct_pytok_free(t);
		return rc;
	}
	t->indents = ct_xgrow(NULL, &t->cap_indents, 1, sizeof(*t->indents));
	t->indents[0] = 0;
	t->nindents = 1;
	t->state = S_ENCODING;
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

int ct_pytok_next(struct ct_pytokenizer *t, struct ct_pytok *tok,
		  struct ct_err *err)
{
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
