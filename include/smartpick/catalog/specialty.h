/*
 * smartpick/catalog/specialty.h - the nine specialties SmartPick plans for.
 *
 * Codes are SmartPick's (IR DR IM GS VS ANES EM NEURO PMR); each maps to its ACGME
 * specialty code in the ERAS catalog. Plain values, no state.
 */
#ifndef SMARTPICK_SPECIALTY_H
#define SMARTPICK_SPECIALTY_H

#include <stdbool.h>
#include <stddef.h>

enum sp_specialty {
    SP_SPEC_IR,
    SP_SPEC_DR,
    SP_SPEC_IM,
    SP_SPEC_GS,
    SP_SPEC_VS,
    SP_SPEC_ANES,
    SP_SPEC_EM,
    SP_SPEC_NEURO,
    SP_SPEC_PMR,
    SP_SPEC_COUNT
};

/* "IR", "DR", ... */
const char *sp_specialty_code(enum sp_specialty s);
/* "Interventional Radiology (Integrated)", ... */
const char *sp_specialty_name(enum sp_specialty s);
/* ACGME specialty code: "416", "420", ... */
const char *sp_specialty_acgme(enum sp_specialty s);

/* Parse a SmartPick code (case-insensitive) or an ACGME code into *out.
 * SP_ENOTFOUND when it is neither. */
int sp_specialty_parse(enum sp_specialty *out, const char *text);

/* The specialty whose programs read this one's letters, research and rotations as
 * the same field: IR and DR (radiology), GS and VS (surgery); -1 for the others. */
int sp_specialty_sibling(enum sp_specialty s);

/* The code closest to text, for "did you mean" (never NULL). */
const char *sp_specialty_suggest(const char *text);

#endif
