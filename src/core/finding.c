/* finding.c - the changes of every comparison of a contract, grouped into
 * one finding per change (finding.h). */
#include "contracts/finding.h"

#include "contracts/buf.h"
#include "contracts/xalloc.h"

#include <json-c/json.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const titles[CT_SIDE_COUNT] = {
    "the old document",
    "the new document",
    "the pin",
    "the provider",
    "the provider's committed file",
    "the consumer",
    "the consumer's committed file",
    "the writer",
    "the reader"};
static const char *const keys[CT_SIDE_COUNT] = {
    "old",	"new",		 "pin",	   "provider", "provider_file",
    "consumer", "consumer_file", "writer", "reader"};

const char *ct_side_title(enum ct_side side)
{
	return (unsigned)side < CT_SIDE_COUNT ? titles[side] : "?";
}

const char *ct_side_key(enum ct_side side)
{
	return (unsigned)side < CT_SIDE_COUNT ? keys[side] : "?";
}

/* ---- where a change sits ------------------------------------------------ */

/* Reads one pointer token from *p, unescaping it into `tok`. */
static int next_token(const char **p, struct ct_buf *tok)
{
	const char *s = *p;

	ct_buf_reset(tok);
	if (*s != '/')
		return 0;
	for (s++; *s && *s != '/'; s++) {
		if (s[0] == '~' && (s[1] == '0' || s[1] == '1'))
			ct_buf_addch(tok, *++s == '0' ? '~' : '/');
		else
			ct_buf_addch(tok, *s);
	}
	*p = s;
	return 1;
}

void ct_change_where(struct ct_buf *out, const struct ct_change *c)
{
	struct ct_buf tok = CT_BUF_INIT;
	const char *p = c->pointer;

	if (c->kind == CT_GATE_PASSED || c->kind == CT_GATE_FAILED ||
	    c->kind == CT_GATE_SKIPPED) {
		ct_buf_addf(out, "release rule %s", c->subject);
		return;
	}
	if (!next_token(&p, &tok) || strcmp(tok.ptr, "$defs")) {
		if (!strcmp(c->subject, "events") ||
		    !strcmp(c->subject, "routes"))
			ct_buf_adds(out, c->subject);
		else
			ct_buf_addf(out, "list %s", c->subject);
		ct_buf_release(&tok);
		return;
	}
	next_token(&p, &tok);
	ct_buf_add(out, tok.ptr, tok.len);
	while (next_token(&p, &tok)) {
		if (!strcmp(tok.ptr, "properties") && next_token(&p, &tok))
			ct_buf_addf(out, ".%s", tok.ptr);
		else if (!strcmp(tok.ptr, "items"))
			ct_buf_adds(out, "[]");
		else if (!strcmp(tok.ptr, "additionalProperties"))
			ct_buf_adds(out, "{}");
		/* "enum" and "default" are said by the message itself */
	}
	ct_buf_release(&tok);
}

/* ---- the identity of a change ------------------------------------------- */

static int refuses_enum_value(const struct ct_change *c)
{
	return c->kind == CT_VALUE_REFUSED && c->old_value &&
	       json_object_is_type(c->old_value, json_type_array);
}

const char *ct_change_family(const struct ct_change *c)
{
	switch (c->kind) {
	case CT_ENUM_VALUE_ADDED:
	case CT_ENUM_VALUE_REMOVED:
	case CT_VALUE_NOT_SENT:
		return "enum-value";
	case CT_VALUE_REFUSED:
		return refuses_enum_value(c) ? "enum-value" : "type";
	case CT_PROPERTY_ADDED:
	case CT_REQUIRED_PROPERTY_ADDED:
	case CT_PROPERTY_REMOVED:
	case CT_PROPERTY_REQUIRED:
	case CT_PROPERTY_OPTIONAL:
	case CT_FIELD_MAY_BE_MISSING:
	case CT_FIELD_FORBIDDEN:
	case CT_FIELD_NOT_READ:
		return "field";
	case CT_TYPE_CHANGED:
	case CT_TYPE_WIDENED:
	case CT_TYPE_NARROWED:
	case CT_NULLABLE_ADDED:
	case CT_NULLABLE_REMOVED:
	case CT_REF_CHANGED:
		return "type";
	case CT_DEFAULT_CHANGED:
		return "default";
	case CT_SHAPE_ADDED:
	case CT_SHAPE_REMOVED:
	case CT_SHAPE_NOT_READ:
	case CT_SHAPE_NOT_WRITTEN:
		return "shape";
	case CT_KEYS_FORBIDDEN:
		return "unknown-keys";
	case CT_LIST_ADDED:
	case CT_LIST_REMOVED:
		return "list";
	case CT_LIST_ITEM_ADDED:
	case CT_LIST_ITEM_REMOVED:
		return "list-item";
	case CT_LIST_ITEM_MOVED:
		return "order";
	case CT_EVENT_ADDED:
	case CT_EVENT_REMOVED:
	case CT_EVENT_NOT_READ:
	case CT_EVENT_NOT_SENT:
		return "event";
	case CT_ROUTE_ADDED:
	case CT_ROUTE_REMOVED:
		return "route";
	default:
		return ct_kind_name(c->kind);
	}
}

