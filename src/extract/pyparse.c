/*
 * A recursive-descent parser for the parts of Python 3.11–3.13 that
 * contracts read, over the 3.13 tokens of pytoken.c (f-strings come as
 * FSTRING_START, parts and fields, FSTRING_END). The whole file is tokenized
 * first (compactly), which gives the parser free lookahead and backtracking for
 * the few ambiguous spots (parenthesized with-items, the soft keyword
 * `match`). Expressions nest at most MAX_NEST deep, blocks MAX_INDENT.
 */
#include "contracts/pyparse.h"
#include "pyparse_impl.h"

#include "contracts/json.h"
#include "contracts/pytoken.h"
#include "contracts/xalloc.h"
#include "pyunicode.h"

#include <json-c/json.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_NEST 200
#define MAX_INDENT 100

/* ---- arena ------------------------------------------------------------- */

struct block {
	struct block *next;
	size_t used, size;
	max_align_t data[];
};

static void *arena_alloc(void **arena, size_t n)
{
	struct block *b = *arena;

	n = (n + sizeof(max_align_t) - 1) / sizeof(max_align_t) *
	    sizeof(max_align_t);
	if (!b || b->size - b->used < n) {
		/* small modules stay small: 4 KiB first, doubling to 64 KiB */
		size_t size =
		    b ? (b->size < 65536 ? b->size * 2 : 65536) : 4096;
		if (size < n)
			size = n;
		struct block *nb = ct_xmalloc(sizeof(*nb) + size);
		nb->next = b;
		nb->used = 0;
		nb->size = size;
		*arena = b = nb;
	}
	b->used += n;
	return memset((char *)b->data + b->used - n, 0, n);
}

void *ct_pyarena_alloc(void **arena, size_t n)
{
	return arena_alloc(arena, n);
}

/* A place in the arena to go back to, dropping all made after it. */
struct arena_mark {
	struct block *block;
	size_t used;
};

static struct arena_mark arena_mark(void *arena)
{
	struct arena_mark m = {arena,
			       arena ? ((struct block *)arena)->used : 0};
	return m;
}

static void arena_release(void **arena, struct arena_mark m)
{
	struct block *b = *arena;

	while (b && b != m.block) {
		struct block *next = b->next;
		free(b);
		b = next;
	}
	*arena = b;
	if (b)
		b->used = m.used;
}

static void arena_free(void *arena)
{
	struct block *b = arena;

	while (b) {
		struct block *next = b->next;
		free(b);
		b = next;
	}
}

/* ---- tokens ------------------------------------------------------------ */

enum { T_ERROR = 100 }; /* a stored tokenizer failure */

struct tok {
	unsigned char type;
	unsigned char keyword; /* a NAME that is a keyword */
	unsigned char bin; /* a binary operator: its level in levels[] + 1 */
	unsigned len;
	size_t off;
	unsigned row, col;
};

struct parser {
	const char *path;
	const char *src;
	size_t srclen;
	struct tok *toks;
	size_t ntoks, cap, i;
	struct ct_err *err;
	struct ct_err stored; /* the error a T_ERROR token stands for */
	int failed;
	unsigned nest;
	unsigned indent_col[MAX_INDENT + 1], indent_alt[MAX_INDENT + 1];
	unsigned nindent;
	void *arena;
	struct ct_pyexpr **all; /* every node, in the order made */
	size_t nall, capall;
	int drop_bodies; /* parse function bodies, keep nothing of them */
};

static const struct tok *cur(const struct parser *p)
{
	return &p->toks[p->i < p->ntoks ? p->i : p->ntoks - 1];
}

static const struct tok *peek(const struct parser *p, size_t k)
{
	size_t j = p->i + k;
	return &p->toks[j < p->ntoks ? j : p->ntoks - 1];
}

static int is(const struct parser *p, const struct tok *t, int type,
	      const char *text)
{
	if (t->type != type)
		return 0;
	if (!text)
		return 1;
	/* cheap first: this runs for every keyword test of every token */
	return p->src[t->off] == text[0] &&
	       !strncmp(p->src + t->off, text, t->len) && text[t->len] == '\0';
}

static int at_op(const struct parser *p, const char *op)
{
	return is(p, cur(p), CT_PYTOK_OP, op);
}

/* A hard keyword: the token knows it is one, which keeps this cheap. */
static int at_kw(const struct parser *p, const char *kw)
{
	return cur(p)->keyword && is(p, cur(p), CT_PYTOK_NAME, kw);
}

/* A soft keyword (match, case): a plain name anywhere else. */
static int at_soft(const struct parser *p, const char *kw)
{
	return is(p, cur(p), CT_PYTOK_NAME, kw);
}

static const struct tok *advance(struct parser *p)
{
	const struct tok *t = cur(p);
	if (p->i < p->ntoks - 1)
		p->i++;
	return t;
}

static char *tok_str(struct parser *p, const struct tok *t)
{
	char *s = arena_alloc(&p->arena, t->len + 1);
	memcpy(s, p->src + t->off, t->len);
	return s;
}

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static void *
fail_at(struct parser *p, const struct tok *t, const char *fmt, ...);

static void *fail_at(struct parser *p, const struct tok *t, const char *fmt,
		     ...)
{
	char msg[300];
	va_list ap;

	if (p->failed)
		return NULL;
	p->failed = 1;
	if (t->type == T_ERROR) {
		*p->err = p->stored;
		return NULL;
	}
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	ct_err_at(p->err, CT_EPARSE, p->path, t->row, t->col + 1, "%s", msg);
	return NULL;
}

/* "invalid syntax", or the stored tokenizer error when that is where the
 * parser stands. */
static void *syntax(struct parser *p)
{
	const struct tok *t = cur(p);

	if (t->type == CT_PYTOK_INDENT)
		return fail_at(p, t, "unexpected indent");
	if (t->type == CT_PYTOK_ENDMARKER)
		return fail_at(p, t, "unexpected end of file");
	return fail_at(p, t, "invalid syntax");
}

static int expect_op(struct parser *p, const char *op)
{
	if (at_op(p, op)) {
		advance(p);
		return 1;
	}
	if (cur(p)->type == T_ERROR || cur(p)->type == CT_PYTOK_INDENT)
		syntax(p);
	else
		fail_at(p, cur(p), "expected '%s'", op);
	return 0;
}

static const char *const keywords[] = {
    "False",  "None",	"True",	   "and",      "as",	   "assert", "async",
    "await",  "break",	"class",   "continue", "def",	   "del",    "elif",
    "else",   "except", "finally", "for",      "from",	   "global", "if",
    "import", "in",	"is",	   "lambda",   "nonlocal", "not",    "or",
    "pass",   "raise",	"return",  "try",      "while",	   "with",   "yield"};

static int is_keyword(const struct parser *p, const struct tok *t)
{
	(void)p;
	return t->keyword;
}

/* Decided once per token, when it is stored. */
static int keyword_text(const char *s, size_t n)
{
	for (size_t k = 0; k < sizeof(keywords) / sizeof(*keywords); k++)
		if (keywords[k][0] == s[0] && !strncmp(keywords[k], s, n) &&
		    !keywords[k][n])
			return 1;
	return 0;
}

/* Describes an error token the way CPython does. */
static void error_token(struct parser *p, const struct ct_pytok *tok,
			struct ct_pytokenizer *tz, struct ct_err *out)
{
	const char *s = tok->text;
	const char *n = s;
	unsigned cp;

	if (*s == ' ' || *s == '\t' || *s == '\f') {
		/* tokenize reports the white space before the culprit */
		struct ct_pytok next;
		struct ct_err ignored = CT_ERR_INIT;
		if (ct_pytok_next(tz, &next, &ignored) > 0 &&
		    next.type == CT_PYTOK_ERRORTOKEN) {
			error_token(p, &next, tz, out);
			return;
		}
	}
	cp = ct_utf8_next(&n);
	if (cp == '\'' || cp == '"')
		ct_err_at(out, CT_EPARSE, p->path, tok->srow, tok->scol + 1,
			  "unterminated string literal (detected at line %u)",
			  tok->srow);
	else if (cp == 0)
		ct_err_at(out, CT_EPARSE, p->path, tok->srow, tok->scol + 1,
			  "source code cannot contain null bytes");
	else if (tok->len > 1 &&
		 (*s == '\'' || *s == '"' || strchr("bBrRuUfF", *s)))
		ct_err_at(out, CT_EPARSE, p->path, tok->srow, tok->scol + 1,
			  "unterminated string literal (detected at line %u)",
			  tok->erow);
	else
		ct_err_at(out, CT_EPARSE, p->path, tok->srow, tok->scol + 1,
			  "invalid character '%.*s' (U+%04X)", (int)(n - s), s,
			  cp);
}

/* Left-associative binary levels, from the tightest. */
static const char *const levels[][6] = {
    {"*", "/", "//", "%", "@", NULL},
    {"+", "-", NULL},
    {"<<", ">>", NULL},
    {"&", NULL},
    {"^", NULL},
    {"|", NULL},
};

/* The level of a binary operator token, + 1; 0 for anything else. */
static unsigned char bin_level(const char *s, size_t n)
{
	for (int l = 0; l < 6; l++)
		for (int k = 0; levels[l][k]; k++)
			if (levels[l][k][0] == s[0] &&
			    !strncmp(levels[l][k], s, n) && !levels[l][k][n])
				return (unsigned char)(l + 1);
	return 0;
}

static void push_tok(struct parser *p, int type, size_t off, size_t len,
		     unsigned row, unsigned col)
{
	struct tok *t;

	p->toks = ct_xgrow(p->toks, &p->cap, p->ntoks + 1, sizeof(*p->toks));
	t = &p->toks[p->ntoks++];
	t->type = (unsigned char)type;
	t->keyword = type == CT_PYTOK_NAME && keyword_text(p->src + off, len);
	t->bin = type == CT_PYTOK_OP ? bin_level(p->src + off, len) : 0;
	t->off = off;
	t->len = (unsigned)len;
	t->row = row;
	t->col = col;
}

