#include "contracts/json.h"

#include "contracts/xalloc.h"

#include <inttypes.h>
#include <json-c/json.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- validating scanner ------------------------------------------------ */

struct scan {
	const char *s, *p, *end;
	unsigned max_depth;
	const char *path;
	struct ct_err *err;
	/* Raw newlines occur only between tokens in valid JSON, so counting
	 * them in skip_ws() knows every position's line. */
	unsigned line;
	const char *line_start;
	ct_json_visit_fn visit;
	void *data;
	struct ct_buf key;
};

static const char *decode_str(const char *p, struct ct_buf *out);

static int fail(struct scan *sc, const char *at, const char *msg)
{
	unsigned line = 1, col = 1;

	if (at >= sc->line_start) {
		line = sc->line;
		col = (unsigned)(at - sc->line_start) + 1;
	} else {
		ct_json_advance(sc->s, 0, (size_t)(at - sc->s), &line, &col);
	}
	return ct_err_at(sc->err, CT_EPARSE, sc->path, line, col, "%s", msg);
}

static void skip_ws(struct scan *sc)
{
	const char *p = sc->p, *end = sc->end;

	for (; p < end; p++) {
		char c = *p;
		if (c == ' ')
			continue;
		if (c == '\n') {
			sc->line++;
			sc->line_start = p + 1;
		} else if (c != '\t' && c != '\r') {
			break;
		}
	}
	sc->p = p;
}

static int hex4(const char *p, const char *end, unsigned *out)
{
	unsigned v = 0;
	int i;

	if (end - p < 4)
		return -1;
	for (i = 0; i < 4; i++) {
		char c = p[i];
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (unsigned)(c - 'A' + 10);
		else
			return -1;
	}
	*out = v;
	return 0;
}

/* Length of the valid UTF-8 sequence at p, or 0 (overlongs, surrogates and
 * code points past U+10FFFF are invalid). */
