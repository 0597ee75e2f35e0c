/*
 * smartpick/error.h - error codes and the caller-supplied error record.
 *
 * Every fallible function returns 0 or a negative SP_E* code. Detail goes into a
 * struct sp_err that the caller owns; filling it never allocates. Messages name the
 * field, the value and the rule ("research.publications: -2 must be >= 0").
 */
#ifndef SMARTPICK_ERROR_H
#define SMARTPICK_ERROR_H

#include <stddef.h>

enum {
    SP_OK = 0,
    SP_EINVAL = -1,    /* input breaks a rule */
    SP_ENOTFOUND = -2, /* a named thing does not exist */
    SP_ERANGE = -3,    /* a value or size is out of range */
    SP_EIO = -4,       /* reading or writing failed */
    SP_EDB = -5,       /* the database refused */
    SP_ENOSTABLE = -6, /* no stable matching was found */
};

#define SP_ERR_MSG_MAX 256

struct sp_err {
    int code;
    char msg[SP_ERR_MSG_MAX];
};

/* No error; members not named (the message, and any added later) are zero. */
#define SP_ERR_INIT {.code = 0}

/* Record code and a printf-style message in err (which may be NULL); returns code. */
int sp_err_set(struct sp_err *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Prefix err->msg with prefix and sep: ("f.csv", ":") turns "3:1: rule" into
 * "f.csv:3:1: rule"; ("bundled x", ": ") gives "bundled x: ...". No-op on NULL. */
void sp_err_prefix(struct sp_err *err, const char *prefix, const char *sep);

/* Static description of an SP_E* code. */
const char *sp_strerror(int code);

#endif