/* What CPython's tokenizer checks outside tokenize's extra-tokens mode:
 * identifiers are PEP 3131 names, decimal integers have no leading zeros.
 * 0 with p->stored set when the token is refused. */
static int check_token(struct parser *p, const struct ct_pytok *tok)
{
	const char *s = tok->text, *e = s + tok->len;

	if (tok->type == CT_PYTOK_NAME) {
		unsigned k = 0;
		for (const char *q = s; q < e; k++) {
			const char *at = q;
			unsigned cp = ct_utf8_next(&q);
			if (cp < 0x80 || (k ? ct_pyuni_is_idcontinue(cp)
					    : ct_pyuni_is_idstart(cp)))
				continue;
			if (ct_pyuni_is_printable(cp))
				ct_err_at(&p->stored, CT_EPARSE, p->path,
					  tok->srow, tok->scol + k + 1,
					  "invalid character '%.*s' (U+%04X)",
					  (int)(q - at), at, cp);
			else
				ct_err_at(&p->stored, CT_EPARSE, p->path,
					  tok->srow, tok->scol + k + 1,
					  "invalid non-printable character "
					  "U+%04X",
					  cp);
			return 0;
		}
		return 1;
	}
	if (tok->len > 1 && s[0] == '0') {
		int nonzero = 0;
		for (const char *q = s; q < e; q++) {
			if ((*q < '0' || *q > '9') && *q != '_')
				return 1;
			nonzero |= *q > '0' && *q <= '9';
		}
		if (nonzero) {
			ct_err_at(&p->stored, CT_EPARSE, p->path, tok->srow,
				  tok->scol + 1,
				  "leading zeros in decimal integer literals "
				  "are not permitted; use an 0o prefix for "
				  "octal integers");
			return 0;
		}
	}
	return 1;
}

/* Where the parser has always placed two tokenizer errors: a NUL byte at
 * the byte, mixed tabs and spaces at the first character after them (the
 * tokenizer gives the end of the line for the one, column 0 for the
 * other). */
static void place_error(struct parser *p, struct ct_err *e)
{
	const char *s = p->src, *end = p->src + p->srclen, *q;
	unsigned line = 1, col = 0;

	if (!strcmp(e->msg, "source code cannot contain null bytes")) {
		const char *nul = memchr(s, '\0', p->srclen);
		if (!nul)
			return;
		for (q = s; q < nul; q++) {
			if (*q == '\n')
				line++, col = 0;
			else
				col += ((unsigned char)*q & 0xc0) != 0x80;
		}
		e->line = line;
		e->col = col + 1;
	} else if (!strncmp(e->msg, "inconsistent use of tabs", 24)) {
		for (q = s; q < end && line < e->line; q++)
			line += *q == '\n';
		for (; q < end && (*q == ' ' || *q == '\t' || *q == '\f'); q++)
			col++;
		e->col = col + 1;
	}
}

/* Tokenizes the whole file; a tokenizer failure becomes a T_ERROR token
 * at its place, so earlier syntax errors are still reported first. */
static int tokenize_all(struct parser *p, struct ct_pytokenizer *tz)
{
	struct ct_pytok tok;
	struct ct_err e = CT_ERR_INIT;
	unsigned opened[MAX_NEST + 1][2];
	unsigned nopen = 0;
	int rc, joined = 0;

	while ((rc = ct_pytok_next(tz, &tok, &e)) > 0) {
		if (tok.type != CT_PYTOK_ERRORTOKEN &&
		    tok.type != CT_PYTOK_NAME && tok.type != CT_PYTOK_NUMBER)
			joined = 0;
		switch (tok.type) {
		case CT_PYTOK_ENCODING:
		case CT_PYTOK_COMMENT:
		case CT_PYTOK_NL:
			continue;
		case CT_PYTOK_ERRORTOKEN: {
			/* tokenize's \w misses combining marks that Python
			 * allows inside identifiers: join them to the name */
			const char *q = tok.text;
			struct tok *prev =
			    p->ntoks ? &p->toks[p->ntoks - 1] : NULL;
			if (prev && prev->type == CT_PYTOK_NAME &&
			    prev->off + prev->len == tok.offset &&
			    ct_pyuni_is_idcontinue(ct_utf8_next(&q))) {
				prev->len += (unsigned)tok.len;
				prev->keyword = 0;
				joined = 1;
				continue;
			}
			error_token(p, &tok, tz, &p->stored);
			push_tok(p, T_ERROR, tok.offset, 0, tok.srow, tok.scol);
			return 0;
		}
		case CT_PYTOK_NAME:
		case CT_PYTOK_NUMBER:
			if (!check_token(p, &tok)) {
				push_tok(p, T_ERROR, tok.offset, 0, tok.srow,
					 tok.scol);
				return 0;
			}
			if (joined && p->toks[p->ntoks - 1].off +
					      p->toks[p->ntoks - 1].len ==
					  tok.offset) {
				p->toks[p->ntoks - 1].len += (unsigned)tok.len;
				continue;
			}
			break;
		case CT_PYTOK_OP:
			if (tok.len == 1 && strchr("([{", *tok.text) &&
			    nopen <= MAX_NEST) {
				if (nopen < MAX_NEST) {
					opened[nopen][0] = tok.srow;
					opened[nopen][1] = tok.scol;
				}
				nopen++;
			} else if (tok.len == 1 && strchr(")]}", *tok.text) &&
				   nopen) {
				nopen--;
			}
			break;
		default:
			break;
		}
		push_tok(p, tok.type, tok.offset, tok.len, tok.srow, tok.scol);
	}
	if (rc < 0) {
		if (!strcmp(e.msg, "unexpected EOF in multi-line statement") &&
		    nopen && nopen <= MAX_NEST) {
			unsigned k = nopen - 1;
			const char *s = p->src;
			(void)s;
			ct_err_at(&p->stored, CT_EPARSE, p->path, opened[k][0],
				  opened[k][1] + 1,
				  "unclosed bracket: it is never closed");
		} else if (!strncmp(e.msg, "EOF in multi-line string", 24)) {
			ct_err_at(&p->stored, CT_EPARSE, p->path, e.line, e.col,
				  "unterminated triple-quoted string literal");
		} else {
			p->stored = e; /* the column is Python's already */
			place_error(p, &p->stored);
		}
		push_tok(p, T_ERROR, p->srclen, 0, e.line, e.col);
	}
	return 0;
}

/* ---- expressions -----------------------------------------------------------
 */

static struct ct_pyexpr *node(struct parser *p, enum ct_pyexpr_kind kind,
			      const struct tok *at)
{
	struct ct_pyexpr *e = arena_alloc(&p->arena, sizeof(*e));

	p->all = ct_xgrow(p->all, &p->capall, p->nall + 1, sizeof(*p->all));
	p->all[p->nall++] = e;
	e->kind = kind;
	e->line = at->row;
	e->col = at->col;
	e->start = at->off;
	return e;
}

/* A node that starts where `first` starts: an operator's left operand, or
 * the callee of a trailer. */
static struct ct_pyexpr *node_from(struct parser *p, enum ct_pyexpr_kind kind,
				   const struct ct_pyexpr *first)
{
	struct ct_pyexpr *n = node(p, kind, cur(p));

	n->line = first->line;
	n->col = first->col;
	n->start = first->start;
	return n;
}

static struct ct_pyexpr *finish(struct parser *p, struct ct_pyexpr *e)
{
	const struct tok *last = &p->toks[p->i ? p->i - 1 : 0];

	e->end = last->off + last->len;
	return e;
}

/* A growable list of expressions, copied into the arena when done. */
struct list {
	struct ct_pyexpr **v;
	size_t n, cap;
};

static void list_add(struct list *l, struct ct_pyexpr *e)
{
	l->v = ct_xgrow(l->v, &l->cap, l->n + 1, sizeof(*l->v));
	l->v[l->n++] = e;
}

static void list_move(struct parser *p, struct list *l, struct ct_pyexpr ***out,
		      size_t *n)
{
	*n = l->n;
	*out = l->n ? arena_alloc(&p->arena, l->n * sizeof(**out)) : NULL;
	if (l->n)
		memcpy(*out, l->v, l->n * sizeof(**out));
	free(l->v);
	memset(l, 0, sizeof(*l));
}

static struct ct_pyexpr *expression(struct parser *p);
static struct ct_pyexpr *named_expression(struct parser *p);
static struct ct_pyexpr *star_expressions(struct parser *p);
static struct ct_pyexpr *bitwise_or(struct parser *p);
static struct ct_pyexpr *disjunction(struct parser *p);

static int enter(struct parser *p)
{
	if (++p->nest > MAX_NEST) {
		fail_at(p, cur(p), "too many nested parentheses");
		return 0;
	}
	return 1;
}

/* Python string literal decoding ------------------------------------------- */

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
		return (c | 0x20) - 'a' + 10;
	return -1;
}

/* Decodes the escapes of a non-raw str body. */
static void unescape(struct ct_buf *b, const char *s, size_t n)
{
	const char *e = s + n;

	while (s < e) {
		int digits = 0;
		unsigned v = 0;
		if (*s != '\\' || s + 1 >= e) {
			ct_buf_addch(b, *s++);
			continue;
		}
		s++;
		switch (*s) {
		case '\n':
			s++;
			continue;
		case '\\':
		case '\'':
		case '"':
			ct_buf_addch(b, *s++);
			continue;
		case 'a':
			ct_buf_addch(b, '\a');
			s++;
			continue;
		case 'b':
			ct_buf_addch(b, '\b');
			s++;
			continue;
		case 'f':
			ct_buf_addch(b, '\f');
			s++;
			continue;
		case 'n':
			ct_buf_addch(b, '\n');
			s++;
			continue;
		case 'r':
			ct_buf_addch(b, '\r');
			s++;
			continue;
		case 't':
			ct_buf_addch(b, '\t');
			s++;
			continue;
		case 'v':
			ct_buf_addch(b, '\v');
			s++;
			continue;
		case 'x':
			digits = 2;
			break;
		case 'u':
			digits = 4;
			break;
		case 'U':
			digits = 8;
			break;
		default:
			if (*s >= '0' && *s <= '7') {
				for (int k = 0;
				     k < 3 && s < e && *s >= '0' && *s <= '7';
				     k++)
					v = v * 8 + (unsigned)(*s++ - '0');
				ct_utf8_put(b, v);
				continue;
			}
			ct_buf_addch(b, '\\'); /* kept, as Python does */
			continue;
		}
		if (e - s - 1 < digits) {
			ct_buf_addch(b, '\\');
			continue;
		}
		for (int k = 1; k <= digits; k++) {
			int h = hexval(s[k]);
			if (h < 0) {
				digits = -1;
				break;
			}
			v = v * 16 + (unsigned)h;
		}
		if (digits < 0 || v > 0x10ffff) {
			ct_buf_addch(b, '\\');
			continue;
		}
		ct_utf8_put(b, v);
		s += 1 + digits;
	}
}

