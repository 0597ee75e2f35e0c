/*
 * smartpick/error.h - error codes and the caller-supplied error record.
 *
 * Every fallible function returns 0 or a negative SP_E* code. Detail goes into a
 * struct sp_err that the caller owns; filling it never allocates. Messages name the
 * field, the value and the rule ("research.publications: -2 must be >= 0"); the field
 * and a stable reason are also kept apart from the English, for the edges to map.
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
#define SP_ERR_FIELD_MAX 160

/*
 * Why an input was refused, apart from the message: a stable reason that an edge
 * maps to its own terms (the HTTP API's "code", docs/HTTP_API.md) without reading
 * the English. SP_WHY_NONE: not said; the SP_E* code tells (SP_EDB and SP_EIO are
 * internal, the rest invalid input).
 */
enum sp_why {
    SP_WHY_NONE = 0,
    SP_WHY_INVALID,                /* "invalid": a value breaks a rule */
    SP_WHY_UNKNOWN_FIELD,          /* "unknown_field": a key or option that does not exist */
    SP_WHY_BAD_JSON,               /* "bad_json": the text is not JSON */
    SP_WHY_NOT_FOUND,              /* "not_found": a named resource does not exist */
    SP_WHY_TOO_LARGE,              /* "too_large": over a size cap */
    SP_WHY_MODEL,                  /* "internal": the model is at fault, not the input */
    SP_WHY_INTERNAL,               /* "internal": the database, a file, memory */
    SP_WHY_METHOD_NOT_ALLOWED,     /* "method_not_allowed" */
    SP_WHY_UNSUPPORTED_MEDIA_TYPE, /* "unsupported_media_type" */
    SP_WHY_FORBIDDEN,              /* "forbidden" */
    SP_WHY_COUNT
};

/* The reason's name in the HTTP API ("invalid", "unknown_field", ...); SP_WHY_NONE and
 * anything unknown is "internal". Static storage. */
const char *sp_why_name(enum sp_why why);

/*
 * An error record. code is the SP_E* code; why the reason; field the JSON path of the
 * value at fault ("research.publications", "interviews[2].acgme_id") or the option's
 * name as the caller spells it ("budget-usd", "options.budget_usd"), "" for none or
 * for the document as a whole; msg the English for a person. The first at bytes of
 * msg name the field as the message writes it (0: the message does not start with
 * it), so an edge can put the field under its own parent without reading the text.
 */
struct sp_err {
    int code;
    enum sp_why why;
    unsigned short at;
    char field[SP_ERR_FIELD_MAX];
    char msg[SP_ERR_MSG_MAX];
};

#define SP_ERR_INIT {.code = SP_OK, .why = SP_WHY_NONE}

/* Record code and a printf-style message in err (which may be NULL); no field, no
 * reason. Returns code. */
int sp_err_set(struct sp_err *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Record code, why and field; the message is field followed by fmt
 * (sp_err_at(err, SP_EINVAL, SP_WHY_INVALID, "research.publications", ": %d must be >= 0",
 * -2)). Returns code. */
int sp_err_at(struct sp_err *err, int code, enum sp_why why, const char *field, const char *fmt,
              ...) __attribute__((format(printf, 5, 6)));

/* An error about a document as a whole, which the message calls name ("profile: 5
 * must be an object"): field "", the message name followed by fmt. Returns code. */
int sp_err_doc(struct sp_err *err, int code, enum sp_why why, const char *name, const char *fmt,
               ...) __attribute__((format(printf, 5, 6)));

/* Record code, why and field with a message that does not start with the field.
 * Returns code. */
int sp_err_why(struct sp_err *err, int code, enum sp_why why, const char *field, const char *fmt,
               ...) __attribute__((format(printf, 5, 6)));

/* Put the error under parent, a JSON path: field "publications" and message
 * "publications: ..." become "research.publications" and "research.publications:
 * ..." ("[2]" becomes "list[2]"); the document itself (field "") becomes parent. A
 * message that does not start with its field gets "parent." before it. */
void sp_err_nest(struct sp_err *err, const char *parent);

/* Prefix err->msg with prefix and sep: ("f.csv", ":") turns "3:1: rule" into
 * "f.csv:3:1: rule"; ("bundled x", ": ") gives "bundled x: ...". The field and the
 * reason stay; the message no longer starts with the field (at is 0). No-op on NULL. */
void sp_err_prefix(struct sp_err *err, const char *prefix, const char *sep);

/* Static description of an SP_E* code. */
const char *sp_strerror(int code);

#endif