/* Families whose findings are one member of a set: the member is part of
 * the identity. The others are one place (a field, a type, an order). */
static int keyed_by_member(const char *family)
{
	return !strcmp(family, "enum-value") || !strcmp(family, "event") ||
	       !strcmp(family, "route") || !strcmp(family, "list-item");
}

static uint64_t fnv(uint64_t h, const char *s)
{
	for (; s && *s; s++) {
		h ^= (unsigned char)*s;
		h *= 0x100000001b3ULL;
	}
	return (h ^ 0xff) * 0x100000001b3ULL; /* field separator */
}

struct key {
	const char *family;
	char *where, *member;
};

static void key_of(struct key *k, const struct ct_change *c)
{
	struct ct_buf w = CT_BUF_INIT;

	k->family = ct_change_family(c);
	ct_change_where(&w, c);
	k->where = ct_buf_detach(&w, NULL);
	k->member = keyed_by_member(k->family) && c->member
			? ct_xstrdup(c->member)
			: NULL;
	if (c->kind == CT_GATE_PASSED || c->kind == CT_GATE_FAILED ||
	    c->kind == CT_GATE_SKIPPED) { /* each rule's result stands alone */
		free(k->member);
		k->member = ct_xstrdup(c->fingerprint);
	}
}

static int key_same(const struct key *k, const struct ct_finding *f)
{
	return !f->error && !strcmp(k->family, f->family) &&
	       !strcmp(k->where, f->where) &&
	       !strcmp(k->member ? k->member : "", f->member ? f->member : "");
}

/* ---- what each side holds ----------------------------------------------- */

static char *value_text(json_object *v)
{
	if (!v)
		return ct_xstrdup("none");
	if (json_object_is_type(v, json_type_string))
		return ct_xstrdup(json_object_get_string(v));
	return ct_xstrdup(
	    json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN));
}

static char *json_text(json_object *v)
{
	return v ? ct_xstrdup(json_object_to_json_string_ext(
		       v, JSON_C_TO_STRING_PLAIN))
		 : ct_xstrdup("none");
}

/* What the left (expected, writer) and right (actual, reader) documents of
 * a comparison hold, as its change says; either may stay NULL. */
static void states(const struct ct_change *c, char **l, char **r)
{
	const char *present = "present", *absent = CT_FINDING_ABSENT;
	const char *ls = NULL, *rs = NULL;

	*l = *r = NULL;
	switch (c->kind) {
	case CT_ENUM_VALUE_ADDED:
	case CT_SHAPE_ADDED:
	case CT_LIST_ADDED:
	case CT_LIST_ITEM_ADDED:
	case CT_EVENT_ADDED:
	case CT_ROUTE_ADDED:
	case CT_VALUE_NOT_SENT:
	case CT_SHAPE_NOT_WRITTEN:
	case CT_EVENT_NOT_SENT:
		ls = absent, rs = present;
		break;
	case CT_ENUM_VALUE_REMOVED:
	case CT_SHAPE_REMOVED:
	case CT_LIST_REMOVED:
	case CT_LIST_ITEM_REMOVED:
	case CT_EVENT_REMOVED:
	case CT_ROUTE_REMOVED:
	case CT_PROPERTY_REMOVED:
	case CT_SHAPE_NOT_READ:
	case CT_EVENT_NOT_READ:
	case CT_FIELD_NOT_READ:
		ls = present, rs = absent;
		break;
	case CT_PROPERTY_ADDED:
		ls = absent, rs = "optional";
		break;
	case CT_REQUIRED_PROPERTY_ADDED:
		ls = absent, rs = "required";
		break;
	case CT_PROPERTY_REQUIRED:
	case CT_FIELD_MAY_BE_MISSING:
		ls = "optional", rs = "required";
		break;
	case CT_PROPERTY_OPTIONAL:
		ls = "required", rs = "optional";
		break;
	case CT_FIELD_FORBIDDEN:
		ls = present, rs = "absent, unknown keys forbidden";
		break;
	case CT_KEYS_FORBIDDEN:
		ls = "passes unknown keys", rs = "forbids unknown keys";
		break;
	case CT_NULLABLE_ADDED:
		ls = "not nullable", rs = "nullable";
		break;
	case CT_NULLABLE_REMOVED:
		ls = "nullable", rs = "not nullable";
		break;
	case CT_VALUE_REFUSED:
		if (refuses_enum_value(c)) {
			ls = present, rs = absent;
			break;
		} else {
			struct ct_buf a = CT_BUF_INIT, b = CT_BUF_INIT;
			char *w = c->new_value ? json_text(c->new_value)
					       : ct_xstrdup("null");
			ct_buf_addf(&a, "may send %s", w);
			free(w);
			if (c->old_value) {
				char *t = value_text(c->old_value);
				ct_buf_addf(&b, "takes %s", t);
				free(t);
				*r = ct_buf_detach(&b, NULL);
			}
			*l = ct_buf_detach(&a, NULL);
			return;
		}
	case CT_LIST_ITEM_MOVED:
		/* each comparison names another item: the order is told by
		 * which documents agree (infer()) */
		return;
	case CT_DEFAULT_CHANGED:
		*l = json_text(c->old_value);
		*r = json_text(c->new_value);
		return;
	default: /* types and $ref targets: the values themselves */
		*l = value_text(c->old_value);
		*r = value_text(c->new_value);
		return;
	}
	*l = ct_xstrdup(ls);
	*r = ct_xstrdup(rs);
}