static int fstring_field(struct parser *p);

/* The parts of one f-string, FSTRING_START to FSTRING_END. */
static int fstring(struct parser *p)
{
	advance(p);
	while (cur(p)->type != CT_PYTOK_FSTRING_END) {
		if (cur(p)->type == CT_PYTOK_FSTRING_MIDDLE)
			advance(p);
		else if (at_op(p, "{")) {
			if (!fstring_field(p))
				return 0;
		} else {
			return !!syntax(p);
		}
	}
	advance(p);
	return 1;
}

/* '{' (yield_expr | star_expressions) ['='] ['!' NAME] [':' spec] '}' */
static int fstring_field(struct parser *p)
{
	advance(p);
	if (!enter(p))
		return 0;
	if (at_op(p, "}") || at_op(p, "!") || at_op(p, ":") || at_op(p, "="))
		return !!fail_at(p, cur(p),
				 "f-string: valid expression required before "
				 "'%.*s'",
				 (int)cur(p)->len, p->src + cur(p)->off);
	if (at_kw(p, "yield")) {
		advance(p);
		if (at_kw(p, "from"))
			advance(p);
		if (!at_op(p, "}") && !star_expressions(p))
			return 0;
	} else if (!star_expressions(p)) {
		return 0;
	}
	if (at_op(p, "="))
		advance(p);
	if (at_op(p, "!")) {
		const struct tok *bang = advance(p), *conv = cur(p);
		if (conv->type != CT_PYTOK_NAME ||
		    conv->off != bang->off + bang->len)
			return !!fail_at(p, conv,
					 "f-string: missing conversion "
					 "character");
		if (conv->len != 1 || !strchr("sra", p->src[conv->off]))
			return !!fail_at(p, conv,
					 "f-string: invalid conversion "
					 "character: expected 's', 'r', or "
					 "'a'");
		advance(p);
	}
	if (at_op(p, ":")) {
		advance(p);
		while (!at_op(p, "}")) {
			if (cur(p)->type == CT_PYTOK_FSTRING_MIDDLE) {
				advance(p);
			} else if (at_op(p, "{")) {
				if (!fstring_field(p))
					return 0;
			} else {
				return !!syntax(p);
			}
		}
	}
	if (!at_op(p, "}"))
		return !!fail_at(p, cur(p), "f-string: expecting '}'");
	advance(p);
	p->nest--;
	return 1;
}

static int is_string_start(const struct tok *t)
{
	return t->type == CT_PYTOK_STRING || t->type == CT_PYTOK_FSTRING_START;
}

/* Joins adjacent string tokens into one STR, BYTES or FSTR node. An
 * f-string (FSTRING_START ... FSTRING_END) adds its text between the
 * quotes as written, fields included; its fields are parsed, and so
 * checked, but their nodes are not kept. */
static struct ct_pyexpr *strings(struct parser *p)
{
	const struct tok *first = cur(p);
	struct ct_buf val = CT_BUF_INIT;
	int bytes = -1, fstr = 0;
	size_t mark;
	struct ct_pyexpr *e;

	/* a first pass decides whether the result is an f-string */
	for (mark = p->i; mark < p->ntoks && is_string_start(&p->toks[mark]);
	     mark++) {
		unsigned depth = 0;
		if (p->toks[mark].type == CT_PYTOK_STRING)
			continue;
		fstr = 1;
		for (; mark < p->ntoks; mark++) {
			depth += p->toks[mark].type == CT_PYTOK_FSTRING_START;
			if (p->toks[mark].type == CT_PYTOK_FSTRING_END &&
			    !--depth)
				break;
		}
		if (mark >= p->ntoks)
			break;
	}
	while (is_string_start(cur(p))) {
		const struct tok *t = cur(p);
		const char *s = p->src + t->off, *body;
		int raw = 0, isb = 0, isf = 0;
		size_t q, n;
		if (t->type == CT_PYTOK_FSTRING_START) {
			size_t from = t->off + t->len, nall = p->nall;
			if (bytes == 1) {
				ct_buf_release(&val);
				return fail_at(p, first,
					       "cannot mix bytes and nonbytes "
					       "literals");
			}
			bytes = 0;
			if (!fstring(p)) {
				ct_buf_release(&val);
				return NULL;
			}
			p->nall = nall; /* fields are not kept, as before */
			ct_buf_add(&val, p->src + from,
				   p->toks[p->i - 1].off - from);
			continue;
		}
		advance(p);
		for (; *s != '\'' && *s != '"'; s++) {
			raw |= (*s | 0x20) == 'r';
			isb |= (*s | 0x20) == 'b';
			isf |= (*s | 0x20) == 'f';
		}
		if (bytes >= 0 && bytes != isb) {
			ct_buf_release(&val);
			return fail_at(
			    p, first, "cannot mix bytes and nonbytes literals");
		}
		bytes = isb;
		q = (t->len - (size_t)(s - (p->src + t->off)) >= 6 &&
		     s[1] == s[0] && s[2] == s[0])
			? 3
			: 1;
		body = s + q;
		n = t->len - (size_t)(body - (p->src + t->off)) - q;
		if (isb || isf || raw) {
			if (fstr && !isf) {
				/* a plain part of an f-string: braces doubled
				 */
				for (size_t k = 0; k < n; k++) {
					ct_buf_addch(&val, body[k]);
					if (body[k] == '{' || body[k] == '}')
						ct_buf_addch(&val, body[k]);
				}
			} else {
				ct_buf_add(&val, body, n);
			}
		} else if (fstr) {
			struct ct_buf tmp = CT_BUF_INIT;
			unescape(&tmp, body, n);
			for (size_t k = 0; k < tmp.len; k++) {
				ct_buf_addch(&val, tmp.ptr[k]);
				if (tmp.ptr[k] == '{' || tmp.ptr[k] == '}')
					ct_buf_addch(&val, tmp.ptr[k]);
			}
			ct_buf_release(&tmp);
		} else {
			unescape(&val, body, n);
		}
	}
	e = node(p,
		 bytes == 1 ? CT_PY_BYTES
		 : fstr	    ? CT_PY_FSTR
			    : CT_PY_STR,
		 first);
	e->str = arena_alloc(&p->arena, val.len + 1);
	memcpy((char *)e->str, val.ptr, val.len);
	ct_buf_release(&val);
	return finish(p, e);
}

static struct ct_pyexpr *comprehension_tail(struct parser *p,
					    struct ct_pyexpr *e)
{
	/* for targets in disjunction [if disjunction]... */
	while (at_kw(p, "for") ||
	       (at_kw(p, "async") && is(p, peek(p, 1), CT_PYTOK_NAME, "for"))) {
		if (at_kw(p, "async"))
			advance(p);
		advance(p);
		do {
			if (at_op(p, "*"))
				advance(p);
			if (!bitwise_or(p))
				return NULL;
		} while (at_op(p, ",") && advance(p) && !at_kw(p, "in"));
		if (!at_kw(p, "in"))
			return fail_at(p, cur(p), "expected 'in'");
		advance(p);
		if (!disjunction(p))
			return NULL;
		while (at_kw(p, "if")) {
			advance(p);
			if (!disjunction(p))
				return NULL;
		}
	}
	e->kind = CT_PY_OTHER;
	return e;
}

/* ( ... ) [ ... ] { ... }: tuples, lists, sets, dicts and comprehensions */
static struct ct_pyexpr *display(struct parser *p)
{
	const struct tok *open = advance(p);
	char c = p->src[open->off];
	const char *close = c == '(' ? ")" : c == '[' ? "]" : "}";
	struct ct_pyexpr *e = node(p,
				   c == '('   ? CT_PY_TUPLE
				   : c == '[' ? CT_PY_LIST
					      : CT_PY_SET,
				   open);
	struct list items = {0};
	int commas = 0, dict = 0;

	if (!enter(p))
		return NULL;
	while (!at_op(p, close)) {
		struct ct_pyexpr *k = NULL, *v;
		if (c == '{' && at_op(p, "**")) {
			advance(p);
			dict = 1;
			if (!(v = bitwise_or(p)))
				goto fail;
			list_add(&items, NULL);
			list_add(&items, v);
		} else if (c == '(' && at_kw(p, "yield") && !items.n) {
			advance(p);
			if (at_kw(p, "from"))
				advance(p);
			if (!at_op(p, ")") && !star_expressions(p))
				goto fail;
			e->kind = CT_PY_OTHER;
			break;
		} else {
			if (at_op(p, "*")) {
				const struct tok *star = advance(p);
				struct ct_pyexpr *s =
				    node(p, CT_PY_STARRED, star);
				if (!(s->value = bitwise_or(p)))
					goto fail;
				v = finish(p, s);
			} else if (!(v = named_expression(p))) {
				goto fail;
			}
			if (c == '{' && at_op(p, ":") && (dict || !items.n)) {
				advance(p);
				dict = 1;
				k = v;
				if (!(v = expression(p)))
					goto fail;
			}
			if (dict && !k) {
				syntax(p);
				goto fail;
			}
			if (dict)
				list_add(&items, k);
			list_add(&items, v);
			if (at_kw(p, "for") || at_kw(p, "async")) {
				if (!comprehension_tail(p, e))
					goto fail;
				break;
			}
		}
		if (!at_op(p, ","))
			break;
		advance(p);
		commas++;
	}
	if (!expect_op(p, close))
		goto fail;
	p->nest--;
	if ((dict || (!items.n && c == '{')) && e->kind == CT_PY_SET)
		e->kind = CT_PY_DICT; /* {} is an empty dict */
	list_move(p, &items, &e->items, &e->nitems);
	if (c == '(' && e->kind == CT_PY_TUPLE && e->nitems == 1 && !commas)
		return e->items[0]; /* a parenthesized expression */
	return finish(p, e);
fail:
	free(items.v);
	return NULL;
}

