/*
 * market_file.h - data/market.bin: the stored national market (smartpick/model/market.h)
 * as bytes, and back. docs/MODEL.md "One market" documents the layout:
 *
 *   "SPMARKET" | u32 version 1 | u32 replications | u32 programs | u32 strata (16)
 *   | u64 model fingerprint | f64 lambda | f64 x 9 interview noise | f64 x 9 rank noise
 *   | f64 x 9 interviews per position
 *   | per program: 10-byte ACGME id, f64 positions, f64 filled, f64 interviews
 *   | i16 thresholds [replication][program] | i16 cutoffs [replication][program]
 *   | i16 representatives: thresholds [program][stratum], cutoffs [program][stratum]
 *   | u64 checksum of everything before it (sp_market_checksum)
 *
 * little-endian; keys coded as in memory (sp_market_key_code: 1/256 units, INT16_MAX
 * for +inf, INT16_MIN for -inf).
 */
#ifndef SP_MARKET_FILE_H
#define SP_MARKET_FILE_H

#include "smartpick/catalog/catalog.h"
#include "smartpick/model/market.h"
#include "sp_buf.h"

#include <stdint.h>

#define SP_MARKET_FILE_VERSION 1

/* FNV-1a 64 of bytes (the model file's fingerprint, and the file's checksum). */
uint64_t sp_fnv1a64(const void *data, size_t len, uint64_t h);
#define SP_FNV1A64_INIT 0xcbf29ce484222325ull

/* The file's checksum: FNV-1a 64 over its little-endian 64-bit words, then over the
 * bytes of a tail shorter than a word. */
uint64_t sp_market_checksum(const void *data, size_t len);

/* Append the market (rows indexed like cat's programs) to out. */
void sp_market_to_bytes(struct sp_buf *out, const sp_market *mk, const sp_catalog *cat,
                        uint64_t model_fingerprint);

/* Read a market for this catalog and model. Rules, each an SP_EINVAL naming the
 * rule: the magic and version, no truncation and no trailing bytes, the checksum,
 * the model fingerprint (a market is built for one model), at least
 * min_reps replications, no program twice, every noise scale > 0. A catalog program
 * the file does not hold (imported since) is marked unknown (sp_market_knows). *out
 * is owned by the caller. */
int sp_market_from_bytes(sp_market **out, const void *data, size_t len, const sp_catalog *cat,
                         uint64_t model_fingerprint, size_t min_reps, struct sp_err *err);

#endif