/* Kinds a diff reports at the expected document (what it lost). */
static int at_expected(enum ct_change_kind k)
{
	return k == CT_ENUM_VALUE_REMOVED || k == CT_SHAPE_REMOVED ||
	       k == CT_LIST_REMOVED || k == CT_LIST_ITEM_REMOVED ||
	       k == CT_EVENT_REMOVED || k == CT_ROUTE_REMOVED ||
	       k == CT_PROPERTY_REMOVED;
}

/* Kinds the compatibility check reports at the reader's element. */
static int at_reader(enum ct_change_kind k)
{
	return k == CT_VALUE_NOT_SENT || k == CT_SHAPE_NOT_WRITTEN ||
	       k == CT_EVENT_NOT_SENT;
}

static enum ct_side right_of(const struct ct_changes *d)
{
	/* a struct zeroed by hand says OLD twice: the second is NEW */
	return d->right == d->left && d->left == CT_SIDE_OLD ? CT_SIDE_NEW
							     : d->right;
}

/* The side a change's origin belongs to. */
static enum ct_side origin_side(const struct ct_changes *d,
				const struct ct_change *c)
{
	if (c->kind >= CT_VALUE_REFUSED)
		return at_reader(c->kind) ? right_of(d) : d->left;
	return at_expected(c->kind) ? d->left : right_of(d);
}

/* ---- building ----------------------------------------------------------- */

static int same_contract(const char *a, const char *b)
{
	return !strcmp(a ? a : "", b ? b : "");
}

struct builder {
	struct ct_findings *out;
	size_t cap, capc;
	struct key *keys; /* beside out->v */
	size_t capk;
	/* the findings' identities: index + 1 by hash, so that gathering
	 * many changes stays linear */
	size_t *slots, nslots;
};

static uint64_t identity_hash(const char *contract, const struct key *k)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	h = fnv(h, contract);
	h = fnv(h, k->family);
	h = fnv(h, k->where);
	return fnv(h, k->member);
}

/* The slot of identity (contract, k): holding its finding, or empty. */
static size_t *identity_slot(struct builder *b, const char *contract,
			     const struct key *k)
{
	size_t mask = b->nslots - 1, i = identity_hash(contract, k) & mask;

	while (b->slots[i] &&
	       !(same_contract(b->out->v[b->slots[i] - 1].contract, contract) &&
		 key_same(k, &b->out->v[b->slots[i] - 1])))
		i = (i + 1) & mask;
	return &b->slots[i];
}

/* Grows the table to hold one more finding, at most half full. */
static void identity_grow(struct builder *b)
{
	size_t n = b->out->n + 1, k = b->nslots ? b->nslots : 64;

	if (2 * n <= b->nslots)
		return;
	while (2 * n > k)
		k *= 2;
	free(b->slots);
	b->slots = ct_xcalloc(k, sizeof(*b->slots));
	b->nslots = k;
	for (size_t i = 0; i < b->out->n; i++) {
		const struct ct_finding *f = &b->out->v[i];
		struct key fk = {f->family, (char *)f->where,
				 (char *)f->member};
		if (!f->error)
			*identity_slot(b, f->contract, &fk) = i + 1;
	}
}

static void add_origin(struct ct_finding *f, enum ct_side side,
		       const struct ct_origin *o)
{
	size_t cap = f->norigins;

	if (!o->path)
		return;
	for (size_t i = 0; i < f->norigins; i++) {
		const struct ct_forigin *x = &f->origins[i];
		if (x->side == side && x->line == o->line &&
		    !strcmp(x->path, o->path))
			return;
	}
	f->origins =
	    ct_xgrow(f->origins, &cap, f->norigins + 1, sizeof(*f->origins));
	f->origins[f->norigins].side = side;
	f->origins[f->norigins].repo = o->repo ? ct_xstrdup(o->repo) : NULL;
	f->origins[f->norigins].commit =
	    o->commit ? ct_xstrdup(o->commit) : NULL;
	f->origins[f->norigins].path = ct_xstrdup(o->path);
	f->origins[f->norigins].line = o->line;
	f->norigins++;
}

static void add_seen(struct ct_finding *f, const struct ct_changes *d,
		     const struct ct_change *c)
{
	size_t cap = f->nseen;

	f->seen = ct_xgrow(f->seen, &cap, f->nseen + 1, sizeof(*f->seen));
	f->seen[f->nseen].cmp = d;
	f->seen[f->nseen].change = c;
	f->nseen++;
}