static struct ct_pyexpr *atom(struct parser *p)
{
	const struct tok *t = cur(p);
	struct ct_pyexpr *e;

	switch (t->type) {
	case CT_PYTOK_NAME:
		if (is(p, t, CT_PYTOK_NAME, "True") ||
		    is(p, t, CT_PYTOK_NAME, "False") ||
		    is(p, t, CT_PYTOK_NAME, "None")) {
			advance(p);
			e = node(p,
				 p->src[t->off] == 'T'	 ? CT_PY_TRUE
				 : p->src[t->off] == 'F' ? CT_PY_FALSE
							 : CT_PY_NONE,
				 t);
			return finish(p, e);
		}
		if (is_keyword(p, t))
			return syntax(p);
		advance(p);
		e = node(p, CT_PY_NAME, t);
		e->str = tok_str(p, t);
		return finish(p, e);
	case CT_PYTOK_NUMBER: {
		const char *s = p->src + t->off;
		char last = s[t->len - 1];
		int isfloat =
		    !(t->len > 1 && s[0] == '0' && strchr("xXoObB", s[1])) &&
		    (memchr(s, '.', t->len) || memchr(s, 'e', t->len) ||
		     memchr(s, 'E', t->len));
		advance(p);
		e = node(p,
			 (last | 0x20) == 'j' ? CT_PY_COMPLEX
			 : isfloat	      ? CT_PY_FLOAT
					      : CT_PY_INT,
			 t);
		e->str = tok_str(p, t);
		return finish(p, e);
	}
	case CT_PYTOK_STRING:
	case CT_PYTOK_FSTRING_START:
		return strings(p);
	case CT_PYTOK_OP:
		if (is(p, t, CT_PYTOK_OP, "...")) {
			advance(p);
			return finish(p, node(p, CT_PY_ELLIPSIS, t));
		}
		if (t->len == 1 && strchr("([{", p->src[t->off]))
			return display(p);
		if (t->len == 1 && strchr(")]}", p->src[t->off]))
			return fail_at(p, t, "unmatched '%c'", p->src[t->off]);
		return syntax(p);
	default:
		return syntax(p);
	}
}

/* Call arguments, after '(' */
static struct ct_pyexpr *arguments(struct parser *p, struct ct_pyexpr *call)
{
	struct list args = {0};
	struct ct_pykeyword *kw = NULL;
	size_t nkw = 0, capkw = 0;

	if (!enter(p))
		return NULL;
	while (!at_op(p, ")")) {
		struct ct_pyexpr *v;
		const char *name = NULL;
		int star2 = 0;
		if (at_op(p, "**")) {
			advance(p);
			star2 = 1;
		} else if (cur(p)->type == CT_PYTOK_NAME &&
			   is(p, peek(p, 1), CT_PYTOK_OP, "=")) {
			name = tok_str(p, advance(p));
			advance(p);
		}
		if (at_op(p, "*") && !star2 && !name) {
			const struct tok *star = advance(p);
			struct ct_pyexpr *s = node(p, CT_PY_STARRED, star);
			if (!(s->value = expression(p)))
				goto fail;
			v = finish(p, s);
		} else if (!(v = name || star2 ? expression(p)
					       : named_expression(p))) {
			goto fail;
		}
		if (!name && !star2 && (at_kw(p, "for") || at_kw(p, "async"))) {
			struct ct_pyexpr *gen = node(p, CT_PY_OTHER, cur(p));
			if (!comprehension_tail(p, gen))
				goto fail;
			v = gen;
		}
		if (name || star2) {
			kw = ct_xgrow(kw, &capkw, nkw + 1, sizeof(*kw));
			kw[nkw].name = name;
			kw[nkw++].value = v;
		} else {
			list_add(&args, v);
		}
		if (!at_op(p, ","))
			break;
		advance(p);
	}
	if (!expect_op(p, ")"))
		goto fail;
	p->nest--;
	list_move(p, &args, &call->items, &call->nitems);
	call->nkeywords = nkw;
	if (nkw) {
		call->keywords = arena_alloc(&p->arena, nkw * sizeof(*kw));
		memcpy(call->keywords, kw, nkw * sizeof(*kw));
	}
	free(kw);
	return call;
fail:
	free(args.v);
	free(kw);
	return NULL;
}

/* A subscript: slices or expressions, after '[' */
static struct ct_pyexpr *subscript(struct parser *p, struct ct_pyexpr *sub)
{
	struct list items = {0};
	int commas = 0;

	if (!enter(p))
		return NULL;
	while (!at_op(p, "]")) {
		struct ct_pyexpr *v = NULL;
		const struct tok *start = cur(p);
		if (!at_op(p, ":") &&
		    !(v = at_op(p, "*") ? NULL : named_expression(p))) {
			if (!at_op(p, "*"))
				goto fail;
			advance(p);
			if (!(v = bitwise_or(p)))
				goto fail;
		}
		if (at_op(p, ":")) { /* a slice */
			struct ct_pyexpr *s = node(p, CT_PY_OTHER, start);
			for (int k = 0; k < 2 && at_op(p, ":"); k++) {
				advance(p);
				if (!at_op(p, ":") && !at_op(p, "]") &&
				    !at_op(p, ",") && !expression(p))
					goto fail;
			}
			v = finish(p, s);
		}
		list_add(&items, v);
		if (!at_op(p, ","))
			break;
		advance(p);
		commas++;
	}
	if (!items.n) {
		syntax(p);
		goto fail;
	}
	if (!expect_op(p, "]"))
		goto fail;
	p->nest--;
	if (items.n == 1 && !commas) {
		sub->items = arena_alloc(&p->arena, sizeof(*sub->items));
		sub->items[0] = items.v[0];
		sub->nitems = 1;
		free(items.v);
	} else {
		struct ct_pyexpr *t = node(p, CT_PY_TUPLE, cur(p));
		list_move(p, &items, &t->items, &t->nitems);
		t->line = t->items[0]->line;
		t->col = t->items[0]->col;
		t->start = t->items[0]->start;
		finish(p, t);
		sub->items = arena_alloc(&p->arena, sizeof(*sub->items));
		sub->items[0] = t;
		sub->nitems = 1;
	}
	return sub;
fail:
	free(items.v);
	return NULL;
}

static struct ct_pyexpr *primary(struct parser *p)
{
	struct ct_pyexpr *e;
	const struct tok *start = cur(p);
	int awaited = 0;

	if (at_kw(p, "await")) {
		advance(p);
		awaited = 1;
	}
	if (!(e = atom(p)))
		return NULL;
	for (;;) {
		struct ct_pyexpr *n;
		if (at_op(p, ".")) {
			advance(p);
			if (cur(p)->type != CT_PYTOK_NAME ||
			    is_keyword(p, cur(p)))
				return syntax(p);
			n = node_from(p, CT_PY_ATTR, e);
			n->value = e;
			n->str = tok_str(p, advance(p));
		} else if (at_op(p, "(")) {
			advance(p);
			n = node_from(p, CT_PY_CALL, e);
			n->value = e;
			if (!arguments(p, n))
				return NULL;
		} else if (at_op(p, "[")) {
			advance(p);
			n = node_from(p, CT_PY_SUBSCRIPT, e);
			n->value = e;
			if (!subscript(p, n))
				return NULL;
		} else {
			break;
		}
		e = finish(p, n);
	}
	if (awaited) {
		struct ct_pyexpr *a = node(p, CT_PY_OTHER, start);
		a->value = e;
		return finish(p, a);
	}
	return e;
}

static struct ct_pyexpr *factor(struct parser *p);

static struct ct_pyexpr *power(struct parser *p)
{
	struct ct_pyexpr *e = primary(p), *b;

	if (!e || !at_op(p, "**"))
		return e;
	advance(p);
	if (!(b = factor(p)))
		return NULL;
	{
		struct ct_pyexpr *n = node_from(p, CT_PY_BINOP, e);
		n->str = "**";
		n->items = arena_alloc(&p->arena, 2 * sizeof(*n->items));
		n->items[0] = e;
		n->items[1] = b;
		n->nitems = 2;
		return finish(p, n);
	}
}

static struct ct_pyexpr *factor(struct parser *p)
{
	if (at_op(p, "-") || at_op(p, "+") || at_op(p, "~")) {
		const struct tok *t = advance(p);
		struct ct_pyexpr *e = node(p, CT_PY_UNARY, t);
		if (!enter(p))
			return NULL;
		e->str = tok_str(p, t);
		e->value = factor(p);
		p->nest--;
		return e->value ? finish(p, e) : NULL;
	}
	return power(p);
}

static struct ct_pyexpr *binary(struct parser *p, int level)
{
	struct ct_pyexpr *e = level ? binary(p, level - 1) : factor(p);

	while (e && cur(p)->bin == level + 1) {
		const char *op = NULL;
		struct ct_pyexpr *n, *r;
		for (int k = 0; !op && levels[level][k]; k++)
			if (at_op(p, levels[level][k]))
				op = levels[level][k];
		advance(p);
		if (!(r = level ? binary(p, level - 1) : factor(p)))
			return NULL;
		n = node_from(p, CT_PY_BINOP, e);
		n->str = op;
		n->items = arena_alloc(&p->arena, 2 * sizeof(*n->items));
		n->items[0] = e;
		n->items[1] = r;
		n->nitems = 2;
		e = finish(p, n);
	}
	return e;
}

