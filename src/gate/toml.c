/* A TOML 1.0 reader (toml.h). It follows the grammar and the table rules as
 * Python's tomllib applies them, which the tests compare it with: a table
 * is defined once, by a header or by dotted keys, never both; inline
 * tables and arrays written as values are frozen; dotted keys of one
 * section cannot be reopened as headers once the section ends. */
#include "contracts/toml.h"

#include "contracts/buf.h"
#include "contracts/xalloc.h"

#include <errno.h>
#include <json-c/json.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* userdata: bits 0-2 the date-time kind, 3 frozen, 4 explicit, 8- line */
#define KIND_MASK 7u
#define F_FROZEN 8u
#define F_EXPLICIT 16u
#define LINE_SHIFT 8

struct parser {
	const char *s, *p, *end; /* the text, "\r\n" already turned to "\n" */
	const char *path;
	struct ct_err *err;
	int depth;
	const char *lp; /* where line `ln` was last counted to */
	unsigned ln;
	json_object **pending; /* tables made by dotted keys in this section */
	size_t npending, cap;
};

static uintptr_t bits_of(json_object *v)
{
	return (uintptr_t)json_object_get_userdata(v);
}

static void set_bits(json_object *v, uintptr_t bits)
{
	json_object_set_userdata(v, (void *)bits, NULL);
}

static void add_flag(json_object *v, uintptr_t f)
{
	set_bits(v, bits_of(v) | f);
}

unsigned ct_toml_line(json_object *v)
{
	return v ? (unsigned)(bits_of(v) >> LINE_SHIFT) : 0;
}

enum ct_toml_kind ct_toml_kind(json_object *v)
{
	return v ? (enum ct_toml_kind)(bits_of(v) & KIND_MASK) : CT_TOML_OTHER;
}

/* Lines are counted on from the last place asked about, as the parser
 * moves forward, so a long file is not scanned again for every value. */
static unsigned line_at(struct parser *ps, const char *at)
{
	if (!ps->lp || at < ps->lp) {
		ps->lp = ps->s;
		ps->ln = 1;
	}
	for (; ps->lp < at; ps->lp++)
		ps->ln += *ps->lp == '\n';
	return ps->ln;
}

static int fail_at(struct parser *ps, const char *at, const char *msg)
{
	unsigned line = 1, col = 1;

	for (const char *q = ps->s; q < at && q < ps->end; q++) {
		if (*q == '\n') {
			line++;
			col = 1;
		} else if (((unsigned char)*q & 0xC0) != 0x80) {
			col++;
		}
	}
	return ct_err_at(ps->err, CT_EPARSE, ps->path, line, col,
			 "invalid TOML: %s", msg);
}

static json_object *stamp(struct parser *ps, json_object *v, const char *at,
			  unsigned kind)
{
	set_bits(v, ((uintptr_t)line_at(ps, at) << LINE_SHIFT) | kind);
	return v;
}

static int at_end(const struct parser *ps)
{
	return ps->p >= ps->end;
}

static int peek(const struct parser *ps)
{
	return at_end(ps) ? -1 : (unsigned char)*ps->p;
}

static int starts(const struct parser *ps, const char *w)
{
	size_t n = strlen(w);

	return (size_t)(ps->end - ps->p) >= n && !memcmp(ps->p, w, n);
}

static void skip_ws(struct parser *ps)
{
	while (!at_end(ps) && (*ps->p == ' ' || *ps->p == '\t'))
		ps->p++;
}

/* A control character TOML refuses: all below 0x20 but tab, and DEL. */
static int is_ctrl(int c)
{
	return (c < 0x20 && c != '\t') || c == 0x7f;
}

static int skip_comment(struct parser *ps)
{
	if (peek(ps) != '#')
		return 0;
	for (ps->p++; !at_end(ps) && *ps->p != '\n'; ps->p++)
		if (is_ctrl((unsigned char)*ps->p))
			return fail_at(ps, ps->p,
				       "control character in a comment");
	return 0;
}