static struct ct_finding *new_finding(struct builder *b,
				      const struct ct_changes *d)
{
	struct ct_findings *o = b->out;
	struct ct_finding *f;

	o->v = ct_xgrow(o->v, &b->cap, o->n + 1, sizeof(*o->v));
	b->keys = ct_xgrow(b->keys, &b->capk, o->n + 1, sizeof(*b->keys));
	f = &o->v[o->n];
	memset(f, 0, sizeof(*f));
	memset(&b->keys[o->n], 0, sizeof(*b->keys));
	o->n++;
	f->contract = d->contract;
	f->direction = d->direction;
	return f;
}

static void add_change(struct builder *b, const struct ct_changes *d,
		       const struct ct_change *c)
{
	struct ct_findings *o = b->out;
	struct ct_finding *f = NULL;
	struct key k;
	enum ct_side l = d->left, r = right_of(d), at;
	char *ls, *rs;
	size_t *slot;

	key_of(&k, c);
	identity_grow(b);
	slot = identity_slot(b, d->contract, &k);
	if (*slot)
		f = &o->v[*slot - 1];
	if (!f) {
		*slot = o->n + 1;
		f = new_finding(b, d);
		f->family = k.family;
		f->where = k.where;
		f->member = k.member;
		f->severity = c->severity;
	} else {
		free(k.where);
		free(k.member);
	}
	if (c->severity > f->severity)
		f->severity = c->severity;
	add_seen(f, d, c);
	states(c, &ls, &rs);
	/* the first comparison to say what a side holds is kept */
	if (ls && !f->state[l])
		f->state[l] = ls;
	else
		free(ls);
	if (rs && !f->state[r])
		f->state[r] = rs;
	else
		free(rs);
	at = origin_side(d, c);
	add_origin(f, at, &c->origin);
	if (c->other.path)
		add_origin(f, r, &c->other);
}

static void add_error(struct builder *b, const struct ct_changes *d,
		      const struct ct_err *e)
{
	struct ct_findings *o = b->out;
	struct ct_finding *f = NULL;

	for (size_t i = 0; i < o->n && !f; i++) {
		const struct ct_finding *x = &o->v[i];
		if (x->error && same_contract(x->contract, d->contract) &&
		    !strcmp(x->err.msg, e->msg) &&
		    !strcmp(x->err.path, e->path) && x->err.line == e->line &&
		    x->err.col == e->col)
			f = &o->v[i];
	}
	if (!f) {
		f = new_finding(b, d);
		f->error = 1;
		f->family = "error";
		f->severity = CT_SEV_BREAKING;
		f->err = *e;
		f->where = ct_xstrdup(e->path);
	}
	add_seen(f, d, NULL);
}

/* Whether comparison d saw finding f. */
static int saw(const struct ct_finding *f, const struct ct_changes *d)
{
	for (size_t i = 0; i < f->nseen; i++)
		if (f->seen[i].cmp == d)
			return 1;
	return 0;
}

/* What a comparison that did not see the change says: a diff lists every
 * difference, so its two documents hold the same; the compatibility check
 * lists only what the reader cannot read (and news), so a value the writer
 * sends is one the reader has, and one the reader lacks is one the writer
 * never sends. */
static void infer(struct ct_finding *f, const struct ct_fcontract *fc)
{
	int membership =
	    !strcmp(f->family, "enum-value") || !strcmp(f->family, "event") ||
	    !strcmp(f->family, "field") || !strcmp(f->family, "shape");
	int exact = !strcmp(f->family, "route") || !strcmp(f->family, "list") ||
		    !strcmp(f->family, "list-item") ||
		    !strcmp(f->family, "order");

	if (!strcmp(f->family, "order") && !f->state[CT_SIDE_PIN] &&
	    fc->label[CT_SIDE_PIN])
		f->state[CT_SIDE_PIN] = ct_xstrdup("the pinned order");
	else if (!strcmp(f->family, "order") && !f->state[f->seen[0].cmp->left])
		f->state[f->seen[0].cmp->left] = ct_xstrdup("one order");
	for (int round = 0; round < 2 * CT_SIDE_COUNT; round++) {
		int changed = 0;
		for (size_t i = 0; i < fc->ncmps; i++) {
			const struct ct_changes *d = fc->cmps[i];
			enum ct_side l = d->left, r = right_of(d);
			if (d->errors.n || saw(f, d))
				continue;
			if (!d->compat || exact) {
				if (f->state[l] && !f->state[r])
					f->state[r] = ct_xstrdup(f->state[l]),
					changed = 1;
				else if (f->state[r] && !f->state[l])
					f->state[l] = ct_xstrdup(f->state[r]),
					changed = 1;
			} else if (membership) {
				if (f->state[l] && !f->state[r] &&
				    strcmp(f->state[l], CT_FINDING_ABSENT))
					f->state[r] = ct_xstrdup(f->state[l]),
					changed = 1;
				else if (f->state[r] && !f->state[l] &&
					 !strcmp(f->state[r],
						 CT_FINDING_ABSENT))
					f->state[l] = ct_xstrdup(f->state[r]),
					changed = 1;
			}
		}
		/* a comparison that saw a move: its documents differ; said
		 * only once what agrees is known */
		for (size_t i = 0;
		     !changed && !strcmp(f->family, "order") && i < f->nseen;
		     i++) {
			const struct ct_changes *d = f->seen[i].cmp;
			enum ct_side l = d->left, r = right_of(d);
			if (f->state[l] && !f->state[r])
				f->state[r] = ct_xstrdup("another order"),
				changed = 1;
			else if (f->state[r] && !f->state[l])
				f->state[l] = ct_xstrdup("another order"),
				changed = 1;
		}
		if (!changed)
			break;
	}
	if (f->state[CT_SIDE_PIN]) {
		for (int s = 0; s < CT_SIDE_COUNT; s++)
			if (s != CT_SIDE_PIN && f->state[s] &&
			    strcmp(f->state[s], f->state[CT_SIDE_PIN]))
				f->moved |= 1u << s;
	} else if (f->state[CT_SIDE_OLD] && f->state[CT_SIDE_NEW] &&
		   strcmp(f->state[CT_SIDE_OLD], f->state[CT_SIDE_NEW])) {
		f->moved |= 1u << CT_SIDE_NEW;
	}
}