static struct ct_pyexpr *bitwise_or(struct parser *p)
{
	return binary(p, 5);
}

static int at_compare(struct parser *p)
{
	static const char *const ops[] = {"==", "!=", "<", "<=", ">", ">="};

	for (size_t k = 0; k < 6; k++)
		if (at_op(p, ops[k]))
			return 1;
	return at_kw(p, "in") || at_kw(p, "is") ||
	       (at_kw(p, "not") && is(p, peek(p, 1), CT_PYTOK_NAME, "in"));
}

static struct ct_pyexpr *comparison(struct parser *p)
{
	struct ct_pyexpr *e = bitwise_or(p);

	if (!e || !at_compare(p))
		return e;
	while (at_compare(p)) {
		if (at_kw(p, "not") ||
		    (at_kw(p, "is") && is(p, peek(p, 1), CT_PYTOK_NAME, "not")))
			advance(p);
		advance(p);
		if (!bitwise_or(p))
			return NULL;
	}
	return finish(p, node_from(p, CT_PY_OTHER, e));
}

static struct ct_pyexpr *inversion(struct parser *p)
{
	if (at_kw(p, "not")) {
		const struct tok *t = advance(p);
		struct ct_pyexpr *e;
		if (!enter(p))
			return NULL;
		e = inversion(p);
		p->nest--;
		return e ? finish(p, node(p, CT_PY_OTHER, t)) : NULL;
	}
	return comparison(p);
}

static struct ct_pyexpr *boolean(struct parser *p, const char *op,
				 struct ct_pyexpr *(*next)(struct parser *))
{
	struct ct_pyexpr *e = next(p);

	if (!e || !at_kw(p, op))
		return e;
	while (at_kw(p, op)) {
		advance(p);
		if (!next(p))
			return NULL;
	}
	return finish(p, node_from(p, CT_PY_OTHER, e));
}

static struct ct_pyexpr *conjunction(struct parser *p)
{
	return boolean(p, "and", inversion);
}

static struct ct_pyexpr *disjunction(struct parser *p)
{
	return boolean(p, "or", conjunction);
}

/* A function's parameters, collected for def statements. */
struct params {
	struct ct_pykeyword *v;
	size_t n, cap;
};

static int lambda_params(struct parser *p, const char *end, struct params *out)
{
	while (!at_op(p, end)) {
		const char *stars = "";
		if (at_op(p, "*") || at_op(p, "**") || at_op(p, "/")) {
			stars = at_op(p, "**")	? "**"
				: at_op(p, "*") ? "*"
						: "";
			advance(p);
			if (at_op(p, ",") || at_op(p, end))
				goto next;
		}
		if (cur(p)->type != CT_PYTOK_NAME || is_keyword(p, cur(p))) {
			syntax(p);
			return 0;
		}
		if (out) {
			struct ct_pykeyword *k;
			char *name = tok_str(p, cur(p));
			out->v = ct_xgrow(out->v, &out->cap, out->n + 1,
					  sizeof(*out->v));
			k = &out->v[out->n++];
			k->value = NULL;
			k->name = name;
			if (*stars) {
				size_t len = strlen(stars) + strlen(name) + 1;
				char *s = arena_alloc(&p->arena, len);
				snprintf(s, len, "%s%s", stars, name);
				k->name = s;
			}
		}
		advance(p);
		if (!strcmp(end, ")") && at_op(p, ":")) { /* annotation */
			struct ct_pyexpr *ann;
			advance(p);
			if (at_op(p, "*")) /* *args: *Ts */
				advance(p);
			if (!(ann = expression(p)))
				return 0;
			if (out)
				out->v[out->n - 1].value = ann;
		}
		if (at_op(p, "=")) {
			advance(p);
			if (!expression(p))
				return 0;
		}
	next:
		if (!at_op(p, ","))
			break;
		advance(p);
	}
	return 1;
}

static struct ct_pyexpr *expression(struct parser *p)
{
	struct ct_pyexpr *e;

	if (!enter(p))
		return NULL;
	if (at_kw(p, "lambda")) {
		const struct tok *t = advance(p);
		if (!lambda_params(p, ":", NULL) || !expect_op(p, ":") ||
		    !expression(p))
			return NULL;
		p->nest--;
		return finish(p, node(p, CT_PY_OTHER, t));
	}
	e = disjunction(p);
	if (e && at_kw(p, "if")) {
		struct ct_pyexpr *n = node_from(p, CT_PY_OTHER, e);
		advance(p);
		if (!disjunction(p))
			return NULL;
		if (!at_kw(p, "else"))
			return fail_at(p, cur(p),
				       "expected 'else' after 'if' expression");
		advance(p);
		if (!expression(p))
			return NULL;
		e = finish(p, n);
	}
	p->nest--;
	return e;
}

static struct ct_pyexpr *named_expression(struct parser *p)
{
	if (cur(p)->type == CT_PYTOK_NAME &&
	    is(p, peek(p, 1), CT_PYTOK_OP, ":=")) {
		const struct tok *t = advance(p);
		advance(p);
		if (!expression(p))
			return NULL;
		return finish(p, node(p, CT_PY_OTHER, t));
	}
	return expression(p);
}

static struct ct_pyexpr *star_expression(struct parser *p)
{
	if (at_op(p, "*")) {
		const struct tok *t = advance(p);
		struct ct_pyexpr *e = node(p, CT_PY_STARRED, t);
		if (!(e->value = bitwise_or(p)))
			return NULL;
		return finish(p, e);
	}
	return named_expression(p);
}

/* a, b, *c  -> a tuple when there is a comma */
static struct ct_pyexpr *star_expressions(struct parser *p)
{
	const struct tok *start = cur(p);
	struct ct_pyexpr *e = star_expression(p), *t;
	struct list items = {0};

	if (!e || !at_op(p, ","))
		return e;
	list_add(&items, e);
	while (at_op(p, ",")) {
		advance(p);
		if (at_op(p, "=") || at_op(p, ")") || at_op(p, ":") ||
		    at_op(p, ";") || cur(p)->type == CT_PYTOK_NEWLINE ||
		    at_kw(p, "in") || at_op(p, "]") || at_op(p, "}"))
			break;
		if (!(e = star_expression(p))) {
			free(items.v);
			return NULL;
		}
		list_add(&items, e);
	}
	t = node(p, CT_PY_TUPLE, start);
	list_move(p, &items, &t->items, &t->nitems);
	return finish(p, t);
}

static struct ct_pyexpr *yield_or_star(struct parser *p)
{
	if (at_kw(p, "yield")) {
		const struct tok *t = advance(p);
		if (at_kw(p, "from")) {
			advance(p);
			if (!expression(p))
				return NULL;
		} else if (cur(p)->type != CT_PYTOK_NEWLINE && !at_op(p, ";") &&
			   !at_op(p, ")") && !at_op(p, "=") &&
			   !star_expressions(p)) {
			return NULL;
		}
		return finish(p, node(p, CT_PY_OTHER, t));
	}
	return star_expressions(p);
}

/* ---- statements -----------------------------------------------------------
 */

struct stmts {
	struct ct_pystmt *v;
	size_t n, cap;
};

static struct ct_pystmt *stmt_new(struct stmts *l, enum ct_pystmt_kind kind,
				  const struct tok *at)
{
	struct ct_pystmt *s;

	l->v = ct_xgrow(l->v, &l->cap, l->n + 1, sizeof(*l->v));
	s = &l->v[l->n++];
	memset(s, 0, sizeof(*s));
	s->kind = kind;
	s->line = at->row;
	s->col = at->col;
	return s;
}

static void stmts_move(struct parser *p, struct stmts *l,
		       struct ct_pystmt **out, size_t *n)
{
	*n = l->n;
	*out = l->n ? arena_alloc(&p->arena, l->n * sizeof(**out)) : NULL;
	if (l->n)
		memcpy(*out, l->v, l->n * sizeof(**out));
	free(l->v);
	memset(l, 0, sizeof(*l));
}

static int statement(struct parser *p, struct stmts *out);

/* Indentation of the line holding token t: columns with tabs to 8 and to 1,
 * for CPython's check of tabs mixed with spaces. */
static void indentation(const struct parser *p, const struct tok *t,
			unsigned *col8, unsigned *col1)
{
	size_t ls = t->off;

	while (ls > 0 && p->src[ls - 1] != '\n')
		ls--;
	*col8 = *col1 = 0;
	for (; ls < t->off; ls++) {
		char c = p->src[ls];
		if (c == ' ') {
			(*col8)++;
			(*col1)++;
		} else if (c == '\t') {
			*col8 = (*col8 / 8 + 1) * 8;
			(*col1)++;
		} else if (c == '\f') {
			*col8 = *col1 = 0;
		} else {
			break;
		}
	}
}

static int check_indent(struct parser *p)
{
	const struct tok *t = cur(p);
	unsigned c8, c1;

	if (t->type == CT_PYTOK_ENDMARKER || t->type == T_ERROR)
		return 1;
	indentation(p, t, &c8, &c1);
	if (c8 == p->indent_col[p->nindent] &&
	    c1 != p->indent_alt[p->nindent]) {
		fail_at(p, t,
			"inconsistent use of tabs and spaces in indentation");
		return 0;
	}
	return 1;
}

