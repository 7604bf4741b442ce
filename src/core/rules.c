/*
 * The severity table: one row per change kind, one column per direction.
 * docs/diff-rules.md explains each row; change both together.
 */
#include "contracts/diff.h"

#include <string.h>

enum { I = CT_SEV_INFO, W = CT_SEV_WARNING, B = CT_SEV_BREAKING };

/* columns: provider-to-consumer (versions of what a writer writes: it may
 * narrow, not widen), consumer-to-provider (versions of what a reader
 * reads: it may widen, not narrow), superset (exact is always breaking) */
static const unsigned char table[CT_KIND_COUNT][3] = {
    [CT_SHAPE_ADDED] = {I, I, I},
    [CT_SHAPE_REMOVED] = {B, W, B},
    [CT_ENUM_VALUE_ADDED] = {B, I, I},
    [CT_ENUM_VALUE_REMOVED] = {B, B, B},
    [CT_PROPERTY_ADDED] = {I, I, I},
    [CT_REQUIRED_PROPERTY_ADDED] = {W, B, W},
    [CT_PROPERTY_REMOVED] = {B, W, B},
    [CT_PROPERTY_REQUIRED] = {B, B, B},
    [CT_PROPERTY_OPTIONAL] = {W, I, W},
    [CT_TYPE_CHANGED] = {B, B, B},
    [CT_TYPE_WIDENED] = {B, I, B},
    [CT_TYPE_NARROWED] = {W, B, W},
    [CT_NULLABLE_ADDED] = {B, I, B},
    [CT_NULLABLE_REMOVED] = {W, B, W},
    [CT_REF_CHANGED] = {B, B, B},
    [CT_DEFAULT_CHANGED] = {W, W, W},
    [CT_LIST_ADDED] = {W, W, W},
    [CT_LIST_REMOVED] = {B, B, B},
    [CT_LIST_ITEM_ADDED] = {B, B, B},
    [CT_LIST_ITEM_REMOVED] = {B, B, B},
    [CT_LIST_ITEM_MOVED] = {B, B, B},
    [CT_EVENT_ADDED] = {B, I, I},
    [CT_EVENT_REMOVED] = {B, B, B},
    [CT_ROUTE_ADDED] = {I, I, I},
    [CT_ROUTE_REMOVED] = {B, B, B},
    /* writer against reader (compat.c): the same in every direction */
    [CT_VALUE_REFUSED] = {B, B, B},
    [CT_FIELD_MAY_BE_MISSING] = {B, B, B},
    [CT_FIELD_FORBIDDEN] = {B, B, B},
    [CT_KEYS_FORBIDDEN] = {W, W, W},
    [CT_FIELD_NOT_READ] = {I, I, I},
    [CT_VALUE_NOT_SENT] = {I, I, I},
    [CT_SHAPE_NOT_READ] = {I, I, I},
    [CT_SHAPE_NOT_WRITTEN] = {I, I, I},
    [CT_EVENT_NOT_READ] = {B, B, B},
    [CT_EVENT_NOT_SENT] = {I, I, I},
    /* release rules (gate.c): a failed rule breaks, whatever the direction */
    [CT_GATE_PASSED] = {I, I, I},
    [CT_GATE_FAILED] = {B, B, B},
    [CT_GATE_SKIPPED] = {I, I, I},
};

enum ct_severity ct_rules_severity(enum ct_direction dir,
				   enum ct_change_kind kind)
{
	switch (dir) {
	case CT_DIR_EXACT:
		return CT_SEV_BREAKING;
	case CT_DIR_PROVIDER_TO_CONSUMER:
		return (enum ct_severity)table[kind][0];
	case CT_DIR_CONSUMER_TO_PROVIDER:
		return (enum ct_severity)table[kind][1];
	case CT_DIR_SUPERSET:
		return (enum ct_severity)table[kind][2];
	}
	CT_BUG("unknown direction");
}

#define KIND_NAME(id, name, title) name,
#define KIND_TITLE(id, name, title) title,
static const char *const kind_names[] = {CT_CHANGE_KINDS(KIND_NAME)};
static const char *const kind_titles[] = {CT_CHANGE_KINDS(KIND_TITLE)};

const char *ct_kind_name(enum ct_change_kind kind)
{
	return kind_names[kind];
}

const char *ct_kind_title(enum ct_change_kind kind)
{
	return kind_titles[kind];
}

static const char *const severity_names[] = {"info", "warning", "breaking",
					     "never"};

const char *ct_severity_name(enum ct_severity sev)
{
	return severity_names[sev];
}

int ct_severity_parse(enum ct_severity *out, const char *name)
{
	for (int i = 0; i <= CT_SEV_NEVER; i++) {
		if (!strcmp(name, severity_names[i])) {
			*out = (enum ct_severity)i;
			return 0;
		}
	}
	return CT_EINVAL;
}

void ct_changes_for_consumer_routes(struct ct_changes *changes)
{
	for (size_t i = 0; i < changes->n; i++) {
		struct ct_change *c = &changes->v[i];
		if (changes->direction == CT_DIR_EXACT)
			continue;
		if (c->kind == CT_ROUTE_ADDED)
			c->severity = CT_SEV_BREAKING;
		else if (c->kind == CT_ROUTE_REMOVED)
			c->severity = CT_SEV_INFO;
	}
}