/* ---- words -------------------------------------------------------------- */

static int is_program(enum ct_side s)
{
	return s == CT_SIDE_PROVIDER || s == CT_SIDE_CONSUMER;
}

/* The comparison whose change says the finding best: the most severe, and
 * among those one between the two programs. */
static const struct ct_fseen *lead(const struct ct_finding *f)
{
	const struct ct_fseen *best = NULL;

	for (size_t i = 0; i < f->nseen; i++) {
		const struct ct_fseen *s = &f->seen[i];
		if (!best || s->change->severity > best->change->severity ||
		    (s->change->severity == best->change->severity &&
		     is_program(s->cmp->left) && is_program(right_of(s->cmp)) &&
		     !(is_program(best->cmp->left) &&
		       is_program(right_of(best->cmp)))))
			best = s;
	}
	return best;
}

/* What a side does with a route it has, and says when it lacks one. */
static const char *route_has(enum ct_side s)
{
	return s == CT_SIDE_CONSUMER   ? "calls"
	       : s == CT_SIDE_PROVIDER ? "serves"
				       : "lists";
}

static const char *route_lacks(enum ct_side s)
{
	return s == CT_SIDE_CONSUMER   ? "does not call it"
	       : s == CT_SIDE_PROVIDER ? "serves no such route"
				       : "does not list it";
}