/* NEWLINE INDENT statements DEDENT, or simple statements on the line */
static int suite(struct parser *p, struct stmts *out, const char *what,
		 const struct tok *header)
{
	if (!expect_op(p, ":"))
		return 0;
	if (cur(p)->type != CT_PYTOK_NEWLINE)
		return statement(p, out); /* simple statements */
	advance(p);
	if (cur(p)->type != CT_PYTOK_INDENT) {
		if (cur(p)->type == T_ERROR)
			return !!syntax(p);
		fail_at(p, cur(p),
			"expected an indented block after %s on line %u", what,
			header->row);
		return 0;
	}
	{
		const struct tok *in = advance(p);
		unsigned c8, c1;
		indentation(p, cur(p), &c8, &c1);
		(void)in;
		if (p->nindent >= MAX_INDENT) {
			fail_at(p, cur(p), "too many levels of indentation");
			return 0;
		}
		if (c1 <= p->indent_alt[p->nindent]) {
			fail_at(
			    p, cur(p),
			    "inconsistent use of tabs and spaces in indentation");
			return 0;
		}
		p->nindent++;
		p->indent_col[p->nindent] = c8;
		p->indent_alt[p->nindent] = c1;
	}
	while (cur(p)->type != CT_PYTOK_DEDENT) {
		if (cur(p)->type == CT_PYTOK_ENDMARKER)
			break;
		if (!statement(p, out))
			return 0;
	}
	if (cur(p)->type == CT_PYTOK_DEDENT)
		advance(p);
	p->nindent--;
	return 1;
}

static struct ct_pyexpr *decorator_list(struct parser *p, struct list *l)
{
	while (at_op(p, "@")) {
		struct ct_pyexpr *d;
		advance(p);
		if (!(d = named_expression(p)))
			return NULL;
		if (cur(p)->type != CT_PYTOK_NEWLINE)
			return syntax(p);
		advance(p);
		list_add(l, d);
		if (!check_indent(p))
			return NULL;
	}
	return (struct ct_pyexpr *)1;
}

/* PEP 695 type parameters, with PEP 696 defaults (3.13):
 * '[' (NAME [':' expression] | '*' NAME | '**' NAME) ['=' default], ... ']' */
static int type_params(struct parser *p)
{
	int defaults = 0;

	advance(p);
	if (!enter(p))
		return 0;
	if (at_op(p, "]"))
		return !!fail_at(p, cur(p),
				 "type parameter list cannot be empty");
	while (!at_op(p, "]")) {
		const struct tok *name;
		int stars = at_op(p, "*") ? 1 : at_op(p, "**") ? 2 : 0;
		if (stars)
			advance(p);
		name = cur(p);
		if (name->type != CT_PYTOK_NAME || is_keyword(p, name))
			return !!syntax(p);
		advance(p);
		if (at_op(p, ":")) {
			if (stars)
				return !!fail_at(
				    p, cur(p), "cannot use bound with %s",
				    stars == 1 ? "TypeVarTuple" : "ParamSpec");
			advance(p);
			if (!expression(p))
				return 0;
		}
		if (at_op(p, "=")) {
			advance(p);
			if (stars == 1 && at_op(p, "*")) {
				advance(p);
				if (!bitwise_or(p))
					return 0;
			} else if (!expression(p)) {
				return 0;
			}
			defaults = 1;
		} else if (defaults) {
			return !!fail_at(p, name,
					 "non-default type parameter '%.*s' "
					 "follows default type parameter",
					 (int)name->len, p->src + name->off);
		}
		if (!at_op(p, ","))
			break;
		advance(p);
	}
	if (!expect_op(p, "]"))
		return 0;
	p->nest--;
	return 1;
}

static int class_def(struct parser *p, struct stmts *out, struct list *decos)
{
	const struct tok *kw = advance(p), *name = cur(p);
	struct ct_pystmt s;
	struct stmts body = {0};
	struct ct_pyexpr *bases;

	memset(&s, 0, sizeof(s));
	if (name->type != CT_PYTOK_NAME || is_keyword(p, name))
		return !!syntax(p);
	advance(p);
	if (at_op(p, "[") && !type_params(p))
		return 0;
	bases =
	    node(p, CT_PY_OTHER, name); /* a holder of arguments, not a call */
	if (at_op(p, "(")) {
		advance(p);
		if (!arguments(p, bases))
			return 0;
	}
	if (!suite(p, &body, "class definition", kw))
		goto fail;
	s.kind = CT_PY_CLASS;
	s.line = kw->row;
	s.col = kw->col;
	s.name = tok_str(p, name);
	s.bases = bases;
	list_move(p, decos, &s.decorators, &s.ndecorators);
	stmts_move(p, &body, &s.body, &s.nbody);
	*stmt_new(out, CT_PY_CLASS, kw) = s;
	return 1;
fail:
	free(body.v);
	return 0;
}

static int func_def(struct parser *p, struct stmts *out, struct list *decos)
{
	const struct tok *kw, *name;
	struct ct_pystmt s;
	struct stmts body = {0};
	struct params params = {0};

	memset(&s, 0, sizeof(s));
	if (at_kw(p, "async"))
		advance(p);
	kw = advance(p);
	name = cur(p);
	if (name->type != CT_PYTOK_NAME || is_keyword(p, name))
		return !!syntax(p);
	advance(p);
	if (at_op(p, "[") && !type_params(p))
		return 0;
	if (!expect_op(p, "("))
		return 0;
	if (!enter(p) || !lambda_params(p, ")", &params) || !expect_op(p, ")"))
		goto fail;
	p->nest--;
	if (at_op(p, "->")) {
		advance(p);
		if (!(s.annotation = expression(p)))
			goto fail;
	}
	s.name = tok_str(p, name);
	{
		struct arena_mark before = arena_mark(p->arena);
		size_t nall = p->nall;
		if (!suite(p, &body, "function definition", kw))
			goto fail;
		if (p->drop_bodies) {
			/* checked for syntax; what it held is not wanted */
			free(body.v);
			memset(&body, 0, sizeof(body));
			arena_release(&p->arena, before);
			p->nall = nall;
		}
	}
	s.kind = CT_PY_DEF;
	s.line = kw->row;
	s.col = kw->col;
	list_move(p, decos, &s.decorators, &s.ndecorators);
	stmts_move(p, &body, &s.body, &s.nbody);
	s.nparams = params.n;
	if (params.n) {
		s.params = arena_alloc(&p->arena, params.n * sizeof(*s.params));
		memcpy(s.params, params.v, params.n * sizeof(*s.params));
	}
	free(params.v);
	*stmt_new(out, CT_PY_DEF, kw) = s;
	return 1;
fail:
	free(params.v);
	free(body.v);
	return 0;
}

/* dotted name: NAME ('.' NAME)* */
static const char *dotted(struct parser *p)
{
	struct ct_buf b = CT_BUF_INIT;
	char *s;

	for (;;) {
		if (cur(p)->type != CT_PYTOK_NAME || is_keyword(p, cur(p))) {
			ct_buf_release(&b);
			return syntax(p);
		}
		ct_buf_add(&b, p->src + cur(p)->off, cur(p)->len);
		advance(p);
		if (!at_op(p, "."))
			break;
		advance(p);
		ct_buf_addch(&b, '.');
	}
	s = arena_alloc(&p->arena, b.len + 1);
	memcpy(s, b.ptr, b.len);
	ct_buf_release(&b);
	return s;
}

static int import_names(struct parser *p, struct ct_pystmt *s, int from)
{
	struct ct_pyalias *v = NULL;
	size_t n = 0, cap = 0;
	int paren = from && at_op(p, "(");

	if (paren)
		advance(p);
	if (from && at_op(p, "*")) {
		advance(p);
		v = ct_xgrow(v, &cap, 1, sizeof(*v));
		v[n].name = "*";
		v[n++].asname = NULL;
	} else {
		for (;;) {
			const char *name = from ? NULL : dotted(p), *as = NULL;
			if (from) {
				if (cur(p)->type != CT_PYTOK_NAME ||
				    is_keyword(p, cur(p))) {
					free(v);
					return !!syntax(p);
				}
				name = tok_str(p, advance(p));
			}
			if (!name) {
				free(v);
				return 0;
			}
			if (at_kw(p, "as")) {
				advance(p);
				if (cur(p)->type != CT_PYTOK_NAME) {
					free(v);
					return !!syntax(p);
				}
				as = tok_str(p, advance(p));
			}
			v = ct_xgrow(v, &cap, n + 1, sizeof(*v));
			v[n].name = name;
			v[n++].asname = as;
			if (!at_op(p, ","))
				break;
			advance(p);
			if (paren && at_op(p, ")"))
				break;
		}
	}
	if (paren && !expect_op(p, ")")) {
		free(v);
		return 0;
	}
	s->nnames = n;
	s->names = arena_alloc(&p->arena, n * sizeof(*v));
	memcpy(s->names, v, n * sizeof(*v));
	free(v);
	return 1;
}

