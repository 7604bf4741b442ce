#include "contracts/report.h"

#include "contracts/json.h"

#include <json-c/json.h>
#include <stdio.h>
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

int ct_report_fails(const struct ct_report *r, const struct ct_finding *f)
{
	return !f->error && r->fail_on != CT_SEV_NEVER &&
	       f->severity >= r->fail_on;
}

void ct_report_render(struct ct_buf *out, const struct ct_reporter *rep,
		      const struct ct_report *r)
{
	struct ct_findings own;
	struct ct_report copy;

	if (r->findings) {
		rep->write(out, r);
		return;
	}
	ct_findings_build(&own, r->diffs, r->n);
	copy = *r;
	copy.findings = &own;
	rep->write(out, &copy);
	ct_findings_release(&own);
}

void ct_report_safe(struct ct_buf *out, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c < 0x20 || c == 0x7f)
			ct_buf_addf(out, "\\x%02x", c);
		else
			ct_buf_addch(out, (char)c);
	}
}

const char *ct_report_repo_location(const struct ct_report *r, const char *name)
{
	for (size_t i = 0; name && i < r->nrepos; i++)
		if (!strcmp(r->repos[i].name, name))
			return r->repos[i].location;
	return NULL;
}

int ct_report_permalink(struct ct_buf *out, const struct ct_report *r,
			const struct ct_forigin *o)
{
	const char *url = ct_report_repo_location(r, o->repo);
	size_t n;

	if (!url || !o->commit || strncmp(url, "https://github.com/", 19))
		return 0;
	n = strlen(url);
	while (n && url[n - 1] == '/')
		n--;
	if (n > 4 && !strncmp(url + n - 4, ".git", 4))
		n -= 4;
	ct_buf_add(out, url, n);
	ct_buf_addf(out, "/blob/%s/%s", o->commit, o->path);
	if (o->line)
		ct_buf_addf(out, "#L%u", o->line);
	return 1;
}

void ct_report_xml(struct ct_buf *out, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		switch (c) {
		case '&':
			ct_buf_adds(out, "&amp;");
			break;
		case '<':
			ct_buf_adds(out, "&lt;");
			break;
		case '>':
			ct_buf_adds(out, "&gt;");
			break;
		case '"':
			ct_buf_adds(out, "&quot;");
			break;
		case '\'':
			ct_buf_adds(out, "&apos;");
			break;
		case '\n':
			ct_buf_adds(out, "&#10;");
			break;
		case '\t':
			ct_buf_adds(out, "&#9;");
			break;
		default:
			/* XML 1.0 has no way to carry other control characters
			 */
			ct_buf_addch(out, c < 0x20 ? '?' : (char)c);
		}
	}
}
