#include "contracts/report.h"

#include "contracts/json.h"

#include <json-c/json.h>
#include <string.h>

extern const struct ct_reporter ct_report_text, ct_report_json,
    ct_report_markdown, ct_report_junit, ct_report_github, ct_report_sarif;

static const struct ct_reporter *const reporters[] = {
    &ct_report_text,  &ct_report_json,	 &ct_report_markdown,
    &ct_report_junit, &ct_report_github, &ct_report_sarif,
};

const struct ct_reporter *ct_reporter_find(const char *name)
{
	for (size_t i = 0; i < sizeof(reporters) / sizeof(*reporters); i++)
		if (!strcmp(reporters[i]->name, name))
			return reporters[i];
	return NULL;
}

const struct ct_reporter *ct_reporter_at(size_t i)
{
	return i < sizeof(reporters) / sizeof(*reporters) ? reporters[i] : NULL;
}

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
		ct_buf_release(&tok);
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

static void add_value(struct ct_buf *out, json_object *v, int as_json)
{
	if (!v)
		ct_buf_adds(out, "none");
	else if (json_object_is_type(v, json_type_string) && !as_json)
		ct_buf_adds(out, json_object_get_string(v));
	else
		ct_buf_adds(out, json_object_to_json_string_ext(
				     v, JSON_C_TO_STRING_PLAIN));
}

void ct_change_describe(struct ct_buf *out, const struct ct_change *c)
{
	ct_change_where(out, c);
	ct_buf_adds(out, ": ");
	switch (c->kind) {
	case CT_ENUM_VALUE_ADDED:
	case CT_ENUM_VALUE_REMOVED:
		ct_buf_addf(out, "enum value \"%s\" %s", c->member,
			    c->kind == CT_ENUM_VALUE_ADDED ? "added"
							   : "removed");
		break;
	case CT_LIST_ITEM_ADDED:
	case CT_LIST_ITEM_REMOVED:
		ct_buf_addf(out, "item \"%s\" %s", c->member,
			    c->kind == CT_LIST_ITEM_ADDED ? "added"
							  : "removed");
		break;
	case CT_LIST_ITEM_MOVED:
		ct_buf_addf(out, "item \"%s\" moved from position %d to %d",
			    c->member, json_object_get_int(c->old_value) + 1,
			    json_object_get_int(c->new_value) + 1);
		break;
	case CT_EVENT_ADDED:
	case CT_EVENT_REMOVED:
		ct_buf_addf(out, "event \"%s\" %s", c->member,
			    c->kind == CT_EVENT_ADDED ? "added" : "removed");
		break;
	case CT_ROUTE_ADDED:
	case CT_ROUTE_REMOVED:
		ct_buf_addf(out, "route %s %s", c->member,
			    c->kind == CT_ROUTE_ADDED ? "added" : "removed");
		break;
	case CT_TYPE_CHANGED:
	case CT_TYPE_WIDENED:
	case CT_TYPE_NARROWED:
	case CT_REF_CHANGED:
	case CT_DEFAULT_CHANGED:
		ct_buf_addf(out, "%s from ", ct_kind_title(c->kind));
		/* types read as words, defaults as the JSON they are */
		add_value(out, c->old_value, c->kind == CT_DEFAULT_CHANGED);
		ct_buf_adds(out, " to ");
		add_value(out, c->new_value, c->kind == CT_DEFAULT_CHANGED);
		break;
	case CT_VALUE_REFUSED:
		ct_buf_adds(out, "the reader refuses ");
		if (c->new_value)
			add_value(out, c->new_value, 1);
		else
			ct_buf_adds(out, "null");
		if (c->old_value &&
		    json_object_is_type(c->old_value, json_type_array))
			ct_buf_addf(out, " (not one of its %zu values)",
				    json_object_array_length(c->old_value));
		else if (c->old_value)
			ct_buf_addf(out, " (it takes %s)",
				    json_object_get_string(c->old_value));
		break;
	case CT_FIELD_MAY_BE_MISSING:
		ct_buf_adds(out,
			    "the reader requires it; the writer may omit it");
		break;
	case CT_FIELD_FORBIDDEN:
		ct_buf_adds(
		    out,
		    "the writer sends it; the reader forbids unknown keys");
		break;
	case CT_KEYS_FORBIDDEN:
		ct_buf_adds(out,
			    "the writer may pass unknown keys through; the "
			    "reader forbids them");
		break;
	case CT_FIELD_NOT_READ:
		ct_buf_adds(out,
			    "the writer sends it; the reader does not read it");
		break;
	case CT_VALUE_NOT_SENT:
		ct_buf_addf(
		    out, "the reader knows \"%s\"; the writer never sends it",
		    c->member);
		break;
	case CT_SHAPE_NOT_READ:
		ct_buf_adds(out, "no reader shape reads it");
		if (c->member)
			ct_buf_addf(out, " (event \"%s\")", c->member);
		break;
	case CT_SHAPE_NOT_WRITTEN:
		ct_buf_adds(
		    out, "the reader reads it; the writer has no such shape");
		if (c->member)
			ct_buf_addf(out, " (event \"%s\")", c->member);
		break;
	case CT_EVENT_NOT_READ:
		ct_buf_addf(out,
			    "event \"%s\" is sent; the reader does not know it",
			    c->member);
		break;
	case CT_EVENT_NOT_SENT:
		ct_buf_addf(out,
			    "event \"%s\" is known to the reader; never sent",
			    c->member);
		break;
	case CT_GATE_PASSED:
	case CT_GATE_FAILED:
	case CT_GATE_SKIPPED:
		/* the note is the whole message */
		ct_buf_adds(out, c->kind == CT_GATE_PASSED   ? "passed: "
				 : c->kind == CT_GATE_FAILED ? "FAILED: "
							     : "skipped: ");
		ct_buf_adds(out, c->note ? c->note : "");
		return;
	default:
		ct_buf_adds(out, ct_kind_title(c->kind));
	}
	if (c->note)
		ct_buf_addf(out, " (%s)", c->note);
}

void ct_report_count(const struct ct_report *r, const struct ct_changes *one,
		     size_t counts[3])
{
	counts[0] = counts[1] = counts[2] = 0;
	for (size_t k = 0; k < r->n; k++) {
		const struct ct_changes *d = &r->diffs[k];
		if (one && d != one)
			continue;
		for (size_t i = 0; i < d->n; i++)
			counts[d->v[i].severity]++;
	}
}

size_t ct_report_errors(const struct ct_report *r, const struct ct_changes *one)
{
	size_t n = 0;

	for (size_t k = 0; k < r->n; k++)
		if (!one || &r->diffs[k] == one)
			n += r->diffs[k].errors.n;
	return n;
}

void ct_report_error_text(struct ct_buf *out, const struct ct_err *e)
{
	char line[1200];

	ct_buf_adds(out, ct_err_format(line, sizeof(line), e));
}

int ct_report_failed(const struct ct_report *r)
{
	if (r->fail_on == CT_SEV_NEVER)
		return 0;
	for (size_t k = 0; k < r->n; k++)
		if (ct_changes_max_severity(&r->diffs[k]) >= (int)r->fail_on)
			return 1;
	return 0;
}