/* Statements that end a logical line: one or more separated by ';'. */
static int simple_statements(struct parser *p, struct stmts *out)
{
	for (;;) {
		const struct tok *t = cur(p);
		struct ct_pystmt *s;
		if (at_soft(p, "type") && peek(p, 1)->type == CT_PYTOK_NAME &&
		    !peek(p, 1)->keyword &&
		    (is(p, peek(p, 2), CT_PYTOK_OP, "=") ||
		     is(p, peek(p, 2), CT_PYTOK_OP, "["))) {
			/* PEP 695: type NAME [type_params] = expression */
			const struct tok *name;
			struct ct_pyexpr *value;
			advance(p);
			name = advance(p);
			if (at_op(p, "[") && !type_params(p))
				return 0;
			if (!expect_op(p, "=") || !(value = expression(p)))
				return 0;
			s = stmt_new(out, CT_PY_TYPE_ALIAS, t);
			s->name = tok_str(p, name);
			s->value = value;
		} else if (at_kw(p, "import")) {
			advance(p);
			s = stmt_new(out, CT_PY_IMPORT, t);
			if (!import_names(p, s, 0))
				return 0;
		} else if (at_kw(p, "from")) {
			unsigned level = 0;
			const char *module = NULL;
			advance(p);
			while (at_op(p, ".") || at_op(p, "...")) {
				level += cur(p)->len;
				advance(p);
			}
			if (!level && at_kw(p, "import"))
				return !!syntax(p); /* `from import x` */
			if (!at_kw(p, "import") && !(module = dotted(p)))
				return 0;
			if (!at_kw(p, "import"))
				return !!fail_at(p, cur(p),
						 "expected 'import'");
			advance(p);
			s = stmt_new(out, CT_PY_FROM, t);
			s->module = module;
			s->level = level;
			if (!import_names(p, s, 1))
				return 0;
		} else if (at_kw(p, "pass") || at_kw(p, "break") ||
			   at_kw(p, "continue")) {
			advance(p);
			stmt_new(out, CT_PY_SIMPLE, t);
		} else if (at_kw(p, "return") || at_kw(p, "del")) {
			int ret = at_kw(p, "return");
			struct ct_pyexpr *v = NULL;
			advance(p);
			if (cur(p)->type != CT_PYTOK_NEWLINE &&
			    !at_op(p, ";") && !(v = star_expressions(p)))
				return 0;
			s = stmt_new(out, CT_PY_SIMPLE, t);
			if (ret) { /* what a function returns is read */
				s->name = "return";
				s->value = v;
			}
		} else if (at_kw(p, "raise")) {
			advance(p);
			if (cur(p)->type != CT_PYTOK_NEWLINE &&
			    !at_op(p, ";")) {
				if (!expression(p))
					return 0;
				if (at_kw(p, "from")) {
					advance(p);
					if (!expression(p))
						return 0;
				}
			}
			stmt_new(out, CT_PY_SIMPLE, t);
		} else if (at_kw(p, "global") || at_kw(p, "nonlocal")) {
			advance(p);
			do {
				if (cur(p)->type != CT_PYTOK_NAME)
					return !!syntax(p);
				advance(p);
			} while (at_op(p, ",") && advance(p));
			stmt_new(out, CT_PY_SIMPLE, t);
		} else if (at_kw(p, "assert")) {
			advance(p);
			if (!expression(p))
				return 0;
			if (at_op(p, ",")) {
				advance(p);
				if (!expression(p))
					return 0;
			}
			stmt_new(out, CT_PY_SIMPLE, t);
		} else {
			struct ct_pyexpr *e = yield_or_star(p);
			struct list targets = {0};
			if (!e)
				return 0;
			if (at_op(p, ":")) { /* annotated assignment */
				struct ct_pyexpr *ann;
				advance(p);
				if (!(ann = expression(p)))
					return 0;
				s = stmt_new(out, CT_PY_ANNASSIGN, t);
				s->targets =
				    arena_alloc(&p->arena, sizeof(*s->targets));
				s->targets[0] = e;
				s->ntargets = 1;
				s->annotation = ann;
				if (at_op(p, "=")) {
					advance(p);
					if (!(s->value = yield_or_star(p)))
						return 0;
				}
			} else if (at_op(p, "=")) {
				while (at_op(p, "=")) {
					advance(p);
					list_add(&targets, e);
					if (!(e = yield_or_star(p))) {
						free(targets.v);
						return 0;
					}
				}
				s = stmt_new(out, CT_PY_ASSIGN, t);
				list_move(p, &targets, &s->targets,
					  &s->ntargets);
				s->value = e;
			} else if (cur(p)->type == CT_PYTOK_OP &&
				   p->src[cur(p)->off + cur(p)->len - 1] ==
				       '=' &&
				   !at_op(p, "==") && !at_op(p, "<=") &&
				   !at_op(p, ">=") && !at_op(p, "!=")) {
				advance(p); /* augmented assignment */
				if (!yield_or_star(p))
					return 0;
				stmt_new(out, CT_PY_SIMPLE, t);
			} else {
				s = stmt_new(out, CT_PY_EXPR, t);
				s->value = e;
			}
		}
		if (!at_op(p, ";"))
			break;
		advance(p);
		if (cur(p)->type == CT_PYTOK_NEWLINE)
			break;
	}
	if (cur(p)->type != CT_PYTOK_NEWLINE)
		return !!syntax(p);
	advance(p);
	return 1;
}

static int block_statement(struct parser *p, struct stmts *out)
{
	const struct tok *t = cur(p);
	struct stmts body = {0};
	struct ct_pystmt *s;
	const char *what = "'if' statement";

	if (at_kw(p, "async"))
		advance(p);
	if (at_kw(p, "if") || at_kw(p, "while")) {
		what = at_kw(p, "if") ? "'if' statement" : "'while' statement";
		advance(p);
		if (!named_expression(p) || !suite(p, &body, what, t))
			goto fail;
		while (at_kw(p, "elif")) {
			const struct tok *e = advance(p);
			if (!named_expression(p) ||
			    !suite(p, &body, "'elif' statement", e))
				goto fail;
		}
	} else if (at_kw(p, "for")) {
		advance(p);
		do {
			if (at_op(p, "*"))
				advance(p);
			if (!bitwise_or(p))
				goto fail;
		} while (at_op(p, ",") && advance(p) && !at_kw(p, "in"));
		if (!at_kw(p, "in")) {
			fail_at(p, cur(p), "expected 'in'");
			goto fail;
		}
		advance(p);
		if (!star_expressions(p) ||
		    !suite(p, &body, "'for' statement", t))
			goto fail;
	} else if (at_kw(p, "with")) {
		size_t save = p->i + 1;
		int parens = 0;
		advance(p);
		if (at_op(p, "(")) { /* with (a as b, c as d): */
			size_t depth = 0, k;
			for (k = p->i; k < p->ntoks; k++) {
				const struct tok *x = &p->toks[k];
				if (x->type == CT_PYTOK_NEWLINE ||
				    x->type == T_ERROR)
					break;
				if (x->type == CT_PYTOK_OP && x->len == 1 &&
				    strchr("([{", p->src[x->off]))
					depth++;
				if (x->type == CT_PYTOK_OP && x->len == 1 &&
				    strchr(")]}", p->src[x->off]) && !--depth)
					break;
			}
			parens = k + 1 < p->ntoks &&
				 is(p, &p->toks[k + 1], CT_PYTOK_OP, ":");
			if (parens)
				advance(p);
		}
		(void)save;
		do {
			if (parens && at_op(p, ")"))
				break;
			if (!expression(p))
				goto fail;
			if (at_kw(p, "as")) {
				advance(p);
				if (!bitwise_or(p)) /* one target */
					goto fail;
			}
		} while (at_op(p, ",") && advance(p));
		if (parens && !expect_op(p, ")"))
			goto fail;
		if (!suite(p, &body, "'with' statement", t))
			goto fail;
	} else if (at_kw(p, "try")) {
		int handlers = 0;
		advance(p);
		if (!suite(p, &body, "'try' statement", t))
			goto fail;
		while (at_kw(p, "except")) {
			const struct tok *e = advance(p);
			handlers++;
			if (at_op(p, "*"))
				advance(p);
			if (!at_op(p, ":")) {
				if (!expression(p))
					goto fail;
				if (at_op(p,
					  ",")) { /* except (A, B) without
						     parens is an error in 3 */
					fail_at(
					    p, cur(p),
					    "multiple exception types must be parenthesized");
					goto fail;
				}
				if (at_kw(p, "as")) {
					advance(p);
					if (cur(p)->type != CT_PYTOK_NAME) {
						syntax(p);
						goto fail;
					}
					advance(p);
				}
			}
			if (!suite(p, &body, "'except' statement", e))
				goto fail;
		}
		if (!handlers && !at_kw(p, "finally")) {
			fail_at(p, cur(p),
				"expected 'except' or 'finally' block");
			goto fail;
		}
	} else { /* match */
		advance(p);
		if (!star_expressions(p) || !expect_op(p, ":"))
			goto fail;
		if (cur(p)->type != CT_PYTOK_NEWLINE || !advance(p) ||
		    cur(p)->type != CT_PYTOK_INDENT) {
			fail_at(
			    p, cur(p),
			    "expected an indented block after 'match' statement on line %u",
			    t->row);
			goto fail;
		}
		advance(p);
		while (at_soft(p, "case")) {
			const struct tok *c = advance(p);
			int depth = 0;
			/* patterns are not read: skip to the ':' at depth 0 */
			while (!(depth == 0 && at_op(p, ":"))) {
				const struct tok *x = cur(p);
				if (x->type == CT_PYTOK_NEWLINE ||
				    x->type == T_ERROR ||
				    x->type == CT_PYTOK_ENDMARKER) {
					syntax(p);
					goto fail;
				}
				if (x->type == CT_PYTOK_OP && x->len == 1 &&
				    strchr("([{", p->src[x->off]))
					depth++;
				if (x->type == CT_PYTOK_OP && x->len == 1 &&
				    strchr(")]}", p->src[x->off]))
					depth--;
				advance(p);
			}
			if (!suite(p, &body, "'case' statement", c))
				goto fail;
		}
		if (cur(p)->type != CT_PYTOK_DEDENT) {
			syntax(p);
			goto fail;
		}
		advance(p);
	}
	if (at_kw(p, "else")) {
		const struct tok *e = advance(p);
		if (!suite(p, &body, "'else' statement", e))
			goto fail;
	}
	if (at_kw(p, "finally")) {
		const struct tok *f = advance(p);
		if (!suite(p, &body, "'finally' statement", f))
			goto fail;
	}
	s = stmt_new(out, CT_PY_BLOCK, t);
	stmts_move(p, &body, &s->body, &s->nbody);
	return 1;
fail:
	free(body.v);
	return 0;
}

/* `match` is a keyword only where a match statement can stand. */
static int at_match_statement(struct parser *p)
{
	const struct tok *n = peek(p, 1);
	size_t k;
	int depth = 0;

	if (!at_soft(p, "match") || n->type == CT_PYTOK_NEWLINE ||
	    (n->type == CT_PYTOK_OP && !is(p, n, CT_PYTOK_OP, "...") &&
	     (n->len > 1 || !strchr("([{-*~", p->src[n->off]))))
		return 0;
	/* the logical line must end in ':' */
	for (k = p->i + 1; k < p->ntoks; k++) {
		const struct tok *x = &p->toks[k];
		if (x->type == CT_PYTOK_NEWLINE || x->type == T_ERROR ||
		    x->type == CT_PYTOK_ENDMARKER)
			break;
		if (x->type == CT_PYTOK_OP && x->len == 1) {
			if (strchr("([{", p->src[x->off]))
				depth++;
			else if (strchr(")]}", p->src[x->off]))
				depth--;
		}
	}
	return k > 0 && depth == 0 &&
	       is(p, &p->toks[k - 1], CT_PYTOK_OP, ":") && k + 1 < p->ntoks &&
	       p->toks[k].type == CT_PYTOK_NEWLINE &&
	       p->toks[k + 1].type == CT_PYTOK_INDENT;
}

