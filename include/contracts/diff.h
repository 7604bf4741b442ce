/*
 * diff.h - compares an expected contract document (pinned) with an actual
 * one (extracted, or a newer file) and lists every change, each with a
 * kind, a JSON pointer, old and new values, the origin that caused it, a
 * severity from the rules table (rules.c, docs/diff-rules.md) and a stable
 * fingerprint.
 *
 * Missing type information on one side (a property with no "type", "$ref"
 * or "enum"; a shape with no "required" list) is unknown, never a change.
 *
 * Ownership: a struct ct_changes owns its changes, their values and their
 * origin strings; release it with ct_changes_release().
 */
#ifndef CT_DIFF_H
#define CT_DIFF_H

#include <json-c/json_object.h>
#include <stddef.h>

#include "contracts/contract.h"
#include "contracts/err.h"

enum ct_severity { CT_SEV_INFO, CT_SEV_WARNING, CT_SEV_BREAKING, CT_SEV_NEVER };

/* "info", "warning", "breaking" ("never" only for --fail-on). */
const char *ct_severity_name(enum ct_severity sev);
int ct_severity_parse(enum ct_severity *out, const char *name);

#define CT_CHANGE_KINDS(X)                                                     \
	X(SHAPE_ADDED, "shape-added", "shape added")                           \
	X(SHAPE_REMOVED, "shape-removed", "shape removed")                     \
	X(ENUM_VALUE_ADDED, "enum-value-added", "enum value added")            \
	X(ENUM_VALUE_REMOVED, "enum-value-removed", "enum value removed")      \
	X(PROPERTY_ADDED, "property-added", "optional property added")         \
	X(REQUIRED_PROPERTY_ADDED, "required-property-added",                  \
	  "required property added")                                           \
	X(PROPERTY_REMOVED, "property-removed", "property removed")            \
	X(PROPERTY_REQUIRED, "property-became-required",                       \
	  "property became required")                                          \
	X(PROPERTY_OPTIONAL, "property-became-optional",                       \
	  "property became optional")                                          \
	X(TYPE_CHANGED, "type-changed", "type changed")                        \
	X(TYPE_WIDENED, "type-widened", "type widened")                        \
	X(TYPE_NARROWED, "type-narrowed", "type narrowed")                     \
	X(NULLABLE_ADDED, "nullable-added", "became nullable")                 \
	X(NULLABLE_REMOVED, "nullable-removed", "no longer nullable")          \
	X(REF_CHANGED, "ref-changed", "$ref target changed")                   \
	X(DEFAULT_CHANGED, "default-changed", "default changed")               \
	X(LIST_ADDED, "list-added", "list added")                              \
	X(LIST_REMOVED, "list-removed", "list removed")                        \
	X(LIST_ITEM_ADDED, "list-item-added", "list item added")               \
	X(LIST_ITEM_REMOVED, "list-item-removed", "list item removed")         \
	X(LIST_ITEM_MOVED, "list-item-moved", "list item moved")               \
	X(EVENT_ADDED, "event-added", "event added")                           \
	X(EVENT_REMOVED, "event-removed", "event removed")                     \
	X(ROUTE_ADDED, "route-added", "route added")                           \
	X(ROUTE_REMOVED, "route-removed", "route removed")                     \
	X(VALUE_REFUSED, "value-refused",                                      \
	  "the reader refuses a value the writer may send")                    \
	X(FIELD_MAY_BE_MISSING, "field-may-be-missing",                        \
	  "the reader requires a field the writer may omit")                   \
	X(FIELD_FORBIDDEN, "field-forbidden",                                  \
	  "the writer sends a field the reader forbids")                       \
	X(KEYS_FORBIDDEN, "keys-forbidden",                                    \
	  "the writer may pass unknown keys the reader forbids")               \
	X(FIELD_NOT_READ, "field-not-read",                                    \
	  "the writer sends a field the reader does not read")                 \
	X(VALUE_NOT_SENT, "value-not-sent",                                    \
	  "the reader knows a value the writer never sends")                   \
	X(SHAPE_NOT_READ, "shape-not-read",                                    \
	  "no shape of the reader reads this one")                             \
	X(SHAPE_NOT_WRITTEN, "shape-not-written",                              \
	  "the reader reads a shape the writer does not write")                \
	X(EVENT_NOT_READ, "event-not-read",                                    \
	  "the writer sends an event the reader does not know")                \
	X(EVENT_NOT_SENT, "event-not-sent",                                    \
	  "the reader knows an event the writer never sends")                  \
	/* release rules (gate.h): subject is the rule, note says why */       \
	X(GATE_PASSED, "gate-passed", "release rule passed")                   \
	X(GATE_FAILED, "gate-failed", "release rule failed")                   \
	X(GATE_SKIPPED, "gate-skipped", "release rule skipped")

#define CT_KIND_ENUM(id, name, title) CT_##id,
enum ct_change_kind { CT_CHANGE_KINDS(CT_KIND_ENUM) CT_KIND_COUNT };
#undef CT_KIND_ENUM

