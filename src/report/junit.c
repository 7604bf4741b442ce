/* junit: JUnit XML, one testsuite per contract, one testcase for the
 * contract as a whole and one per change; failures at or above --fail-on. */
#include "contracts/report.h"

static void xml(struct ct_buf *out, const char *s)
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

static int fails(const struct ct_report *r, const struct ct_change *c)
{
	return r->fail_on != CT_SEV_NEVER && c->severity >= r->fail_on;
}

static void write_junit(struct ct_buf *out, const struct ct_report *r)
{
	size_t tests = 0, failures = 0, errors = ct_report_errors(r, NULL);

	for (size_t k = 0; k < r->n; k++) {
		const struct ct_changes *d = &r->diffs[k];
		int bad = 0;
		tests += d->n + 1;
		for (size_t i = 0; i < d->n; i++) {
			failures += (size_t)fails(r, &d->v[i]);
			bad |= fails(r, &d->v[i]);
		}
		failures += (size_t)bad;
	}
	ct_buf_adds(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	ct_buf_addf(out,
		    "<testsuites name=\"contracts\" tests=\"%zu\" "
		    "failures=\"%zu\"%s",
		    tests, failures, errors ? "" : ">\n");
	if (errors)
		ct_buf_addf(out, " errors=\"%zu\">\n", errors);
	for (size_t k = 0; k < r->n; k++) {
		const struct ct_changes *d = &r->diffs[k];
		size_t bad = 0;
		for (size_t i = 0; i < d->n; i++)
			bad += (size_t)fails(r, &d->v[i]);
		ct_buf_adds(out, "  <testsuite name=\"");
		xml(out, d->contract);
		ct_buf_addf(out, "\" tests=\"%zu\" failures=\"%zu\">\n",
			    d->n + 1, bad + (bad > 0));
		ct_buf_adds(out, "    <testcase classname=\"");
		xml(out, d->contract);
		ct_buf_adds(out, "\" name=\"contract ");
		xml(out, d->contract);
		ct_buf_adds(out, "\"");
		if (d->errors.n) {
			ct_buf_adds(out, ">\n");
			for (size_t i = 0; i < d->errors.n; i++) {
				struct ct_buf msg = CT_BUF_INIT;
				ct_report_error_text(&msg, &d->errors.v[i]);
				ct_buf_adds(out, "      <error type=\"error\" "
						 "message=\"");
				xml(out, msg.ptr);
				ct_buf_adds(out, "\"/>\n");
				ct_buf_release(&msg);
			}
			ct_buf_adds(out, "    </testcase>\n");
		} else if (bad)
			ct_buf_addf(
			    out,
			    ">\n      <failure type=\"drift\" message=\"%zu change(s) at or above %s\"/>\n    </testcase>\n",
			    bad, ct_severity_name(r->fail_on));
		else
			ct_buf_adds(out, "/>\n");
		for (size_t i = 0; i < d->n; i++) {
			const struct ct_change *c = &d->v[i];
			struct ct_buf msg = CT_BUF_INIT;
			ct_change_describe(&msg, c);
			ct_buf_adds(out, "    <testcase classname=\"");
			xml(out, d->contract);
			ct_buf_adds(out, "\" name=\"");
			xml(out, msg.ptr);
			ct_buf_addf(out, " [%s]\"", c->fingerprint);
			if (c->origin.path) {
				ct_buf_adds(out, " file=\"");
				xml(out, c->origin.path);
				ct_buf_adds(out, "\"");
				if (c->origin.line)
					ct_buf_addf(out, " line=\"%u\"",
						    c->origin.line);
			}
			if (fails(r, c)) {
				ct_buf_addf(
				    out,
				    ">\n      <failure type=\"%s\" message=\"",
				    ct_severity_name(c->severity));
				xml(out, msg.ptr);
				ct_buf_adds(out, "\">");
				xml(out, ct_kind_name(c->kind));
				ct_buf_adds(out, " at ");
				xml(out, c->pointer);
				ct_buf_adds(out,
					    "</failure>\n    </testcase>\n");
			} else {
				ct_buf_addf(out, ">\n      <system-out>%s: ",
					    ct_severity_name(c->severity));
				xml(out, msg.ptr);
				ct_buf_adds(out,
					    "</system-out>\n    </testcase>\n");
			}
			ct_buf_release(&msg);
		}
		ct_buf_adds(out, "  </testsuite>\n");
	}
	ct_buf_adds(out, "</testsuites>\n");
}

const struct ct_reporter ct_report_junit = {
    "junit", "xml", "JUnit XML for CI test views", write_junit};