static int statement(struct parser *p, struct stmts *out)
{
	struct list decos = {0};
	int ok;

	if (!check_indent(p))
		return 0;
	if (cur(p)->type == T_ERROR || cur(p)->type == CT_PYTOK_INDENT)
		return !!syntax(p);
	if (at_op(p, "@")) {
		if (!decorator_list(p, &decos))
			goto fail;
		if (!at_kw(p, "class") && !at_kw(p, "def") &&
		    !(at_kw(p, "async") &&
		      is(p, peek(p, 1), CT_PYTOK_NAME, "def"))) {
			syntax(p);
			goto fail;
		}
	}
	if (at_kw(p, "class"))
		ok = class_def(p, out, &decos);
	else if (at_kw(p, "def") ||
		 (at_kw(p, "async") && is(p, peek(p, 1), CT_PYTOK_NAME, "def")))
		ok = func_def(p, out, &decos);
	else if (at_kw(p, "if") || at_kw(p, "while") || at_kw(p, "for") ||
		 at_kw(p, "with") || at_kw(p, "try") ||
		 (at_kw(p, "async") &&
		  (is(p, peek(p, 1), CT_PYTOK_NAME, "for") ||
		   is(p, peek(p, 1), CT_PYTOK_NAME, "with"))) ||
		 at_match_statement(p))
		ok = block_statement(p, out);
	else if (at_kw(p, "elif") || at_kw(p, "else") || at_kw(p, "except") ||
		 at_kw(p, "finally"))
		ok = !!syntax(p);
	else
		ok = simple_statements(p, out);
	free(decos.v);
	return ok;
fail:
	free(decos.v);
	return 0;
}

/* ---- module -----------------------------------------------------------------
 */

int ct_pymodule_parse(struct ct_pymodule **out, const char *src, size_t len,
		      const char *path, struct ct_err *err)
{
	return ct_pymodule_parse_ex(out, src, len, path, 0, err);
}

int ct_pymodule_parse_ex(struct ct_pymodule **out, const char *src, size_t len,
			 const char *path, unsigned flags, struct ct_err *err)
{
	struct ct_pytokenizer *tz = NULL;
	struct parser p;
	struct ct_pymodule *m;
	struct stmts body = {0};
	const char *s;
	size_t n, line = 1;
	int rc;

	memset(&p, 0, sizeof(p));
	{
		/* compile() reads a lone CR as a newline, tokenize does not:
		 * make it one (same length, so every offset stays) */
		char *crlf = NULL;
		for (size_t i = 0; i < len; i++) {
			if (src[i] != '\r' ||
			    (i + 1 < len && src[i + 1] == '\n'))
				continue;
			if (!crlf) {
				crlf = ct_xmalloc(len + 1);
				memcpy(crlf, src, len);
			}
			crlf[i] = '\n';
		}
		rc = ct_pytok_new_ex(&tz, crlf ? crlf : src, len, path,
				     CT_PY_LATEST, CT_PYTOK_STRICT_UTF8, err);
		free(crlf);
		if (rc)
			return rc;
	}
	s = ct_pytok_source(tz, &n);
	for (const char *q = s, *e = s + n; q < e; line++) {
		const char *nl = memchr(q, '\n', (size_t)(e - q));
		size_t ll = nl ? (size_t)(nl - q) : (size_t)(e - q);
		if (ll > CT_PY_MAX_LINE) {
			ct_pytok_free(tz);
			return ct_err_at(
			    err, CT_ETOOBIG, path, (unsigned)line, 0,
			    "line is %zu bytes long, over the %zu byte limit",
			    ll, CT_PY_MAX_LINE);
		}
		q = nl ? nl + 1 : e;
	}
	m = ct_xcalloc(1, sizeof(*m));
	p.drop_bodies = !!(flags & CT_PY_DROP_BODIES);
	p.path = path;
	p.err = err;
	p.src = s;
	p.srclen = n;
	/* about one token in five bytes of code: one allocation mostly */
	p.toks = ct_xgrow(NULL, &p.cap, n / 5 + 16, sizeof(*p.toks));
	tokenize_all(&p, tz);
	while (!p.failed && cur(&p)->type != CT_PYTOK_ENDMARKER) {
		if (cur(&p)->type == T_ERROR ||
		    cur(&p)->type == CT_PYTOK_DEDENT) {
			syntax(&p);
			break;
		}
		if (!statement(&p, &body))
			break;
	}
	if (p.failed) {
		free(body.v);
		free(p.all);
		free(p.toks);
		arena_free(p.arena);
		ct_pytok_free(tz);
		free(m);
		return CT_EPARSE;
	}
	stmts_move(&p, &body, &m->body, &m->nbody);
	m->nexprs = p.nall;
	m->exprs =
	    p.nall ? arena_alloc(&p.arena, p.nall * sizeof(*m->exprs)) : NULL;
	if (p.nall)
		memcpy(m->exprs, p.all, p.nall * sizeof(*m->exprs));
	free(p.all);
	free(p.toks);
	m->path = arena_alloc(&p.arena, strlen(path) + 1);
	strcpy((char *)m->path, path);
	m->source = ct_pytok_detach_source(tz, &m->len);
	m->owned_source = (char *)m->source;
	m->arena = p.arena;
	ct_pytok_free(tz);
	*out = m;
	return 0;
}

void ct_pymodule_free(struct ct_pymodule *m)
{
	if (!m)
		return;
	arena_free(m->arena);
	free(m->owned_source);
	free(m);
}

/* ---- helpers over the tree
 * ---------------------------------------------------- */

const char *ct_pyexpr_text(const struct ct_pymodule *m,
			   const struct ct_pyexpr *e, size_t *len)
{
	*len = e->end > e->start ? e->end - e->start : 0;
	return m->source + e->start;
}

const char *ct_pyexpr_dotted(const struct ct_pyexpr *e, char *buf, size_t size)
{
	char tmp[512];

	buf[0] = '\0';
	if (e && e->kind == CT_PY_NAME) {
		snprintf(buf, size, "%s", e->str);
	} else if (e && e->kind == CT_PY_ATTR) {
		ct_pyexpr_dotted(e->value, tmp, sizeof(tmp));
		if (tmp[0])
			snprintf(buf, size, "%s.%s", tmp, e->str);
	}
	return buf;
}

struct ct_pyexpr *ct_pycall_keyword(const struct ct_pyexpr *call,
				    const char *name)
{
	if (!call || call->kind != CT_PY_CALL)
		return NULL;
	for (size_t i = 0; i < call->nkeywords; i++)
		if (call->keywords[i].name &&
		    !strcmp(call->keywords[i].name, name))
			return call->keywords[i].value;
	return NULL;
}

static json_object *number_json(const char *text, int negative, int isfloat)
{
	char clean[128];
	size_t n = 0;

	for (const char *s = text; *s && n + 1 < sizeof(clean); s++)
		if (*s != '_')
			clean[n++] = *s;
	clean[n] = '\0';
	if (isfloat) {
		double d = strtod(clean, NULL);
		return json_object_new_double(negative ? -d : d);
	}
	{
		int base = 10;
		const char *digits = clean;
		unsigned long long v;
		char *end;
		if (clean[0] == '0' && clean[1]) {
			char b = (char)(clean[1] | 0x20);
			base = b == 'x' ? 16 : b == 'o' ? 8 : b == 'b' ? 2 : 10;
			if (base != 10)
				digits = clean + 2;
		}
		v = strtoull(digits, &end, base);
		if (v > (unsigned long long)INT64_MAX)
			return json_object_new_double(negative ? -(double)v
							       : (double)v);
		return json_object_new_int64(negative ? -(int64_t)v
						      : (int64_t)v);
	}
}

int ct_pyexpr_literal(json_object **out, const struct ct_pyexpr *e)
{
	json_object *o = NULL;

	*out = NULL;
	if (!e)
		return CT_ENOTFOUND;
	switch (e->kind) {
	case CT_PY_STR:
		o = json_object_new_string(e->str);
		break;
	case CT_PY_INT:
		o = number_json(e->str, 0, 0);
		break;
	case CT_PY_FLOAT:
		o = number_json(e->str, 0, 1);
		break;
	case CT_PY_TRUE:
	case CT_PY_FALSE:
		o = json_object_new_boolean(e->kind == CT_PY_TRUE);
		break;
	case CT_PY_NONE:
		return 0;
	case CT_PY_UNARY:
		if (strcmp(e->str, "-") || !e->value ||
		    (e->value->kind != CT_PY_INT &&
		     e->value->kind != CT_PY_FLOAT))
			return CT_ENOTFOUND;
		o = number_json(e->value->str, 1,
				e->value->kind == CT_PY_FLOAT);
		break;
	case CT_PY_TUPLE:
	case CT_PY_LIST:
	case CT_PY_SET:
		o = json_object_new_array();
		for (size_t i = 0; i < e->nitems; i++) {
			json_object *v;
			if (ct_pyexpr_literal(&v, e->items[i])) {
				json_object_put(o);
				return CT_ENOTFOUND;
			}
			json_object_array_add(o, v);
		}
		break;
	case CT_PY_DICT:
		o = json_object_new_object();
		for (size_t i = 0; i + 1 < e->nitems; i += 2) {
			json_object *v;
			if (!e->items[i] || e->items[i]->kind != CT_PY_STR ||
			    ct_pyexpr_literal(&v, e->items[i + 1])) {
				json_object_put(o);
				return CT_ENOTFOUND;
			}
			json_object_object_add(o, e->items[i]->str, v);
		}
		break;
	default:
		return CT_ENOTFOUND;
	}
	*out = o;
	return 0;
}