static void say(struct ct_buf *b, const struct ct_finding *f,
		const struct ct_changes *d, const struct ct_change *c)
{
	const char *L = ct_side_title(d->left), *R = ct_side_title(right_of(d));
	const char *m = c->member ? c->member : "";
	const char *w = f->where;
	char *ov, *nv;

	switch (c->kind) {
	case CT_ENUM_VALUE_ADDED:
		ct_buf_addf(b, "%s has \"%s\" in %s; %s does not", R, m, w, L);
		break;
	case CT_ENUM_VALUE_REMOVED:
		ct_buf_addf(b, "%s has \"%s\" in %s; %s does not", L, m, w, R);
		break;
	case CT_VALUE_REFUSED:
		if (refuses_enum_value(c)) {
			ct_buf_addf(b,
				    "%s may send \"%s\" in %s; %s does not "
				    "accept it (not one of its %zu values)",
				    L, m, w, R,
				    json_object_array_length(c->old_value));
			break;
		}
		nv =
		    c->new_value ? json_text(c->new_value) : ct_xstrdup("null");
		ct_buf_addf(b, "%s may send %s in %s; %s refuses it", L, nv, w,
			    R);
		free(nv);
		if (c->old_value) {
			ov = value_text(c->old_value);
			ct_buf_addf(b, " (it takes %s)", ov);
			free(ov);
		}
		break;
	case CT_VALUE_NOT_SENT:
		ct_buf_addf(b, "%s knows \"%s\" in %s; %s never sends it", R, m,
			    w, L);
		break;
	case CT_PROPERTY_ADDED:
	case CT_REQUIRED_PROPERTY_ADDED:
		ct_buf_addf(b, "%s has %s field %s; %s does not", R,
			    c->kind == CT_PROPERTY_ADDED ? "optional"
							 : "required",
			    w, L);
		break;
	case CT_PROPERTY_REMOVED:
		ct_buf_addf(b, "%s has field %s; %s does not", L, w, R);
		break;
	case CT_PROPERTY_REQUIRED:
	case CT_PROPERTY_OPTIONAL:
		ct_buf_addf(
		    b, "%s is %s in %s, %s in %s", w,
		    c->kind == CT_PROPERTY_REQUIRED ? "required" : "optional",
		    R,
		    c->kind == CT_PROPERTY_REQUIRED ? "optional" : "required",
		    L);
		break;
	case CT_FIELD_MAY_BE_MISSING:
		ct_buf_addf(b, "%s requires %s; %s may omit it", R, w, L);
		break;
	case CT_FIELD_FORBIDDEN:
		ct_buf_addf(b, "%s sends %s; %s forbids unknown keys", L, w, R);
		break;
	case CT_FIELD_NOT_READ:
		ct_buf_addf(b, "%s sends %s; %s does not read it", L, w, R);
		break;
	case CT_KEYS_FORBIDDEN:
		ct_buf_addf(b,
			    "%s may pass unknown keys in %s; %s forbids them",
			    L, w, R);
		break;
	case CT_SHAPE_ADDED:
	case CT_LIST_ADDED:
		ct_buf_addf(b, "%s has %s; %s does not", R, w, L);
		break;
	case CT_SHAPE_REMOVED:
	case CT_LIST_REMOVED:
		ct_buf_addf(b, "%s has %s; %s does not", L, w, R);
		break;
	case CT_SHAPE_NOT_READ:
		ct_buf_addf(b, "%s writes %s; no shape of %s reads it", L, w,
			    R);
		break;
	case CT_SHAPE_NOT_WRITTEN:
		ct_buf_addf(b, "%s reads %s; %s has no such shape", R, w, L);
		break;
	case CT_LIST_ITEM_ADDED:
		ct_buf_addf(b, "%s has \"%s\" in %s; %s does not", R, m, w, L);
		break;
	case CT_LIST_ITEM_REMOVED:
		ct_buf_addf(b, "%s has \"%s\" in %s; %s does not", L, m, w, R);
		break;
	case CT_LIST_ITEM_MOVED:
		ct_buf_addf(b,
			    "the order of %s differs: \"%s\" is at position "
			    "%d in %s, %d in %s",
			    w, m, json_object_get_int(c->new_value) + 1, R,
			    json_object_get_int(c->old_value) + 1, L);
		break;
	case CT_EVENT_ADDED:
		ct_buf_addf(b, "%s has event \"%s\"; %s does not", R, m, L);
		break;
	case CT_EVENT_REMOVED:
		ct_buf_addf(b, "%s has event \"%s\"; %s does not", L, m, R);
		break;
	case CT_EVENT_NOT_READ:
		ct_buf_addf(b, "%s sends event \"%s\"; %s does not know it", L,
			    m, R);
		break;
	case CT_EVENT_NOT_SENT:
		ct_buf_addf(b, "%s knows event \"%s\"; %s never sends it", R, m,
			    L);
		break;
	case CT_ROUTE_ADDED:
		ct_buf_addf(b, "%s %s %s; %s %s", R, route_has(right_of(d)), m,
			    L, route_lacks(d->left));
		break;
	case CT_ROUTE_REMOVED:
		ct_buf_addf(b, "%s %s %s; %s %s", L, route_has(d->left), m, R,
			    route_lacks(right_of(d)));
		break;
	case CT_DEFAULT_CHANGED:
		ov = json_text(c->old_value);
		nv = json_text(c->new_value);
		ct_buf_addf(b, "the default of %s is %s in %s, %s in %s", w, nv,
			    R, ov, L);
		free(ov);
		free(nv);
		break;
	case CT_NULLABLE_ADDED:
	case CT_NULLABLE_REMOVED:
		ct_buf_addf(b, "%s is nullable in %s, not in %s", w,
			    c->kind == CT_NULLABLE_ADDED ? R : L,
			    c->kind == CT_NULLABLE_ADDED ? L : R);
		break;
	case CT_GATE_PASSED:
	case CT_GATE_FAILED:
	case CT_GATE_SKIPPED: /* a release rule: its words are the note */
		ct_buf_addf(b, "%s: %s: %s", w,
			    c->kind == CT_GATE_PASSED	? "passed"
			    : c->kind == CT_GATE_FAILED ? "failed"
							: "skipped",
			    c->note ? c->note : "");
		return;
	default: /* type and $ref changes */
		ov = value_text(c->old_value);
		nv = value_text(c->new_value);
		ct_buf_addf(b, "%s: %s from %s in %s to %s in %s", w,
			    ct_kind_title(c->kind), ov, L, nv, R);
		free(ov);
		free(nv);
	}
	if (c->note) /* the closest routes, or an approval's words */
		ct_buf_addf(b, "; %s", c->note);
}

/* The origin of side s, or NULL. */
static const struct ct_forigin *origin_of(const struct ct_finding *f,
					  enum ct_side s)
{
	for (size_t i = 0; i < f->norigins; i++)
		if (f->origins[i].side == s)
			return &f->origins[i];
	return NULL;
}

static void add_place(struct ct_buf *b, const struct ct_forigin *o)
{
	if (o->repo)
		ct_buf_addf(b, "%s:", o->repo);
	ct_buf_adds(b, o->path);
	if (o->line)
		ct_buf_addf(b, ":%u", o->line);
}