size_t ct_utf8_valid(const unsigned char *p, const unsigned char *end)
{
	unsigned char c = p[0];
	size_t n, i;
	uint32_t cp;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		n = 2, cp = c & 0x1f;
	else if (c >= 0xe0 && c <= 0xef)
		n = 3, cp = c & 0x0f;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 4, cp = c & 0x07;
	else
		return 0;
	if ((size_t)(end - p) < n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (p[i] & 0x3f);
	}
	if ((n == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
	    (n == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	return n;
}

/* Bytes a string holds as they are: printable ASCII but " and \. */
static int plain(unsigned char c)
{
	return c >= 0x20 && c < 0x80 && c != '"' && c != '\\';
}

static int scan_string(struct scan *sc)
{
	const char *start = sc->p++;

	for (;;) {
		unsigned char c;
		const char *p = sc->p;
		while (p < sc->end && plain((unsigned char)*p))
			p++;
		sc->p = p;
		if (sc->p >= sc->end)
			return fail(sc, start, "unterminated string");
		c = (unsigned char)*sc->p;
		if (c == '"') {
			sc->p++;
			return 0;
		}
		if (c < 0x20)
			return fail(sc, sc->p, "control character in string");
		if (c == '\\') {
			unsigned u, lo;
			const char *esc = sc->p++;
			if (sc->p >= sc->end)
				return fail(sc, start, "unterminated string");
			switch (*sc->p) {
			case '"':
			case '\\':
			case '/':
			case 'b':
			case 'f':
			case 'n':
			case 'r':
			case 't':
				sc->p++;
				continue;
			case 'u':
				if (hex4(sc->p + 1, sc->end, &u))
					return fail(sc, esc,
						    "invalid \\u escape");
				sc->p += 5;
				if (u >= 0xdc00 && u <= 0xdfff)
					return fail(
					    sc, esc,
					    "lone low surrogate in \\u escape");
				if (u >= 0xd800 && u <= 0xdbff) {
					if (sc->end - sc->p < 6 ||
					    sc->p[0] != '\\' ||
					    sc->p[1] != 'u' ||
					    hex4(sc->p + 2, sc->end, &lo) ||
					    lo < 0xdc00 || lo > 0xdfff)
						return fail(
						    sc, esc,
						    "unpaired high surrogate in \\u escape");
					sc->p += 6;
				}
				continue;
			default:
				return fail(sc, esc,
					    "invalid escape in string");
			}
		}
		if (c >= 0x80) {
			size_t n =
			    ct_utf8_valid((const unsigned char *)sc->p,
					  (const unsigned char *)sc->end);
			if (!n)
				return fail(sc, sc->p,
					    "invalid UTF-8 in string");
			sc->p += n;
			continue;
		}
		sc->p++;
	}
}

static int is_digit(const struct scan *sc)
{
	return sc->p < sc->end && *sc->p >= '0' && *sc->p <= '9';
}

static int scan_number(struct scan *sc)
{
	const char *start = sc->p;

	if (*sc->p == '-')
		sc->p++;
	if (!is_digit(sc))
		return fail(sc, start, "invalid number");
	if (*sc->p == '0') {
		sc->p++;
	} else {
		while (is_digit(sc))
			sc->p++;
	}
	if (sc->p < sc->end && *sc->p == '.') {
		sc->p++;
		if (!is_digit(sc))
			return fail(sc, start, "invalid number");
		while (is_digit(sc))
			sc->p++;
	}
	if (sc->p < sc->end && (*sc->p == 'e' || *sc->p == 'E')) {
		sc->p++;
		if (sc->p < sc->end && (*sc->p == '+' || *sc->p == '-'))
			sc->p++;
		if (!is_digit(sc))
			return fail(sc, start, "invalid number");
		while (is_digit(sc))
			sc->p++;
	}
	return 0;
}

static int scan_word(struct scan *sc, const char *word)
{
	size_t n = strlen(word);

	if ((size_t)(sc->end - sc->p) < n || memcmp(sc->p, word, n))
		return fail(sc, sc->p, "invalid literal");
	sc->p += n;
	return 0;
}

static int scan_value(struct scan *sc, unsigned depth)
{
	int rc;
	char close;

	skip_ws(sc);
	if (sc->p >= sc->end)
		return fail(sc, sc->p, "unexpected end of input");
	switch (*sc->p) {
	case '"':
		return scan_string(sc);
	case 't':
		return scan_word(sc, "true");
	case 'f':
		return scan_word(sc, "false");
	case 'n':
		return scan_word(sc, "null");
	case '{':
	case '[':
		break;
	default:
		if (*sc->p == '-' || (*sc->p >= '0' && *sc->p <= '9'))
			return scan_number(sc);
		return fail(sc, sc->p, "unexpected character");
	}
	if (depth >= sc->max_depth) {
		char msg[64];
		snprintf(msg, sizeof(msg), "nesting deeper than %u levels",
			 sc->max_depth);
		return fail(sc, sc->p, msg);
	}
	close = *sc->p == '{' ? '}' : ']';
	sc->p++;
	skip_ws(sc);
	if (sc->p < sc->end && *sc->p == close) {
		sc->p++;
		return 0;
	}
	for (;;) {
		const char *key = NULL, *value;
		unsigned line, col;
		if (close == '}') {
			skip_ws(sc);
			if (sc->p >= sc->end)
				return fail(sc, sc->p,
					    "unexpected end of input");
			if (*sc->p != '"')
				return fail(sc, sc->p, "expected a string key");
			key = sc->p;
			if ((rc = scan_string(sc)))
				return rc;
			skip_ws(sc);
			if (sc->p >= sc->end || *sc->p != ':')
				return fail(sc, sc->p,
					    "expected ':' after key");
			sc->p++;
		}
		skip_ws(sc);
		value = sc->p;
		line = sc->line;
		col = (unsigned)(value - sc->line_start) + 1;
		if ((rc = scan_value(sc, depth + 1)))
			return rc;
		if (key && sc->visit && depth <= 1) {
			struct ct_json_span span = {(size_t)(value - sc->s),
						    (size_t)(sc->p - value)};
			decode_str(key, &sc->key);
			sc->visit(sc->data, depth, sc->key.ptr, sc->key.len,
				  span, line, col);
		}
		skip_ws(sc);
		if (sc->p >= sc->end)
			return fail(sc, sc->p, "unexpected end of input");
		if (*sc->p == close) {
			sc->p++;
			return 0;
		}
		if (*sc->p != ',')
			return fail(sc, sc->p,
				    close == '}' ? "expected ',' or '}'"
						 : "expected ',' or ']'");
		sc->p++;
	}
}

void ct_json_drop_bom(struct ct_buf *text)
{
	if (text->len >= 3 && !memcmp(text->ptr, "\xef\xbb\xbf", 3)) {
		memmove(text->ptr, text->ptr + 3, text->len - 3 + 1);
		text->len -= 3;
	}
}

int ct_json_scan(const char *s, size_t n, unsigned max_depth, const char *path,
		 ct_json_visit_fn visit, void *data, struct ct_err *err)
{
	struct scan sc = {s, s, s + n, max_depth, path,	      err,
			  1, s, visit, data,	  CT_BUF_INIT};
	int rc;

	skip_ws(&sc);
	if (sc.p == sc.end)
		return ct_err_at(err, CT_EPARSE, path, 0, 0, "empty document");
	rc = scan_value(&sc, 0);
	skip_ws(&sc);
	if (!rc && sc.p != sc.end)
		rc = fail(&sc, sc.p, "trailing characters after the document");
	ct_buf_release(&sc.key);
	return rc;
}

int ct_json_check(const char *s, size_t n, unsigned max_depth, const char *path,
		  struct ct_err *err)
{
	return ct_json_scan(s, n, max_depth, path, NULL, NULL, err);
}

/* ---- walking checked text ---------------------------------------------- */

static const char *ws(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	return p;
}

static const char *skip_str(const char *p)
{
	for (p++; *p != '"'; p++)
		if (*p == '\\')
			p++;
	return p + 1;
}

/* Skips one value of checked text. */
static const char *skip_value(const char *p)
{
	int depth = 0;

	do {
		switch (*p) {
		case '"':
			p = skip_str(p);
			continue;
		case '{':
		case '[':
			depth++;
			break;
		case '}':
		case ']':
			depth--;
			break;
		default:
			if (depth == 0) {
				while (*p && !strchr(" \t\r\n,]}", *p))
					p++;
				return p;
			}
		}
		p++;
	} while (depth > 0);
	return p;
}

/* Decodes the string literal at p into out (checked text). */
static const char *decode_str(const char *p, struct ct_buf *out)
{
	ct_buf_reset(out);
	for (p++; *p != '"'; p++) {
		/* checked text: hex4 always sets them */
		unsigned u = 0, lo = 0;
		if (*p != '\\') {
			ct_buf_addch(out, *p);
			continue;
		}
		switch (*++p) {
		case 'b':
			ct_buf_addch(out, '\b');
			break;
		case 'f':
			ct_buf_addch(out, '\f');
			break;
		case 'n':
			ct_buf_addch(out, '\n');
			break;
		case 'r':
			ct_buf_addch(out, '\r');
			break;
		case 't':
			ct_buf_addch(out, '\t');
			break;
		case 'u':
			hex4(p + 1, p + 5, &u);
			p += 4;
			if (u >= 0xd800 && u <= 0xdbff) {
				hex4(p + 3, p + 7, &lo);
				u = 0x10000 + ((u - 0xd800) << 10) +
				    (lo - 0xdc00);
				p += 6;
			}
			ct_utf8_put(out, u);
			break;
		default:
			ct_buf_addch(out, *p);
			break;
		}
	}
	return p + 1;
}

void ct_utf8_put(struct ct_buf *out, unsigned cp)
{
	char tmp[4];

	if (cp >= 0xd800 && cp <= 0xdfff)
		cp = 0xfffd; /* a lone surrogate has no UTF-8 */
	if (cp < 0x80) {
		ct_buf_addch(out, (char)cp);
	} else if (cp < 0x800) {
		tmp[0] = (char)(0xc0 | (cp >> 6));
		tmp[1] = (char)(0x80 | (cp & 0x3f));
		ct_buf_add(out, tmp, 2);
	} else if (cp < 0x10000) {
		tmp[0] = (char)(0xe0 | (cp >> 12));
		tmp[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		tmp[2] = (char)(0x80 | (cp & 0x3f));
		ct_buf_add(out, tmp, 3);
	} else {
		tmp[0] = (char)(0xf0 | (cp >> 18));
		tmp[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
		tmp[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
		tmp[3] = (char)(0x80 | (cp & 0x3f));
		ct_buf_add(out, tmp, 4);
	}
}

int ct_json_members(const char *s, struct ct_json_span obj,
		    ct_json_member_fn fn, void *data)
{
	struct ct_buf key = CT_BUF_INIT;
	const char *p = ws(s + obj.off);
	int rc = 0;

	if (*p != '{')
		return CT_EINVAL;
	p = ws(p + 1);
	while (*p == '"') {
		const char *v, *end;
		struct ct_json_span span;

		p = ws(decode_str(p, &key));
		v = ws(p + 1); /* past ':' */
		end = skip_value(v);
		span.off = (size_t)(v - s);
		span.len = (size_t)(end - v);
		if ((rc = fn(key.ptr, key.len, span, data)))
			break;
		p = ws(end);
		if (*p == ',')
			p = ws(p + 1);
	}
	ct_buf_release(&key);
	return rc;
}

struct find {
	const char *token;
	struct ct_json_span found;
	int hit;
};

static int find_member(const char *key, size_t len, struct ct_json_span v,
		       void *data)
{
	struct find *f = data;

	if (len == strlen(f->token) && !memcmp(key, f->token, len)) {
		f->found = v;
		f->hit = 1;
		return 1;
	}
	return 0;
}

int ct_json_locate(struct ct_json_span *out, const char *s,
		   struct ct_json_span within, const char *pointer)
{
	struct ct_buf tok = CT_BUF_INIT;
	struct ct_json_span cur = within;
	int rc = 0;

	while (*pointer == '/') {
		const char *p = ws(s + cur.off);
		pointer++;
		ct_buf_reset(&tok);
		for (; *pointer && *pointer != '/'; pointer++) {
			if (pointer[0] == '~' && pointer[1] == '1')
				ct_buf_addch(&tok, '/'), pointer++;
			else if (pointer[0] == '~' && pointer[1] == '0')
				ct_buf_addch(&tok, '~'), pointer++;
			else
				ct_buf_addch(&tok, *pointer);
		}
		if (*p == '{') {
			struct find f = {tok.ptr, {0, 0}, 0};
			ct_json_members(s, cur, find_member, &f);
			if (!f.hit) {
				rc = CT_ENOTFOUND;
				break;
			}
			cur = f.found;
		} else if (*p == '[') {
			char *endp;
			unsigned long idx = strtoul(tok.ptr, &endp, 10);
			if (!tok.len || *endp) {
				rc = CT_ENOTFOUND;
				break;
			}
			p = ws(p + 1);
			while (idx-- && *p != ']') {
				p = ws(skip_value(p));
				if (*p == ',')
					p = ws(p + 1);
			}
			if (*p == ']') {
				rc = CT_ENOTFOUND;
				break;
			}
			cur.off = (size_t)(p - s);
			cur.len = (size_t)(skip_value(p) - p);
		} else {
			rc = CT_ENOTFOUND;
			break;
		}
	}
	ct_buf_release(&tok);
	if (!rc)
		*out = cur;
	return rc;
}

size_t *ct_json_elements(const char *s, struct ct_json_span arr, size_t *n)
{
	const char *p = ws(s + arr.off);
	size_t *v = NULL, cap = 0;

	*n = 0;
	if (*p != '[')
		return NULL;
	for (p = ws(p + 1); *p && *p != ']';) {
		v = ct_xgrow(v, &cap, *n + 1, sizeof(*v));
		v[(*n)++] = (size_t)(p - s);
		p = ws(skip_value(p));
		if (*p == ',')
			p = ws(p + 1);
	}
	return v;
}

void ct_json_advance(const char *s, size_t from, size_t to, unsigned *line,
		     unsigned *col)
{
	const char *p = s + from, *end = s + to, *nl;

	while ((nl = memchr(p, '\n', (size_t)(end - p)))) {
		(*line)++;
		*col = 1;
		p = nl + 1;
	}
	*col += (unsigned)(end - p);
}

/* ---- canonical writer -------------------------------------------------- */

void ct_json_write_string(struct ct_buf *out, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	size_t i, run = 0;

	ct_buf_grow(out, len + 2);
	ct_buf_addch(out, '"');
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		const char *esc = NULL;
		char u[7];
		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		ct_buf_add(out, s + run, i - run);
		run = i + 1;
		switch (c) {
		case '"':
			esc = "\\\"";
			break;
		case '\\':
			esc = "\\\\";
			break;
		case '\b':
			esc = "\\b";
			break;
		case '\f':
			esc = "\\f";
			break;
		case '\n':
			esc = "\\n";
			break;
		case '\r':
			esc = "\\r";
			break;
		case '\t':
			esc = "\\t";
			break;
		default:
			memcpy(u, "\\u00", 4);
			u[4] = hex[c >> 4];
			u[5] = hex[c & 15];
			u[6] = '\0';
			esc = u;
		}
		ct_buf_adds(out, esc);
	}
	ct_buf_add(out, s + run, len - run);
	ct_buf_addch(out, '"');
}

static void write_double(struct ct_buf *out, double d)
{
	char tmp[40];
	int prec;

	if (!isfinite(d)) {
		ct_buf_adds(out, "null");
		return;
	}
	for (prec = 1; prec <= 17; prec++) {
		snprintf(tmp, sizeof(tmp), "%.*g", prec, d);
		if (strtod(tmp, NULL) == d)
			break;
	}
	if (!strpbrk(tmp, ".eEn"))
		strcat(tmp, ".0");
	ct_buf_adds(out, tmp);
}

static void newline(struct ct_buf *out, int indent)
{
	ct_buf_addch(out, '\n');
	for (int i = 0; i < indent; i++)
		ct_buf_add(out, "  ", 2);
}

struct member {
	const char *key;
	json_object *val;
};

static int cmp_member(const void *a, const void *b)
{
	return strcmp(((const struct member *)a)->key,
		      ((const struct member *)b)->key);
}

static void write_value(struct ct_buf *out, json_object *o, int indent,
			int keep_order)
{
	size_t i, n;

	switch (json_object_get_type(o)) {
	case json_type_null:
		ct_buf_adds(out, "null");
		return;
	case json_type_boolean:
		ct_buf_adds(out, json_object_get_boolean(o) ? "true" : "false");
		return;
	case json_type_int:
		ct_buf_adds(out, json_object_to_json_string_ext(
				     o, JSON_C_TO_STRING_PLAIN));
		return;
	case json_type_double:
		write_double(out, json_object_get_double(o));
		return;
	case json_type_string:
		ct_json_write_string(out, json_object_get_string(o),
				     (size_t)json_object_get_string_len(o));
		return;
	case json_type_array:
		n = json_object_array_length(o);
		if (!n) {
			ct_buf_adds(out, "[]");
			return;
		}
		ct_buf_addch(out, '[');
		for (i = 0; i < n; i++) {
			newline(out, indent + 1);
			write_value(out, json_object_array_get_idx(o, i),
				    indent + 1, 0);
			if (i + 1 < n)
				ct_buf_addch(out, ',');
		}
		newline(out, indent);
		ct_buf_addch(out, ']');
		return;
	case json_type_object: {
		struct member *m;
		n = (size_t)json_object_object_length(o);
		if (!n) {
			ct_buf_adds(out, "{}");
			return;
		}
		m = ct_xmalloc(n * sizeof(*m));
		i = 0;
		json_object_object_foreach(o, k, v)
		{
			m[i].key = k;
			m[i].val = v;
			i++;
		}
		if (!keep_order)
			qsort(m, n, sizeof(*m), cmp_member);
		ct_buf_addch(out, '{');
		for (i = 0; i < n; i++) {
			newline(out, indent + 1);
			ct_json_write_string(out, m[i].key, strlen(m[i].key));
			ct_buf_add(out, ": ", 2);
			write_value(out, m[i].val, indent + 1,
				    !keep_order &&
					!strcmp(m[i].key, "properties"));
			if (i + 1 < n)
				ct_buf_addch(out, ',');
		}
		newline(out, indent);
		ct_buf_addch(out, '}');
		free(m);
		return;
	}
	}
}

void ct_json_write(struct ct_buf *out, json_object *o, int indent)
{
	write_value(out, o, indent, 0);
}

int ct_json_equal(json_object *a, json_object *b)
{
	enum json_type ta = json_object_get_type(a),
		       tb = json_object_get_type(b);

	/* 1 and 1.0 are the same JSON number */
	if ((ta == json_type_int || ta == json_type_double) &&
	    (tb == json_type_int || tb == json_type_double) && ta != tb)
		return json_object_get_double(a) == json_object_get_double(b);
	return json_object_equal(a, b);
}

void ct_json_pointer_add(struct ct_buf *out, const char *token)
{
	ct_buf_addch(out, '/');
	for (;;) {
		size_t n = strcspn(token, "~/");
		ct_buf_add(out, token, n);
		token += n;
		if (!*token)
			return;
		ct_buf_adds(out, *token == '~' ? "~0" : "~1");
		token++;
	}
}

/* ---- sets of values ------------------------------------------------------ */

/* A value reduced to a sortable key: strings by their bytes, numbers by
 * value (1 and 1.0 are one value), the rest by canonical text. */
struct vkey {
	int tag;
	const char *s;
	size_t len;
	char *owned;
	size_t pos;
};

struct ct_json_set {
	struct vkey *keys;
	size_t n;
};

static void key_of(struct vkey *k, json_object *v)
{
	struct ct_buf b = CT_BUF_INIT;

	k->owned = NULL;
	switch (json_object_get_type(v)) {
	case json_type_string:
		k->tag = 0;
		k->s = json_object_get_string(v);
		k->len = (size_t)json_object_get_string_len(v);
		return;
	case json_type_int:
	case json_type_double:
		k->tag = 1;
		ct_buf_addf(&b, "%.17g", json_object_get_double(v));
		break;
	default:
		k->tag = 2;
		ct_json_write(&b, v, 0);
	}
	k->owned = ct_buf_detach(&b, &k->len);
	k->s = k->owned;
}

static int cmp_vkey(const void *x, const void *y)
{
	const struct vkey *a = x, *b = y;
	int d = a->tag - b->tag;

	if (!d)
		d = memcmp(a->s, b->s, a->len < b->len ? a->len : b->len);
	if (!d)
		d = (a->len > b->len) - (a->len < b->len);
	return d;
}

struct ct_json_set *ct_json_set_new(json_object *array)
{
	struct ct_json_set *set = ct_xmalloc(sizeof(*set));

	set->n = json_object_array_length(array);
	set->keys = ct_xmalloc((set->n ? set->n : 1) * sizeof(*set->keys));
	for (size_t i = 0; i < set->n; i++) {
		key_of(&set->keys[i], json_object_array_get_idx(array, i));
		set->keys[i].pos = i;
	}
	if (set->n > 1)
		qsort(set->keys, set->n, sizeof(*set->keys), cmp_vkey);
	return set;
}

void ct_json_set_free(struct ct_json_set *set)
{
	if (!set)
		return;
	for (size_t i = 0; i < set->n; i++)
		free(set->keys[i].owned);
	free(set->keys);
	free(set);
}

int ct_json_set_has(const struct ct_json_set *set, json_object *value)
{
	struct vkey k;
	int found;

	key_of(&k, value);
	found = set->n &&
		bsearch(&k, set->keys, set->n, sizeof(k), cmp_vkey) != NULL;
	free(k.owned);
	return found;
}

long ct_json_set_duplicate(const struct ct_json_set *set)
{
	long dup = -1;

	/* qsort is not stable: of equal keys, the later array index is the
	 * second occurrence; report the earliest such second occurrence */
	for (size_t i = 1; i < set->n; i++) {
		const struct vkey *a = &set->keys[i - 1], *b = &set->keys[i];
		size_t second = a->pos > b->pos ? a->pos : b->pos;
		if (!cmp_vkey(a, b) && (dup < 0 || (long)second < dup))
			dup = (long)second;
	}
	return dup;
}
