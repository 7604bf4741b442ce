/* pyparse_impl.h - what pyparse.c shares with the module cache. */
#ifndef CT_PYPARSE_IMPL_H
#define CT_PYPARSE_IMPL_H

#include <stddef.h>

/* Zeroed memory from a module's arena (ct_pymodule.arena). */
void *ct_pyarena_alloc(void **arena, size_t n);

#endif