static void fix_at(struct ct_buf *b, const struct ct_finding *f,
		   const struct ct_fcontract *fc, enum ct_side s)
{
	const struct ct_forigin *o = origin_of(f, s);

	ct_buf_addf(b, "fix %s", ct_side_title(s));
	if (o) {
		ct_buf_adds(b, " at ");
		add_place(b, o);
	} else if (fc->label[s]) { /* no place known: the document */
		ct_buf_addf(b, " (%s)", fc->label[s]);
	}
}

static void allow_cmd(struct ct_buf *b, const struct ct_finding *f)
{
	ct_buf_adds(b, "contracts allow");
	for (size_t i = 0; i < f->nseen; i++) {
		int dup = 0;
		for (size_t j = 0; j < i; j++)
			dup |= !strcmp(f->seen[j].change->fingerprint,
				       f->seen[i].change->fingerprint);
		if (!dup)
			ct_buf_addf(b, " %s", f->seen[i].change->fingerprint);
	}
	ct_buf_adds(b, " --reason TEXT --until YYYY-MM-DD");
}

/* The second document when the finding comes from two plain documents
 * (compare, compat) rather than a run; else CT_SIDE_COUNT. */
static enum ct_side plain_second(const struct ct_finding *f)
{
	for (size_t i = 0; i < f->nseen; i++)
		if (f->seen[i].cmp->left == CT_SIDE_OLD ||
		    f->seen[i].cmp->left == CT_SIDE_WRITER)
			return right_of(f->seen[i].cmp);
	return CT_SIDE_COUNT;
}

static void next_step(struct ct_buf *b, const struct ct_finding *f,
		      const struct ct_fcontract *fc)
{
	unsigned files =
	    (1u << CT_SIDE_PROVIDER_FILE) | (1u << CT_SIDE_CONSUMER_FILE);
	unsigned programs = (1u << CT_SIDE_PROVIDER) | (1u << CT_SIDE_CONSUMER);
	const char *pv = f->state[CT_SIDE_PROVIDER],
		   *cv = f->state[CT_SIDE_CONSUMER];
	int disagree = pv && cv && strcmp(pv, cv);

	if (f->error) {
		if (f->err.code == CT_EUNREACHABLE)
			ct_buf_adds(b, "make the repository reachable (or "
				       "cache it without --offline), and run "
				       "again");
		else if (strstr(f->err.msg, "contracts pin"))
			ct_buf_addf(b, "contracts pin --contract %s",
				    f->contract);
		else if (f->err.path[0])
			ct_buf_addf(b,
				    "fix %s%s, or the manifest, and run "
				    "again",
				    f->err.path, f->err.line ? " there" : "");
		else
			ct_buf_adds(b, "fix the source or the manifest, and "
				       "run again");
		return;
	}
	if (f->moved && !(f->moved & ~files) &&
	    !(f->severity >= CT_SEV_WARNING && disagree)) {
		/* only a committed mirror is off: bring it back in step */
		enum ct_side s = (f->moved & (1u << CT_SIDE_CONSUMER_FILE))
				     ? CT_SIDE_CONSUMER_FILE
				     : CT_SIDE_PROVIDER_FILE;
		const struct ct_forigin *o = origin_of(f, s);
		ct_buf_adds(b, "fix the mirror");
		if (o) {
			ct_buf_adds(b, " at ");
			add_place(b, o);
		} else {
			ct_buf_addf(b, " (%s)", ct_side_title(s));
		}
		return;
	}
	if (f->severity >= CT_SEV_WARNING) {
		/* the reader moved from the pin: it is the one to fix; the
		 * writer moved: the reader follows, then the pin */
		enum ct_side writer =
		    f->direction == CT_DIR_CONSUMER_TO_PROVIDER
			? CT_SIDE_CONSUMER
			: CT_SIDE_PROVIDER;
		enum ct_side reader = writer == CT_SIDE_PROVIDER
					  ? CT_SIDE_CONSUMER
					  : CT_SIDE_PROVIDER;
		if ((f->moved & programs) == (1u << writer)) {
			const struct ct_forigin *o = origin_of(f, reader);
			ct_buf_addf(b, "update %s", ct_side_title(reader));
			if (o) {
				ct_buf_adds(b, " at ");
				add_place(b, o);
			}
			ct_buf_addf(b,
				    " to follow %s, then contracts pin "
				    "--contract %s; or accept it: ",
				    ct_side_title(writer), f->contract);
		} else if (plain_second(f) != CT_SIDE_COUNT) {
			/* two plain documents: the new one, or the reader */
			fix_at(b, f, fc, plain_second(f));
			ct_buf_adds(b, ", or accept it: ");
		} else {
			fix_at(b, f, fc, reader);
			ct_buf_adds(b, ", or accept it: ");
		}
		allow_cmd(b, f);
		return;
	}
	if (f->moved & programs && !disagree) {
		ct_buf_addf(b,
			    "record it in the pin: contracts pin --contract %s",
			    f->contract);
		return;
	}
	ct_buf_adds(b, "nothing to do: news only");
}