static int skip_array_ws(struct parser *ps)
{
	int rc;

	for (;;) {
		while (!at_end(ps) &&
		       (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n'))
			ps->p++;
		if (peek(ps) != '#')
			return 0;
		if ((rc = skip_comment(ps)))
			return rc;
	}
}

static void add_utf8(struct ct_buf *b, unsigned long c)
{
	if (c < 0x80) {
		ct_buf_addch(b, (char)c);
	} else if (c < 0x800) {
		ct_buf_addch(b, (char)(0xC0 | (c >> 6)));
		ct_buf_addch(b, (char)(0x80 | (c & 0x3F)));
	} else if (c < 0x10000) {
		ct_buf_addch(b, (char)(0xE0 | (c >> 12)));
		ct_buf_addch(b, (char)(0x80 | ((c >> 6) & 0x3F)));
		ct_buf_addch(b, (char)(0x80 | (c & 0x3F)));
	} else {
		ct_buf_addch(b, (char)(0xF0 | (c >> 18)));
		ct_buf_addch(b, (char)(0x80 | ((c >> 12) & 0x3F)));
		ct_buf_addch(b, (char)(0x80 | ((c >> 6) & 0x3F)));
		ct_buf_addch(b, (char)(0x80 | (c & 0x3F)));
	}
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int escape(struct parser *ps, struct ct_buf *out, int multiline)
{
	const char *at = ps->p;
	int c;

	ps->p++; /* the backslash */
	c = peek(ps);
	if (multiline && (c == ' ' || c == '\t' || c == '\n')) {
		/* a line-ending backslash eats white space and newlines */
		skip_ws(ps);
		if (at_end(ps))
			return 0;
		if (*ps->p != '\n')
			return fail_at(ps, ps->p, "unescaped '\\' in a string");
		while (!at_end(ps) &&
		       (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n'))
			ps->p++;
		return 0;
	}
	ps->p++;
	switch (c) {
	case 'b':
		ct_buf_addch(out, '\b');
		return 0;
	case 't':
		ct_buf_addch(out, '\t');
		return 0;
	case 'n':
		ct_buf_addch(out, '\n');
		return 0;
	case 'f':
		ct_buf_addch(out, '\f');
		return 0;
	case 'r':
		ct_buf_addch(out, '\r');
		return 0;
	case '"':
		ct_buf_addch(out, '"');
		return 0;
	case '\\':
		ct_buf_addch(out, '\\');
		return 0;
	case 'u':
	case 'U': {
		int n = c == 'u' ? 4 : 8;
		unsigned long v = 0;
		for (int i = 0; i < n; i++) {
			int h = at_end(ps) ? -1 : hexval((unsigned char)*ps->p);
			if (h < 0)
				return fail_at(ps, ps->p, "invalid hex value");
			v = v * 16 + (unsigned long)h;
			ps->p++;
		}
		if (v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
			return fail_at(ps, at,
				       "escaped character is not a Unicode "
				       "scalar value");
		add_utf8(out, v);
		return 0;
	}
	default:
		return fail_at(ps, at, "unescaped '\\' in a string");
	}
}

/* How many bytes from ps->p (at least one: the caller has checked it)
 * are plain string content: no control character but a newline, none of
 * `stop`. Taken whole, a long string is not copied byte by byte. */
static size_t plain_run(const struct parser *ps, const char *stop)
{
	const char *q = ps->p + 1;

	while (q < ps->end && !strchr(stop, *q) &&
	       (!is_ctrl((unsigned char)*q) || *q == '\n'))
		q++;
	return (size_t)(q - ps->p);
}

/* A basic string after its opening quote(s). */
static int basic_string(struct parser *ps, struct ct_buf *out, int multiline)
{
	size_t n;
	int rc;

	for (;;) {
		int c = peek(ps);
		if (c < 0)
			return fail_at(ps, ps->p, "unterminated string");
		if (c == '"') {
			if (!multiline) {
				ps->p++;
				return 0;
			}
			if (starts(ps, "\"\"\"")) {
				ps->p += 3;
				return 0;
			}
			ct_buf_addch(out, '"');
			ps->p++;
			continue;
		}
		if (c == '\\') {
			if ((rc = escape(ps, out, multiline)))
				return rc;
			continue;
		}
		if (is_ctrl(c) && !(multiline && c == '\n'))
			return fail_at(ps, ps->p,
				       "control character in a string");
		n = plain_run(ps, "\"\\");
		ct_buf_add(out, ps->p, n);
		ps->p += n;
	}
}

static int literal_string(struct parser *ps, struct ct_buf *out, int multiline)
{
	size_t n;

	for (;;) {
		int c = peek(ps);
		if (c < 0)
			return fail_at(ps, ps->p, "unterminated string");
		if (!multiline && c == '\'') {
			ps->p++;
			return 0;
		}
		if (multiline && starts(ps, "'''")) {
			ps->p += 3;
			return 0;
		}
		if (is_ctrl(c) && !(multiline && c == '\n'))
			return fail_at(ps, ps->p,
				       "control character in a string");
		n = plain_run(ps, "'");
		ct_buf_add(out, ps->p, n);
		ps->p += n;
	}
}

/* A string value of any of the four kinds, at its opening quote. */
static int string(struct parser *ps, struct ct_buf *out)
{
	char q = *ps->p;
	char three[4] = {q, q, q, 0};
	int rc;

	if (!starts(ps, three)) {
		ps->p++;
		return q == '"' ? basic_string(ps, out, 0)
				: literal_string(ps, out, 0);
	}
	ps->p += 3;
	if (peek(ps) == '\n')
		ps->p++;
	rc = q == '"' ? basic_string(ps, out, 1) : literal_string(ps, out, 1);
	/* up to two quotes may close the string: """a"""" is 'a"' */
	for (int i = 0; !rc && i < 2 && peek(ps) == q; i++) {
		ct_buf_addch(out, q);
		ps->p++;
	}
	return rc;
}

static int is_bare(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '-' || c == '_';
}

/* A dotted key into `parts` (NUL-separated, `n` of them). */
static int key(struct parser *ps, struct ct_buf *parts, size_t *n)
{
	int rc;

	*n = 0;
	ct_buf_reset(parts);
	for (;;) {
		int c = peek(ps);
		if (is_bare(c)) {
			while (is_bare(peek(ps)))
				ct_buf_addch(parts, *ps->p++);
		} else if (c == '"' || c == '\'') {
			struct ct_buf part = CT_BUF_INIT;
			ps->p++;
			rc = c == '"' ? basic_string(ps, &part, 0)
				      : literal_string(ps, &part, 0);
			if (!rc && memchr(part.ptr, '\0', part.len))
				rc = fail_at(ps, ps->p,
					     "a key holding a NUL character");
			ct_buf_add(parts, part.ptr, part.len);
			ct_buf_release(&part);
			if (rc)
				return rc;
		} else {
			return fail_at(ps, ps->p,
				       "invalid initial character for a key");
		}
		ct_buf_addch(parts, '\0');
		(*n)++;
		skip_ws(ps);
		if (peek(ps) != '.')
			return 0;
		ps->p++;
		skip_ws(ps);
	}
}

static const char *next_part(const char *k)
{
	return k + strlen(k) + 1;
}

static int digits(const char *p, int n)
{
	for (int i = 0; i < n; i++)
		if (p[i] < '0' || p[i] > '9')
			return 0;
	return 1;
}

static int num2(const char *p)
{
	return (p[0] - '0') * 10 + (p[1] - '0');
}

/* HH:MM:SS[.frac] at p (within `left` bytes): its length, or 0. */
static size_t time_len(const char *p, size_t left)
{
	size_t n = 8;

	if (left < 8 || !digits(p, 2) || p[2] != ':' || !digits(p + 3, 2) ||
	    p[5] != ':' || !digits(p + 6, 2))
		return 0;
	if (num2(p) > 23 || num2(p + 3) > 59 || num2(p + 6) > 59)
		return 0;
	if (left > 9 && p[8] == '.' && digits(p + 9, 1)) {
		n = 9;
		while (n < left && p[n] >= '0' && p[n] <= '9')
			n++;
	}
	return n;
}

static int days_in(int y, int m)
{
	static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	if (m == 2 && y % 4 == 0 && (y % 100 != 0 || y % 400 == 0))
		return 29;
	return d[m - 1];
}

/* A date-time or a time at ps->p, as tomllib's patterns read them. *out is
 * NULL when there is none here. */
static int datetime(struct parser *ps, json_object **out)
{
	const char *p = ps->p;
	size_t left = (size_t)(ps->end - p), n, t;
	struct ct_buf text = CT_BUF_INIT;
	unsigned kind;
	int y, m, d;

	*out = NULL;
	if (left >= 10 && digits(p, 4) && p[4] == '-' && digits(p + 5, 2) &&
	    p[7] == '-' && digits(p + 8, 2)) {
		y = atoi(p);
		m = num2(p + 5);
		d = num2(p + 8);
		if (m < 1 || m > 12 || d < 1 || d > 31)
			return 0;
		if (y < 1 || d > days_in(y, m))
			return fail_at(ps, p, "invalid date or datetime");
		ct_buf_add(&text, p, 10);
		n = 10;
		kind = CT_TOML_LOCAL_DATE;
		if (left > 11 &&
		    (p[10] == 'T' || p[10] == 't' || p[10] == ' ') &&
		    (t = time_len(p + 11, left - 11))) {
			ct_buf_addch(&text, 'T');
			ct_buf_add(&text, p + 11, t);
			n = 11 + t;
			kind = CT_TOML_LOCAL_DATETIME;
			if (n < left && (p[n] == 'Z' || p[n] == 'z')) {
				ct_buf_addch(&text, 'Z');
				n++;
				kind = CT_TOML_OFFSET_DATETIME;
			} else if (left - n >= 6 &&
				   (p[n] == '+' || p[n] == '-') &&
				   digits(p + n + 1, 2) && p[n + 3] == ':' &&
				   digits(p + n + 4, 2) &&
				   num2(p + n + 1) <= 23 &&
				   num2(p + n + 4) <= 59) {
				ct_buf_add(&text, p + n, 6);
				n += 6;
				kind = CT_TOML_OFFSET_DATETIME;
			}
		}
	} else if ((t = time_len(p, left))) {
		ct_buf_add(&text, p, t);
		n = t;
		kind = CT_TOML_LOCAL_TIME;
	} else {
		return 0;
	}
	*out = stamp(ps, json_object_new_string_len(text.ptr, (int)text.len), p,
		     kind);
	ct_buf_release(&text);
	ps->p += n;
	return 0;
}

static int is_digit(int c)
{
	return c >= '0' && c <= '9';
}

/* Digits of `base` with single underscores between them; the length. */
static size_t run_of(const char *p, const char *end, int base)
{
	const char *q = p;

	for (;;) {
		if (q >= end || hexval((unsigned char)*q) < 0 ||
		    hexval((unsigned char)*q) >= base)
			return q == p ? 0 : (size_t)(q - p);
		q++;
		if (q + 1 < end && *q == '_' &&
		    hexval((unsigned char)q[1]) >= 0 &&
		    hexval((unsigned char)q[1]) < base)
			q++;
	}
}

/* An integer or float at ps->p, as tomllib's pattern reads it; *out NULL
 * when there is none. */
static int number(struct parser *ps, json_object **out)
{
	const char *p = ps->p, *q = p, *end = ps->end;
	struct ct_buf clean = CT_BUF_INIT;
	int is_float = 0, rc = 0;
	size_t n;

	*out = NULL;
	if (end - q >= 3 && q[0] == '0' &&
	    (q[1] == 'x' || q[1] == 'o' || q[1] == 'b')) {
		int base = q[1] == 'x' ? 16 : q[1] == 'o' ? 8 : 2;
		unsigned long long v = 0;
		if ((n = run_of(q + 2, end, base))) {
			for (const char *d = q + 2; d < q + 2 + n; d++) {
				if (*d == '_')
					continue;
				if (v > (unsigned long long)INT64_MAX /
					    (unsigned)base ||
				    v * (unsigned)base + (unsigned)hexval(*d) >
					(unsigned long long)INT64_MAX)
					return fail_at(
					    ps, p,
					    "integer out of 64-bit range");
				v = v * (unsigned)base + (unsigned)hexval(*d);
			}
			ps->p = q + 2 + n;
			*out =
			    stamp(ps, json_object_new_int64((int64_t)v), p, 0);
			return 0;
		}
	}
	if (q < end && (*q == '+' || *q == '-'))
		q++;
	if (q < end && *q == '0')
		q++;
	else if (q < end && is_digit(*q))
		q += run_of(q, end, 10);
	else
		return 0;
	if (q + 1 < end && *q == '.' && is_digit(q[1])) {
		q += 1 + run_of(q + 1, end, 10);
		is_float = 1;
	}
	if (q < end && (*q == 'e' || *q == 'E')) {
		const char *e = q + 1;
		if (e < end && (*e == '+' || *e == '-'))
			e++;
		if (e < end && is_digit(*e)) {
			q = e + run_of(e, end, 10);
			is_float = 1;
		}
	}
	for (const char *d = p; d < q; d++)
		if (*d != '_')
			ct_buf_addch(&clean, *d);
	errno = 0;
	if (is_float) {
		double v = strtod(clean.ptr, NULL);
		*out = stamp(ps, json_object_new_double(v), p, 0);
	} else {
		long long v = strtoll(clean.ptr, NULL, 10);
		if (errno == ERANGE)
			rc = fail_at(ps, p, "integer out of 64-bit range");
		else
			*out = stamp(ps, json_object_new_int64(v), p, 0);
	}
	ct_buf_release(&clean);
	if (!rc)
		ps->p = q;
	return rc;
}

static int value(struct parser *ps, json_object **out);

static int array(struct parser *ps, json_object **out)
{
	json_object *arr = stamp(ps, json_object_new_array(), ps->p, 0), *v;
	int rc;

	ps->p++;
	if ((rc = skip_array_ws(ps)))
		goto fail;
	if (peek(ps) == ']') {
		ps->p++;
		*out = arr;
		return 0;
	}
	for (;;) {
		if ((rc = value(ps, &v)))
			goto fail;
		json_object_array_add(arr, v);
		if ((rc = skip_array_ws(ps)))
			goto fail;
		if (peek(ps) == ']') {
			ps->p++;
			break;
		}
		if (peek(ps) != ',') {
			rc = fail_at(ps, ps->p, "unclosed array");
			goto fail;
		}
		ps->p++;
		if ((rc = skip_array_ws(ps)))
			goto fail;
		if (peek(ps) == ']') {
			ps->p++;
			break;
		}
	}
	*out = arr;
	return 0;
fail:
	json_object_put(arr);
	return rc;
}

/* Walks `n` parts of `k` from `t`, making missing tables (stamped at
 * `at`); through an array, into its last element. NULL with an error when
 * something else than a table is in the way. */
static json_object *nest(struct parser *ps, json_object *t, const char *k,
			 size_t n, int into_lists, const char *at)
{
	for (size_t i = 0; i < n; i++, k = next_part(k)) {
		json_object *v;
		if (!json_object_object_get_ex(t, k, &v)) {
			/* an implicit table: no line of its own */
			v = json_object_new_object();
			json_object_object_add(t, k, v);
		}
		if (into_lists && json_object_is_type(v, json_type_array) &&
		    json_object_array_length(v))
			v = json_object_array_get_idx(
			    v, json_object_array_length(v) - 1);
		if (!json_object_is_type(v, json_type_object)) {
			fail_at(ps, at, "a key already holds a value");
			return NULL;
		}
		t = v;
	}
	return t;
}

/* Whether the `n`-part key `k` under `t` has `flag`: the last part's own,
 * or frozen by any table or array on the way. */
static int has_flag(json_object *t, const char *k, size_t n, uintptr_t flag)
{
	for (size_t i = 0; i < n; i++, k = next_part(k)) {
		json_object *v;
		if (!t || !json_object_object_get_ex(t, k, &v))
			return 0;
		if (i + 1 == n)
			return (bits_of(v) & flag) != 0;
		if (bits_of(v) & F_FROZEN)
			return 1;
		if (json_object_is_type(v, json_type_array))
			v = json_object_array_length(v)
				? json_object_array_get_idx(
				      v, json_object_array_length(v) - 1)
				: NULL;
		t = v && json_object_is_type(v, json_type_object) ? v : NULL;
	}
	return 0;
}

static int inline_table(struct parser *ps, json_object **out)
{
	json_object *tab = stamp(ps, json_object_new_object(), ps->p, 0), *v,
		    *parent;
	struct ct_buf k = CT_BUF_INIT;
	const char *stem, *at;
	size_t n;
	int rc;

	ps->p++;
	skip_ws(ps);
	if (peek(ps) == '}') {
		ps->p++;
		*out = tab;
		return 0;
	}
	for (;;) {
		at = ps->p;
		if ((rc = key(ps, &k, &n)))
			goto fail;
		if (peek(ps) != '=') {
			rc = fail_at(ps, ps->p, "expected '=' after a key");
			goto fail;
		}
		ps->p++;
		skip_ws(ps);
		if ((rc = value(ps, &v)))
			goto fail;
		if (has_flag(tab, k.ptr, n, F_FROZEN)) {
			json_object_put(v);
			rc = fail_at(ps, at, "an inline table is not extended");
			goto fail;
		}
		stem = k.ptr;
		for (size_t i = 1; i < n; i++)
			stem = next_part(stem);
		if (!(parent = nest(ps, tab, k.ptr, n - 1, 0, at))) {
			json_object_put(v);
			rc = CT_EPARSE;
			goto fail;
		}
		if (json_object_object_get_ex(parent, stem, NULL)) {
			json_object_put(v);
			rc =
			    fail_at(ps, at, "duplicate key in an inline table");
			goto fail;
		}
		if (json_object_is_type(v, json_type_object) ||
		    json_object_is_type(v, json_type_array))
			add_flag(v, F_FROZEN);
		json_object_object_add(parent, stem, v);
		skip_ws(ps);
		if (peek(ps) == '}') {
			ps->p++;
			break;
		}
		if (peek(ps) != ',') {
			rc = fail_at(ps, ps->p, "unclosed inline table");
			goto fail;
		}
		ps->p++;
		skip_ws(ps);
	}
	ct_buf_release(&k);
	*out = tab;
	return 0;
fail:
	ct_buf_release(&k);
	json_object_put(tab);
	return rc;
}

static int value(struct parser *ps, json_object **out)
{
	const char *at = ps->p;
	int c = peek(ps), rc;

	*out = NULL;
	if (c == '"' || c == '\'') {
		struct ct_buf s = CT_BUF_INIT;
		if (!(rc = string(ps, &s)))
			*out = stamp(
			    ps, json_object_new_string_len(s.ptr, (int)s.len),
			    at, 0);
		ct_buf_release(&s);
		return rc;
	}
	if (starts(ps, "true")) {
		ps->p += 4;
		*out = stamp(ps, json_object_new_boolean(1), at, 0);
		return 0;
	}
	if (starts(ps, "false")) {
		ps->p += 5;
		*out = stamp(ps, json_object_new_boolean(0), at, 0);
		return 0;
	}
	if (c == '[' || c == '{') {
		if (ps->depth >= CT_TOML_MAX_DEPTH)
			return fail_at(ps, at, "nested too deeply");
		ps->depth++;
		rc = c == '[' ? array(ps, out) : inline_table(ps, out);
		ps->depth--;
		return rc;
	}
	if ((rc = datetime(ps, out)) || *out)
		return rc;
	if ((rc = number(ps, out)) || *out)
		return rc;
	{
		static const char *const special[] = {"inf",  "nan",  "+inf",
						      "-inf", "+nan", "-nan"};
		for (size_t i = 0; i < 6; i++) {
			if (starts(ps, special[i])) {
				double v =
				    special[i][strlen(special[i]) - 1] == 'f'
					? INFINITY
					: NAN;
				if (special[i][0] == '-')
					v = -v;
				ps->p += strlen(special[i]);
				*out =
				    stamp(ps, json_object_new_double(v), at, 0);
				return 0;
			}
		}
	}
	return fail_at(ps, at, "invalid value");
}

static void push_pending(struct parser *ps, json_object *t)
{
	if (ps->npending == ps->cap) {
		ps->cap = ps->cap ? ps->cap * 2 : 16;
		ps->pending =
		    ct_xrealloc(ps->pending, ps->cap * sizeof(*ps->pending));
	}
	ps->pending[ps->npending++] = t;
}

static void finalize_pending(struct parser *ps)
{
	for (size_t i = 0; i < ps->npending; i++)
		add_flag(ps->pending[i], F_EXPLICIT);
	ps->npending = 0;
}

/* KEY = VALUE in the section `header` (hn parts) of `root`. */
static int key_value(struct parser *ps, json_object *root,
		     const struct ct_buf *header, size_t hn)
{
	struct ct_buf full = CT_BUF_INIT, k = CT_BUF_INIT;
	json_object *v = NULL, *parent, *sect;
	const char *at = ps->p, *stem;
	size_t n;
	int rc;

	if ((rc = key(ps, &k, &n)))
		goto done;
	if (peek(ps) != '=') {
		rc = fail_at(ps, ps->p, "expected '=' after a key");
		goto done;
	}
	ps->p++;
	skip_ws(ps);
	if ((rc = value(ps, &v)))
		goto done;
	ct_buf_add(&full, header->ptr, header->len);
	ct_buf_add(&full, k.ptr, k.len);
	/* the tables a dotted key goes through must not be defined by a
	 * header, and will not be reopened by one */
	for (size_t i = 1; i < n; i++) {
		if (has_flag(root, full.ptr, hn + i, F_EXPLICIT)) {
			rc = fail_at(ps, at, "a dotted key redefines a table");
			goto done;
		}
	}
	if (has_flag(root, full.ptr, hn + n - 1, F_FROZEN)) {
		rc =
		    fail_at(ps, at, "an inline table or array is not extended");
		goto done;
	}
	if (!(sect = nest(ps, root, full.ptr, hn, 1, at)) ||
	    !(parent = nest(ps, sect, k.ptr, n - 1, 1, at))) {
		rc = CT_EPARSE;
		goto done;
	}
	/* the tables of the dotted key, for finalize_pending */
	{
		json_object *t = sect;
		const char *p = k.ptr;
		for (size_t i = 0; i + 1 < n; i++, p = next_part(p)) {
			json_object_object_get_ex(t, p, &t);
			if (json_object_is_type(t, json_type_array))
				t = json_object_array_get_idx(
				    t, json_object_array_length(t) - 1);
			push_pending(ps, t);
		}
	}
	stem = k.ptr;
	for (size_t i = 1; i < n; i++)
		stem = next_part(stem);
	if (json_object_object_get_ex(parent, stem, NULL)) {
		rc = fail_at(ps, at, "a key is defined twice");
		goto done;
	}
	if (json_object_is_type(v, json_type_object) ||
	    json_object_is_type(v, json_type_array))
		add_flag(v, F_FROZEN);
	json_object_object_add(parent, stem, v);
	v = NULL;
done:
	json_object_put(v);
	ct_buf_release(&full);
	ct_buf_release(&k);
	return rc;
}

/* [table] or [[array.of.tables]] at ps->p; sets the header. */
static int header_rule(struct parser *ps, json_object *root,
		       struct ct_buf *header, size_t *hn)
{
	const char *at = ps->p;
	int list = starts(ps, "[[");
	json_object *parent, *v;
	const char *stem;
	size_t n;
	int rc;

	ps->p += list ? 2 : 1;
	skip_ws(ps);
	if ((rc = key(ps, header, &n)))
		return rc;
	if (list ? !starts(ps, "]]") : peek(ps) != ']')
		return fail_at(ps, ps->p,
			       list ? "expected ']]' at the end of an array "
				      "of tables header"
				    : "expected ']' at the end of a table "
				      "header");
	ps->p += list ? 2 : 1;
	*hn = n;
	if (has_flag(root, header->ptr, n, F_FROZEN))
		return fail_at(ps, at,
			       "an inline table or array is not "
			       "extended");
	if (!list && has_flag(root, header->ptr, n, F_EXPLICIT))
		return fail_at(ps, at, "a table is defined twice");
	if (!(parent = nest(ps, root, header->ptr, n - 1, 1, at)))
		return CT_EPARSE;
	stem = header->ptr;
	for (size_t i = 1; i < n; i++)
		stem = next_part(stem);
	if (!list) {
		if (!json_object_object_get_ex(parent, stem, &v)) {
			v = json_object_new_object();
			json_object_object_add(parent, stem, v);
		} else if (json_object_is_type(v, json_type_array)) {
			v = json_object_array_get_idx(
			    v, json_object_array_length(v) - 1);
		}
		if (!json_object_is_type(v, json_type_object))
			return fail_at(ps, at, "a key already holds a value");
		set_bits(v, ((uintptr_t)line_at(ps, at) << LINE_SHIFT) |
				(bits_of(v) & ~((uintptr_t)~0u << LINE_SHIFT)) |
				F_EXPLICIT);
		return 0;
	}
	if (!json_object_object_get_ex(parent, stem, &v)) {
		v = stamp(ps, json_object_new_array(), at, 0);
		json_object_object_add(parent, stem, v);
	} else if (!json_object_is_type(v, json_type_array)) {
		return fail_at(ps, at,
			       "an array of tables names a key holding "
			       "something else");
	}
	add_flag(v, F_EXPLICIT);
	json_object_array_add(v, stamp(ps, json_object_new_object(), at, 0));
	return 0;
}

/* Well-formed UTF-8, as Python's decoder wants it; the first bad byte. */
static const char *bad_utf8(const char *s, const char *end)
{
	const unsigned char *p = (const unsigned char *)s;

	while ((const char *)p < end) {
		unsigned c = *p, n;
		unsigned long v;
		if (c < 0x80) {
			p++;
			continue;
		}
		if (c >= 0xC2 && c <= 0xDF)
			n = 1, v = c & 0x1F;
		else if (c >= 0xE0 && c <= 0xEF)
			n = 2, v = c & 0x0F;
		else if (c >= 0xF0 && c <= 0xF4)
			n = 3, v = c & 0x07;
		else
			return (const char *)p;
		if ((size_t)(end - (const char *)p) <= n)
			return (const char *)p;
		for (unsigned i = 1; i <= n; i++) {
			if ((p[i] & 0xC0) != 0x80)
				return (const char *)p;
			v = (v << 6) | (p[i] & 0x3F);
		}
		if ((n == 2 && (v < 0x800 || (v >= 0xD800 && v <= 0xDFFF))) ||
		    (n == 3 && (v < 0x10000 || v > 0x10FFFF)))
			return (const char *)p;
		p += n + 1;
	}
	return NULL;
}

int ct_toml_parse(json_object **out, const char *text, size_t len,
		  const char *path, struct ct_err *err)
{
	struct parser ps;
	struct ct_buf src = CT_BUF_INIT, header = CT_BUF_INIT;
	json_object *root = json_object_new_object();
	const char *bad;
	size_t hn = 0;
	int rc = 0;

	/* as tomllib does: "\r\n" is "\n" everywhere, strings included */
	ct_buf_grow(&src, len);
	for (size_t i = 0; i < len;) {
		const char *cr = memchr(text + i, '\r', len - i);
		size_t n = cr ? (size_t)(cr - (text + i)) : len - i;
		ct_buf_add(&src, text + i, n);
		i += n;
		if (i < len) { /* a '\r' */
			if (!(i + 1 < len && text[i + 1] == '\n'))
				ct_buf_addch(&src, '\r');
			i++;
		}
	}
	memset(&ps, 0, sizeof(ps));
	ps.s = ps.p = src.ptr;
	ps.end = src.ptr + src.len;
	ps.path = path;
	ps.err = err;
	if ((bad = bad_utf8(ps.s, ps.end))) {
		rc = fail_at(&ps, bad, "not UTF-8");
		goto done;
	}
	for (;;) {
		int c;
		skip_ws(&ps);
		if (at_end(&ps))
			break;
		c = *ps.p;
		if (c == '\n') {
			ps.p++;
			continue;
		}
		if (is_bare(c) || c == '"' || c == '\'') {
			if ((rc = key_value(&ps, root, &header, hn)))
				goto done;
		} else if (c == '[') {
			finalize_pending(&ps);
			if ((rc = header_rule(&ps, root, &header, &hn)))
				goto done;
		} else if (c != '#') {
			rc = fail_at(&ps, ps.p, "invalid statement");
			goto done;
		}
		skip_ws(&ps);
		if ((rc = skip_comment(&ps)))
			goto done;
		if (at_end(&ps))
			break;
		if (*ps.p != '\n') {
			rc = fail_at(&ps, ps.p,
				     "expected the end of the line after a "
				     "statement");
			goto done;
		}
		ps.p++;
	}
done:
	free(ps.pending);
	ct_buf_release(&header);
	ct_buf_release(&src);
	if (rc) {
		json_object_put(root);
		return rc;
	}
	*out = root;
	return 0;
}