/* The stable kind name ("enum-value-added"); static. */
const char *ct_kind_name(enum ct_change_kind kind);
/* A short human title ("enum value added"); static. */
const char *ct_kind_title(enum ct_change_kind kind);

/* The severity of `kind` when data flows in `dir` (the rules table). */
enum ct_severity ct_rules_severity(enum ct_direction dir,
				   enum ct_change_kind kind);

struct ct_change {
	enum ct_change_kind kind;
	enum ct_severity severity;
	char *pointer; /* where in the document: "/$defs/X/properties/y" */
	char *subject; /* the shape, list or "events"/"routes" it concerns */
	char *member;  /* property, value or item name, or NULL */
	json_object *old_value, *new_value; /* NULL when absent */
	struct ct_origin origin;	    /* strings owned by the change */
	struct ct_origin other; /* writer against reader: the element on the
				   other side (the reader's); owned, may be
				   empty */
	char *note;		/* an approval's words, or NULL */
	char fingerprint[17];	/* 16 lowercase hex digits */
};

/* Which document of a contract a comparison side is: the pin, a program's
 * code, or a file a program commits (a side with a label); OLD and NEW
 * for two versions of a document (compare), WRITER and READER for a
 * writer's and a reader's documents (compat). */
enum ct_side {
	CT_SIDE_OLD,
	CT_SIDE_NEW,
	CT_SIDE_PIN,
	CT_SIDE_PROVIDER,
	CT_SIDE_PROVIDER_FILE,
	CT_SIDE_CONSUMER,
	CT_SIDE_CONSUMER_FILE,
	CT_SIDE_WRITER,
	CT_SIDE_READER,
	CT_SIDE_COUNT
};

struct ct_changes {
	char *contract;		 /* contract name */
	char *expected, *actual; /* labels (paths) of the two documents */
	enum ct_direction direction;
	struct ct_change *v;
	size_t n, cap;
	/* why the comparison could not be made (a file that does not parse,
	 * a missing pin): reported as errors, and then there are no changes */
	struct ct_errs errors;
	/* the documents compared: left is the expected one (or the writer),
	 * right the actual one (or the reader); OLD and NEW unless the run
	 * says (finding.h groups comparisons by them) */
	enum ct_side left, right;
	int compat; /* 1 when made by ct_compat(): reader against writer */
};

#define CT_CHANGES_INIT                                                        \
	{                                                                      \
		NULL, NULL, NULL, CT_DIR_PROVIDER_TO_CONSUMER, NULL, 0, 0,     \
		    CT_ERRS_INIT, CT_SIDE_OLD, CT_SIDE_NEW, 0                  \
	}

/* Compares `expected` with `actual` under `dir` and appends every change to
 * `out` (whose contract and labels it sets). Shapes parsed on demand are
 * validated on the way: an invalid one stops the diff with its error. */
int ct_diff(struct ct_changes *out, struct ct_contract *expected,
	    struct ct_contract *actual, enum ct_direction dir,
	    struct ct_err *err);

/* Routes where the actual document is a consumer's calls: a route it calls
 * that the other side lacks (route-added) breaks; one it does not call
 * (route-removed) is only news. Applied by the manifest run. */
void ct_changes_for_consumer_routes(struct ct_changes *changes);

/* The parts of two documents a comparison looks at. */
#define CT_DIFF_SHAPES 1u
#define CT_DIFF_EVENTS 2u
#define CT_DIFF_ROUTES 4u
#define CT_DIFF_LISTS 8u
#define CT_DIFF_ALL 15u

/* Like ct_diff_ex(), comparing only `parts`. */
int ct_diff_parts(struct ct_changes *out, struct ct_contract *expected,
		  struct ct_contract *actual, enum ct_direction dir,
		  json_object *shape_dirs, unsigned parts, struct ct_err *err);

/* Like ct_diff(), with some shapes compared under another direction:
 * `shape_dirs` maps shape names to direction names ({"DiskFormat":
 * "superset"}); borrowed, may be NULL. Names must be valid directions. */
int ct_diff_ex(struct ct_changes *out, struct ct_contract *expected,
	       struct ct_contract *actual, enum ct_direction dir,
	       json_object *shape_dirs, struct ct_err *err);

/* The highest severity in the list, or -1 when it is empty. */
int ct_changes_max_severity(const struct ct_changes *changes);

/* Frees what one change owns (not the change itself). */
void ct_change_release(struct ct_change *c);
/* A deep copy of `from` into `to`; release it with ct_change_release(). */
void ct_change_copy(struct ct_change *to, const struct ct_change *from);

/* Frees everything `changes` owns and empties it. */
void ct_changes_release(struct ct_changes *changes);

/* The fingerprint of a change: FNV-1a 64 over contract, kind, pointer,
 * member and canonical old and new values (for a compatibility finding,
 * not the old value: what the reader takes besides), so it is the same on
 * every run and machine and does not move with line numbers. */
void ct_change_fingerprint(char out[17], const char *contract,
			   const struct ct_change *c);

#endif