static void finish(struct ct_finding *f, const struct ct_fcontract *fc)
{
	struct ct_buf b = CT_BUF_INIT;
	uint64_t h = 0xcbf29ce484222325ULL;
	char line[1200];

	if (f->error) {
		ct_buf_adds(&b, ct_err_format(line, sizeof(line), &f->err));
		h = fnv(h, f->contract);
		h = fnv(h, "error");
		h = fnv(h, f->err.msg);
	} else {
		/* origins in the order of the sides, stable within one */
		for (size_t i = 1; i < f->norigins; i++)
			for (size_t j = i; j > 0 && f->origins[j - 1].side >
							f->origins[j].side;
			     j--) {
				struct ct_forigin t = f->origins[j];
				f->origins[j] = f->origins[j - 1];
				f->origins[j - 1] = t;
			}
		infer(f, fc);
		say(&b, f, lead(f)->cmp, lead(f)->change);
		h = fnv(h, f->contract);
		h = fnv(h, f->family);
		h = fnv(h, f->where);
		h = fnv(h, f->member);
	}
	f->message = ct_buf_detach(&b, NULL);
	next_step(&b, f, fc);
	f->next = ct_buf_detach(&b, NULL);
	snprintf(f->id, sizeof(f->id), "%016llx", (unsigned long long)h);
}

static struct ct_fcontract *contract_of(struct builder *b,
					const struct ct_changes *d)
{
	struct ct_findings *o = b->out;
	struct ct_fcontract *fc;

	for (size_t i = 0; i < o->ncontracts; i++)
		if (same_contract(o->contracts[i].name, d->contract))
			return &o->contracts[i];
	o->contracts = ct_xgrow(o->contracts, &b->capc, o->ncontracts + 1,
				sizeof(*o->contracts));
	fc = &o->contracts[o->ncontracts++];
	memset(fc, 0, sizeof(*fc));
	fc->name = d->contract ? d->contract : "";
	fc->direction = d->direction;
	return fc;
}

static int rank(const struct ct_finding *f)
{
	return f->error ? 3 : (int)f->severity;
}

void ct_findings_build(struct ct_findings *out, const struct ct_changes *diffs,
		       size_t n)
{
	struct builder b;
	struct ct_finding *sorted;
	size_t at = 0;

	memset(out, 0, sizeof(*out));
	memset(&b, 0, sizeof(b));
	b.out = out;
	for (size_t k = 0; k < n; k++) {
		const struct ct_changes *d = &diffs[k];
		struct ct_fcontract *fc = contract_of(&b, d);
		size_t cap = fc->ncmps;
		fc->cmps =
		    ct_xgrow(fc->cmps, &cap, fc->ncmps + 1, sizeof(*fc->cmps));
		fc->cmps[fc->ncmps++] = d;
		if (!fc->label[d->left])
			fc->label[d->left] = d->expected;
		if (!fc->label[right_of(d)])
			fc->label[right_of(d)] = d->actual;
		for (size_t i = 0; i < d->errors.n; i++)
			add_error(&b, d, &d->errors.v[i]);
		for (size_t i = 0; i < d->n; i++)
			add_change(&b, d, &d->v[i]);
	}
	/* the keys' strings moved into the findings */
	free(b.keys);
	free(b.slots);
	/* by contract, errors first, then severity, else as found */
	sorted = ct_xcalloc(out->n ? out->n : 1, sizeof(*sorted));
	for (size_t c = 0; c < out->ncontracts; c++) {
		struct ct_fcontract *fc = &out->contracts[c];
		fc->first = at;
		for (int r = 3; r >= 0; r--)
			for (size_t i = 0; i < out->n; i++)
				if (same_contract(out->v[i].contract,
						  fc->name) &&
				    rank(&out->v[i]) == r)
					sorted[at++] = out->v[i];
		fc->n = at - fc->first;
		for (size_t i = fc->first; i < at; i++) {
			finish(&sorted[i], fc);
			if (sorted[i].error)
				fc->errors++, out->errors++;
			else
				fc->counts[sorted[i].severity]++,
				    out->counts[sorted[i].severity]++;
		}
	}
	free(out->v);
	out->v = sorted;
}

void ct_findings_release(struct ct_findings *f)
{
	for (size_t i = 0; i < f->n; i++) {
		struct ct_finding *x = &f->v[i];
		free(x->where);
		free(x->member);
		free(x->message);
		free(x->next);
		for (int s = 0; s < CT_SIDE_COUNT; s++)
			free(x->state[s]);
		for (size_t j = 0; j < x->norigins; j++) {
			free(x->origins[j].repo);
			free(x->origins[j].commit);
			free(x->origins[j].path);
		}
		free(x->origins);
		free(x->seen);
	}
	for (size_t c = 0; c < f->ncontracts; c++)
		free(f->contracts[c].cmps);
	free(f->v);
	free(f->contracts);
	memset(f, 0, sizeof(*f));
}
