/* gp_json.h -- a streaming JSON writer: objects, arrays, keys, strings and
   integers, escaped correctly (quotes, backslashes, control characters,
   bytes that are not UTF-8), with a layout that puts each element of the
   big tables on its own line so profiles diff well. */

#ifndef GP_JSON_H
#define GP_JSON_H

#include "gp_tool.h"
#include "gp_util.h"

#define GP_JSON_MAXDEPTH 32

typedef struct {
   GpOut* o;
   Int    depth;
   Bool   first[GP_JSON_MAXDEPTH];
   Bool   in_array[GP_JSON_MAXDEPTH];
   Int    line_depth;    /* elements of containers at depth <= this start a line */
} GpJson;

void gp_json_init(GpJson* j, GpOut* o, Int line_depth);
void gp_json_obj(GpJson* j, const HChar* key);      /* key NULL inside arrays */
void gp_json_end_obj(GpJson* j);
void gp_json_arr(GpJson* j, const HChar* key);
void gp_json_end_arr(GpJson* j);
void gp_json_str(GpJson* j, const HChar* key, const HChar* v);  /* NULL -> null */
void gp_json_u64(GpJson* j, const HChar* key, ULong v);
void gp_json_i64(GpJson* j, const HChar* key, Long v);
void gp_json_bool(GpJson* j, const HChar* key, Bool v);
void gp_json_null(GpJson* j, const HChar* key);
/* A fixed-point decimal: v / 10^decimals, e.g. 1234,2 -> 12.34 */
void gp_json_fixed(GpJson* j, const HChar* key, ULong v, UInt decimals);

/* Writes s as a JSON string literal (with quotes) to o. */
void gp_json_escape(GpOut* o, const HChar* s);

#endif
