/* pyunicode.h - the Unicode classes of Python 3.11 that tokenize and repr()
 * depend on (generated tables, tools/gen_pyunicode.py). Private to
 * src/extract/. */
#ifndef CT_PYUNICODE_H
#define CT_PYUNICODE_H

/* re's \w in a str pattern: str.isalnum() or "_". */
int ct_pyuni_is_word(unsigned cp);
/* chr(cp).isidentifier(). */
int ct_pyuni_is_idstart(unsigned cp);
/* chr(cp).isprintable(). */
int ct_pyuni_is_printable(unsigned cp);

/* ("a" + chr(cp)).isidentifier(): may continue an identifier. */
int ct_pyuni_is_idcontinue(unsigned cp);

#endif
